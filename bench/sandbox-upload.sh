#!/usr/bin/env bash
# Benchmark: an upload into the sandbox, next to the same bytes taken by a native server.
#   cp                                  the disk alone (no socket)
#   curl -T -> receiver, discarding     loopback and HTTP, no disk: Python's http.server reading a MiB at a time
#   curl -T -> receiver, to disk        the same, writing the body to a file: the sandbox's work without the JVM
#   curl -T -> sandbox                  the sandbox (the JDK's HttpServer): the body streamed to a part file, inspected, moved
# each over plain HTTP, then over TLS: the receiver with Python's ssl (OpenSSL), the sandbox started with --tls,
# both with the sandbox's own certificate, which curl trusts alone (--cacert).
# Each figure is the median of REPEAT runs (default 3), each after `sync`; every stored body is checked against
# the dump's SHA-256. Beside the rates, the CPU seconds (user + system) the receiving process spent on the upload,
# and the sandbox's peak resident memory (-Xmx64m by default: memory must not grow with the dump), and the TLS
# version and cipher curl negotiated with each server. Every server takes a free port of its own.
# Usage: bench/sandbox-upload.sh [size-in-MiB] (default 1024). Needs curl, python3, bc, a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1024}
HEAP=${HEAP:-64m}
REPEAT=${REPEAT:-3}
source bench/lib.sh
ensure_jar
work=$(mktemp -d /tmp/sandbox-bench.XXXXXX)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

sql_dump "$work/dump.sql" "$SIZE_MB"
bytes=$(stat -c %s "$work/dump.sql")
sha=$(sha256sum < "$work/dump.sql")
same() { [ "$(sha256sum < "$1")" = "$sha" ] || { echo "$2: the stored body differs from the dump" >&2; exit 1; }; }

# the receiver: PORT-FILE TARGET-FILE|- [CERTIFICATE KEY]; Python's http.server taking a POST body a MiB at a time,
# on a free port it writes to PORT-FILE
cat > "$work/receiver.py" <<'PY'
import http.server, os, ssl, sys
port_file, target = sys.argv[1], sys.argv[2]
class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_POST(self):
        left, block = int(self.headers['Content-Length']), memoryview(bytearray(1 << 20))
        out = open(target, 'wb') if target != '-' else None
        while left > 0:
            n = self.rfile.readinto(block[:min(left, len(block))])
            if not n: break
            if out: out.write(block[:n])
            left -= n
        if out: out.close()
        self.send_response(200 if left == 0 else 400); self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *a): pass
server = http.server.HTTPServer(('127.0.0.1', 0), Receiver)
if len(sys.argv) > 3:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); context.load_cert_chain(sys.argv[3], sys.argv[4])
    server.socket = context.wrap_socket(server.socket, server_side=True)
with open(port_file + '.tmp', 'w') as f: f.write(str(server.server_address[1]))
os.rename(port_file + '.tmp', port_file)
server.serve_forever()
PY
# sandbox NAME [--tls]: started from the jar on free ports, its pid in $!
sandbox() {
  "$JAVA_HOME/bin/java" -Xmx$HEAP -jar target/odoo-upgrade.jar sandbox --data-dir "$work/$1" --http-port 0 --sftp-port 0 "${@:2}" \
    > "$work/$1.log" 2>&1 &
}
sandbox plain; PLAIN=$!; PIDS+=($PLAIN)
sandbox tls --tls; TLS=$!; PIDS+=($TLS)
sandbox_ready "$work/plain.log" $PLAIN; sandbox_ready "$work/tls.log" $TLS
PLAIN_API=$(sandbox_api "$work/plain.log"); TLS_API=$(sandbox_api "$work/tls.log")
CA="$work/tls/tls/certificate.pem"; KEY="$work/tls/tls/private-key.pem"
# receiver NAME TARGET [CERTIFICATE KEY]: its pid in $!, its port in $work/NAME.port
receiver() { python3 "$work/receiver.py" "$work/$1.port" "${@:2}" & PIDS+=($!); }
receiver discard -; DISCARD=$!
receiver disk "$work/received.sql"; DISK=$!
receiver tls-discard - "$CA" "$KEY"; TLS_DISCARD=$!
receiver tls-disk "$work/received.sql" "$CA" "$KEY"; TLS_DISK=$!
port() { for _ in $(seq 1 50); do [ -s "$work/$1.port" ] && break; sleep 0.1; done; cat "$work/$1.port"; }
# cipher URL: the TLS version and cipher curl negotiates with the server at URL
cipher() { curl -sv --cacert "$CA" -o /dev/null "$1" 2>&1 | sed -n 's/.*SSL connection using \(.*\)$/\1/p' | head -1; }

