#!/usr/bin/env bash
# Benchmark: a run killed (SIGKILL) half way through an SFTP upload, then `resume`.
# Records what a resume costs: the bytes sent twice, that is the bytes the server wrote over SFTP in all
# (the sandbox's own count, in its log line at each closed upload) less the dump's size (goal: <= 1 % of
# the dump); and the seconds from starting `resume` to bytes moving again (a JVM, the embedded engine
# and the workers start, the platform is asked where the request is, SFTP access is asked again).
# The platform is a sandbox in its own JVM that outlives the run, as the real one does; it and the run
# take free ports of their own. A run or a resume that has not ended after DEADLINE seconds (default
# 1800) fails the benchmark.
# Usage: bench/resume-sftp.sh [size-in-MiB] (default 1024). Needs python3, sha256sum, a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1024}
source bench/lib.sh
ensure_jar
work=$(mktemp -d /tmp/resume-bench.XXXXXX)
SANDBOX_PID=""; RUN_PID=""
trap 'kill -9 $RUN_PID 2>/dev/null || true; kill $SANDBOX_PID 2>/dev/null || true; rm -rf "$work"' EXIT

sql_dump "$work/dump.sql" "$SIZE_MB"
bytes=$(stat -c %s "$work/dump.sql")
half=$((bytes / 2))

DEADLINE=${DEADLINE:-1800}
"$JAVA_HOME/bin/java" -jar target/odoo-upgrade.jar sandbox --data-dir "$work/data" --http-port 0 --sftp-port 0 \
  > "$work/sandbox.log" 2>&1 & SANDBOX_PID=$!
sandbox_ready "$work/sandbox.log" $SANDBOX_PID
API=$(sandbox_api "$work/sandbox.log")

options=(--dump "$work/dump.sql" --output "$work/out" --api-url "$API"
  --contract M123456-abcdef --email bench@example.com --upload-method sftp --poll-interval 1s
  --sftp-known-hosts "$work/data/ssh/known_hosts")
bin/odoo-upgrade run "${options[@]}" > "$work/run.log" 2>&1 & RUN_PID=$!
stored="$work/data/requests/1/files/dump.sql"
end=$(( $(date +%s) + DEADLINE ))
while [ "$(stat -c %s "$stored" 2>/dev/null || echo 0)" -lt $half ]; do
  kill -0 $RUN_PID 2>/dev/null || { echo "the run ended before half the dump was sent:" >&2; cat "$work/run.log" >&2; exit 1; }
  [ "$(date +%s)" -lt $end ] || { echo "FAILED: half the dump was not sent after ${DEADLINE} s" >&2; exit 1; }
  sleep 0.02
done
kill -9 $RUN_PID; wait $RUN_PID 2>/dev/null || true; RUN_PID=""
sleep 1 # the server closes the dead session's file
held=$(stat -c %s "$stored")

start=$(date +%s.%N)
bin/odoo-upgrade resume --output "$work/out" > "$work/resume.log" 2>&1 & RUN_PID=$!
end=$(( $(date +%s) + DEADLINE ))
while [ "$(stat -c %s "$stored")" -le "$held" ]; do
  kill -0 $RUN_PID 2>/dev/null || break
  [ "$(date +%s)" -lt $end ] || { echo "FAILED: no byte moved ${DEADLINE} s after resume started" >&2; exit 1; }
  sleep 0.02
done
moving=$(echo "$(date +%s.%N) - $start" | bc -l)
rc=0; timeout_wait $RUN_PID $DEADLINE || rc=$?; RUN_PID=""
total=$(echo "$(date +%s.%N) - $start" | bc -l)
[ $rc = 0 ] || { echo "resume exited $rc:" >&2; cat "$work/resume.log" >&2; exit 1; }

offset=$(sed -n 's/.*resuming SFTP upload of request [0-9]* at byte \([0-9]*\) of .*/\1/p' "$work/resume.log" | head -1)
[ -n "$offset" ] || { echo "resume did not say where it resumed:" >&2; cat "$work/resume.log" >&2; exit 1; }
written=$(sed -n 's/.*SFTP upload file closed; \([0-9]*\) bytes written over SFTP.*/\1/p' "$work/sandbox.log" | tail -1)
[ -n "$written" ] || { echo "the sandbox did not say what it wrote:" >&2; cat "$work/sandbox.log" >&2; exit 1; }
requests=$(ls "$work/data/requests" | wc -l)
[ "$requests" = 1 ] || { echo "the platform holds $requests requests, not 1" >&2; exit 1; }
[ "$(sha256sum < "$stored")" = "$(sha256sum < "$work/dump.sql")" ] || { echo "the stored dump differs from the one sent" >&2; exit 1; }
upgraded=$(ls "$work"/out/request-1/upgraded_dump.sql)
[ "$(sha256sum < "$upgraded")" = "$(sha256sum < "$work/dump.sql")" ] || { echo "the downloaded dump differs" >&2; exit 1; }

resent=$((written - bytes))
echo "dump:                          $bytes bytes ($SIZE_MB MiB)"
echo "held by the server at the kill: $held bytes ($(echo "scale=1; 100 * $held / $bytes" | bc -l) %)"
echo "resume restarted from:          $offset bytes"
echo "written by the server in all:   $written bytes"
echo "sent again:                     $resent bytes = $(echo "scale=4; 100 * $resent / $bytes" | bc -l) % of the dump (goal <= 1 %)"
echo "resume to bytes moving:         $(printf %.1f "$moving") s"
echo "resume to the end (upgraded):   $(printf %.1f "$total") s"
echo "requests on the platform:       $requests; stored and downloaded dumps: sha256 equal to the dump's"
