#!/usr/bin/env bash
# Benchmark: HTTP upload into the sandbox, next to the limits of this machine.
#   1. raw `cp` of the dump on the same disk                      (disk limit)
#   2. `curl -T` into a plain HTTP sink that discards the body     (HTTP/loopback limit, no disk)
#   3. `curl -T` into the sandbox's upload method                  (the sandbox: stream to disk + inspect)
# The sandbox runs in its own JVM with a small heap (default -Xmx64m); its peak resident memory
# (VmHWM) is recorded to show memory does not grow with the dump size.
# Usage: bench/sandbox-upload.sh [size-in-MiB] (default 1024). Needs curl, python3, a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1024}
HEAP=${HEAP:-64m}
source bench/lib.sh
ensure_jar
work=$(mktemp -d /tmp/sandbox-bench.XXXXXX)
SANDBOX_PID=""; SINK_PID=""
trap 'kill $SANDBOX_PID $SINK_PID 2>/dev/null || true; rm -rf "$work"' EXIT

# A plain SQL dump: the pg_dump header, then random data as text lines.
sql_dump "$work/dump.sql" "$SIZE_MB"
bytes=$(stat -c %s "$work/dump.sql")
sync

seconds() { local s=$(date +%s.%N); "$@" >/dev/null; local e=$(date +%s.%N); echo "$e - $s" | bc -l; }
rate() { echo "scale=1; $bytes / 1048576 / $1" | bc -l; }

t_cp=$(seconds cp "$work/dump.sql" "$work/copy.sql"); rm -f "$work/copy.sql"

# a sink: Python's http.server discarding the body in 1 MiB reads
cat > "$work/sink.py" <<'PY'
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        left = int(self.headers['Content-Length'])
        while left > 0:
            left -= len(self.rfile.read(min(left, 1 << 20)))
        self.send_response(200); self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), Sink).serve_forever()
PY
SINK_PORT=18791
python3 "$work/sink.py" $SINK_PORT & SINK_PID=$!
sleep 1
t_sink=$(seconds curl -sS -T "$work/dump.sql" -X POST "http://127.0.0.1:$SINK_PORT/")

"$JAVA_HOME/bin/java" -Xmx$HEAP -jar target/odoo-upgrade.jar sandbox --data-dir "$work/data" --http-port 18790 --sftp-port 0 \
  > "$work/sandbox.log" 2>&1 & SANDBOX_PID=$!
for _ in $(seq 1 50); do grep -q "API:" "$work/sandbox.log" && break; sleep 0.2; done
API=http://127.0.0.1:18790/database/v1
created=$(curl -sS "$API/create?contract=M123456-abcdef&email=a@b.co&target=13.0&aim=test&filename=dump.sql")
id=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["request"]["id"])')
key=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["request"]["key"])')
t_sandbox=$(seconds curl -sS --fail -T "$work/dump.sql" -X POST -H 'Content-Type: application/octet-stream' "$API/upload?key=$key&request=$id")
hwm=$(awk '/VmHWM/ {print $2 / 1024 " MiB"}' /proc/$SANDBOX_PID/status)
stored=$(stat -c %s "$work/data/requests/$id/files/dump.sql")
[ "$stored" = "$bytes" ] || { echo "stored size $stored != $bytes" >&2; exit 1; }
[ "$(sha256sum < "$work/data/requests/$id/files/dump.sql")" = "$(sha256sum < "$work/dump.sql")" ] \
  || { echo "the stored dump differs from the one sent" >&2; exit 1; }

echo "date:                 $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine:              $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "dump:                 $SIZE_MB MiB, stored byte for byte (SHA-256 checked)"
echo "cp (disk):            $(rate $t_cp) MiB/s"
echo "curl -T to a sink:    $(rate $t_sink) MiB/s"
echo "curl -T to sandbox:   $(rate $t_sandbox) MiB/s"
echo "sandbox / cp:         $(echo "scale=2; $t_cp / $t_sandbox" | bc -l)"
echo "sandbox / sink:       $(echo "scale=2; $t_sink / $t_sandbox" | bc -l)"
echo "sandbox heap / peak RSS: -Xmx$HEAP / $hwm"