declare -a lines
# upload_row NAME RECEIVER-PID URL-MAKER STORED-FILE-MAKER: REPEAT uploads by curl; the median rate and receiver CPU
# (the median seconds also in $last)
upload_row() {
  local name=$1 pid=$2 url_of=$3 stored_of=$4 walls=() cpus=() url stored before s e
  for _ in $(seq "$REPEAT"); do
    url=$($url_of); stored=$($stored_of "$url")
    sync
    before=$(cpu "$pid"); s=$(date +%s.%N)
    curl -sS --fail --cacert "$CA" -T "$work/dump.sql" -X POST -H 'Content-Type: application/octet-stream' "$url" > /dev/null
    e=$(date +%s.%N)
    cpus+=("$(echo "$(cpu "$pid") - $before" | bc -l)"); walls+=("$(echo "$e - $s" | bc -l)")
    [ "$stored" = - ] || { same "$stored" "$name"; rm -f "$stored"; }
  done
  last=$(median "${walls[@]}")
  lines+=("$(printf "%-34s %7.1f MiB/s   receiver CPU %.2f s" "$name" "$(rate "$last")" "$(median "${cpus[@]}")")")
}
# a new request of the sandbox at BASE: its upload URL
sandbox_url() {
  local id key; read id key < <(new_request "$1"); echo "$1/upload?key=$key&request=$id"
}
plain_url() { sandbox_url "$PLAIN_API"; }
tls_url() { sandbox_url "$TLS_API"; }
stored_plain() { local id=${1##*request=}; echo "$work/plain/requests/$id/files/dump.sql"; }
stored_tls() { local id=${1##*request=}; echo "$work/tls/requests/$id/files/dump.sql"; }
none() { echo -; }
received() { echo "$work/received.sql"; }
url_discard() { echo "http://127.0.0.1:$(port discard)/"; }
url_disk() { echo "http://127.0.0.1:$(port disk)/"; }
url_tls_discard() { echo "https://127.0.0.1:$(port tls-discard)/"; }
url_tls_disk() { echo "https://127.0.0.1:$(port tls-disk)/"; }

cps=()
for _ in $(seq "$REPEAT"); do
  sync; s=$(date +%s.%N); cp "$work/dump.sql" "$work/copy.sql"; e=$(date +%s.%N); rm -f "$work/copy.sql"
  cps+=("$(echo "$e - $s" | bc -l)")
done
lines+=("$(printf "%-34s %7.1f MiB/s" "cp (disk)" "$(rate "$(median "${cps[@]}")")")")
upload_row "HTTP  -> receiver, discarding" $DISCARD url_discard none
upload_row "HTTP  -> receiver, to disk" $DISK url_disk received; t_disk=$last
upload_row "HTTP  -> sandbox" $PLAIN plain_url stored_plain; t_sandbox=$last
upload_row "HTTPS -> receiver, discarding" $TLS_DISCARD url_tls_discard none
upload_row "HTTPS -> receiver, to disk" $TLS_DISK url_tls_disk received; t_tls_disk=$last
upload_row "HTTPS -> sandbox" $TLS tls_url stored_tls; t_tls_sandbox=$last
hwm() { awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$1/status"; }

echo "date:     $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "dump:     $SIZE_MB MiB; every stored body checked (SHA-256); medians of $REPEAT runs, each after sync"
echo "receiver: Python $(python3 -c 'import sys; print(sys.version.split()[0])'), $(python3 -c 'import ssl; print(ssl.OPENSSL_VERSION)'); sandbox -Xmx$HEAP"
echo "TLS:      curl -> receiver $(cipher "$(url_tls_disk)"); curl -> sandbox $(cipher "$TLS_API/status")"
printf '%s\n' "${lines[@]}"
printf "sandbox / receiver to disk:  HTTP %.2f   HTTPS %.2f\n" "$(echo "$t_disk / $t_sandbox" | bc -l)" "$(echo "$t_tls_disk / $t_tls_sandbox" | bc -l)"
echo "sandbox peak RSS: HTTP $(hwm $PLAIN), HTTPS $(hwm $TLS)"
