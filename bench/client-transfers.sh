#!/usr/bin/env bash
# Benchmark: the project's transfer client against the standard tools, same file, same server.
#   HTTP upload:   UpgradeClient.upload          vs  curl -T           -> sandbox HTTP API, plain HTTP
#   HTTPS upload:  the same over TLS             vs  curl --cacert -T  -> a second sandbox serving HTTPS (--tls);
#                                                                         both trust its certificate alone
#   SFTP upload:   SftpTransfer (JSch)           vs  OpenSSH sftp put  -> a real OpenSSH sshd (loopback port)
#                                                                     -> the sandbox's SFTP server (MINA)
#   downloads:     HttpDownload / SftpTransfer   vs  curl / sftp get   (HTTP, HTTPS, SFTP)
# Both sides are timed the same way: each transfer is one process, timed from its start to its end
# by this script (the client's JVM start counts, as curl's and sftp's start do), after the disk's dirty
# pages were written out (sync), so that every transfer starts alike. The HTTP(S) client is also timed
# "warm": in a JVM that made the same transfer once before (as in the workers, which live for days), a
# second one with a new connection and TLS handshake, timed by the client itself; and so is the JDK's own
# socket (and TLS) with HTTP/1.1 written by hand, no library and no hash: what the JVM alone reaches. The client also reports
# its transfer alone and its peak RSS (-Xmx64m: memory must not grow with the file); every output is
# checked against the source file's SHA-256. Each figure is the median of REPEAT runs (default 3).
# Beside the times, the CPU seconds each side spent (user + system, all threads: the tool's and the client's
# whole process, the warm client's transfer alone) and the server's during the tool's transfer: wall times on
# this machine move with its disk and memory, CPU seconds much less.
# Usage: bench/client-transfers.sh [size-in-MiB] (default 1024).
# Needs: a JDK >= 21, curl, python3, bc, openssh-client and openssh-server (for /usr/sbin/sshd).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1024}
HEAP=${HEAP:-64m}
REPEAT=${REPEAT:-3}
source bench/lib.sh
JAVA="$JAVA_HOME/bin/java"
need_sshd
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
CP="target/classes:target/test-classes:$(cat target/bench.cp)"
work=$(mktemp -d /tmp/client-bench.XXXXXX)
SANDBOX_PID=""; TLS_PID=""; SSHD_PID=""
# stop the servers and wait for them, so that their ports are free for the next run
trap 'kill $SANDBOX_PID $TLS_PID $SSHD_PID 2>/dev/null || true; wait $SANDBOX_PID $TLS_PID $SSHD_PID 2>/dev/null || true; rm -rf "$work"' EXIT

sql_dump "$work/dump.sql" "$SIZE_MB"
bytes=$(stat -c %s "$work/dump.sql")
sha=$(sha256sum "$work/dump.sql" | cut -d' ' -f1)
largest() { printf '%s\n' "$@" | sort -g | tail -n 1; }
# a tool as a whole process: "seconds cpu-seconds" (user + system, bash's own count of the child)
whole() {
  sync
  local TIMEFORMAT='%3R %3U %3S' t r u c
  t=$( { time "$@" >/dev/null 2>"$work/err"; } 2>&1 ) || { cat "$work/err" >&2; return 1; }
  read r u c <<< "$t"
  echo "$r $(echo "$u + $c" | bc -l)"
}
# the client as a whole process: "process-seconds process-cpu-seconds transfer-seconds transfer-cpu-seconds peak-rss-MiB";
# TRUST (a PEM), WARM, WARMUP and WARMUP_FILE (the server's file of a warm-up upload, deleted before the timed one) from the environment
client() {
  rm -f "$work/client.out"
  local t
  t=$(whole "$JAVA" -Xmx$HEAP ${TRUST:+-Dbench.trust=$TRUST} ${WARM:+-Dbench.warm=true} ${WARMUP:+"-Dbench.warmup=$WARMUP"} \
    ${WARMUP_FILE:+"-Dbench.warmupFile=$WARMUP_FILE"} -cp "$CP" \
    -Dbench.out="$work/client.out" io.github.odooupgrade.bench.ClientBench "$@") || return 1
  echo "$t $(cat "$work/client.out")"
}
same() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$sha" ] || { echo "$2: the bytes that arrived differ from the source" >&2; exit 1; }; }

# --- the sandbox (HTTP + MINA SFTP), 10 ms per state so downloads are ready at once; a second one serving HTTPS
# sandbox NAME [--tls]: started in the background on free ports, its pid in $!
sandbox() {
  "$JAVA" -cp "$CP" io.github.odooupgrade.cli.Main sandbox --data-dir "$work/$1" --http-port 0 --sftp-port 0 \
    --pending 10ms --progress 10ms --test 10ms "${@:2}" > "$work/$1.log" 2>&1 &
}
sandbox sandbox; SANDBOX_PID=$!
sandbox sandbox-tls --tls; TLS_PID=$!
sandbox_ready "$work/sandbox.log" $SANDBOX_PID; sandbox_ready "$work/sandbox-tls.log" $TLS_PID
API=$(sandbox_api "$work/sandbox.log")
SB_SFTP_PORT=$(sandbox_sftp_port "$work/sandbox.log")
TLS_API=$(sandbox_api "$work/sandbox-tls.log")
CA="$work/sandbox-tls/tls/certificate.pem"
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['request']['$1'])"; }

# The figures of one row, medians of REPEAT runs: the tool; the client cold (whole process), its transfer alone,
# warm; and the JDK's own socket warm (no HTTP library, no hash: what the JVM alone reaches)
# (each with its CPU seconds; server: the server's CPU seconds during the tool's transfer)
declare -a tool toolcpu server cold coldcpu alone warm warmcpu jdk jdkcpu rss
reset() { tool=(); toolcpu=(); server=(); cold=(); coldcpu=(); alone=(); warm=(); warmcpu=(); jdk=(); jdkcpu=(); rss=(); }
# tool_run SERVER-PID COMMAND...: the tool as a whole process (an empty PID: the server's CPU is not measured)
tool_run() {
  local pid=$1 before w c; shift
  [ -z "$pid" ] || before=$(cpu "$pid")
  read w c < <(whole "$@"); [ -n "$w" ] || exit 1
  tool+=("$w"); toolcpu+=("$c")
  [ -z "$pid" ] || server+=("$(echo "$(cpu "$pid") - $before" | bc -l)")
}
# client_runs LABEL CHECK-FILE MODE ARGS...: the client cold, each output checked
client_runs() {
  local label=$1 check=$2 p pc x xc r; shift 2
  rm -f "$check"; read p pc x xc r < <(client "$@"); [ -n "$r" ] || exit 1
  same "$check" "client $label"; cold+=("$p"); coldcpu+=("$pc"); alone+=("$x"); rss+=("$r")
}
# warm_run LIST LABEL CHECK-FILE MODE ARGS...: one warm run (WARMUP from the environment) added to LIST (and LISTcpu)
warm_run() {
  local -n into=$1 intocpu=$1cpu; local label=$2 check=$3 p pc x xc r; shift 3
  rm -f "$check"; read p pc x xc r < <(WARM=1 client "$@"); [ -n "$r" ] || exit 1
  same "$check" "$label, warm"; into+=("$x"); intocpu+=("$xc"); rss+=("$r")
}
declare -a lines
# row NAME TOOL-LABEL CLIENT-LABEL: the row's line, from the collected runs
row() {
  local t=$(median "${tool[@]}") c=$(median "${cold[@]}") a=$(median "${alone[@]}") more=""
  if [ ${#warm[@]} -gt 0 ]; then
    local w=$(median "${warm[@]}") j=$(median "${jdk[@]}")
    more=$(printf "   warm %7.1f MiB/s = %.2f   JDK socket alone, warm %7.1f MiB/s = %.2f" "$(rate "$w")" "$(echo "$t / $w" | bc -l)" \
      "$(rate "$j")" "$(echo "$t / $j" | bc -l)")
  fi
  local cpus=$(printf "CPU s: tool %.2f, client %.2f" "$(median "${toolcpu[@]}")" "$(median "${coldcpu[@]}")")
  [ ${#warm[@]} -eq 0 ] || cpus+=$(printf ", warm %.2f, JDK socket %.2f" "$(median "${warmcpu[@]}")" "$(median "${jdkcpu[@]}")")
  [ ${#server[@]} -eq 0 ] || cpus+=$(printf "; server during the tool's %.2f" "$(median "${server[@]}")")
  lines+=("$(printf "%-15s %-8s %7.1f MiB/s   %-6s %7.1f MiB/s = %.2f (transfer alone %7.1f MiB/s)%s   peak RSS %s MiB   %s" \
    "$1" "$2" "$(rate "$t")" "$3" "$(rate "$c")" "$(echo "$t / $c" | bc -l)" "$(rate "$a")" "$more" "$(largest "${rss[@]}")" "$cpus")")
}

# upload_row NAME BASE DATA-DIR SERVER-PID: curl -T against the client, each into a request of its own
upload_row() {
  local name=$1 base=$2 dir=$3 pid=$4 id key wid wkey; reset
  stored() { echo "$dir/requests/$1/files/dump.sql"; }
  for _ in $(seq "$REPEAT"); do
    read id key < <(new_request "$base")
    tool_run "$pid" curl -sS --fail --cacert "$CA" -T "$work/dump.sql" -X POST -H 'Content-Type: application/octet-stream' "$base/upload?key=$key&request=$id"
    same "$(stored "$id")" "curl -T ($name)"; rm -f "$(stored "$id")" # (the disk holds a copy or two at a time)
    read id key < <(new_request "$base")
    client_runs "$name" "$(stored "$id")" http-upload "$base" "$id" "$key" "$work/dump.sql"; rm -f "$(stored "$id")"
    read id key < <(new_request "$base"); read wid wkey < <(new_request "$base")
    WARMUP="$wid $wkey" WARMUP_FILE="$(stored "$wid")" warm_run warm "client $name" "$(stored "$id")" http-upload "$base" "$id" "$key" "$work/dump.sql"
    rm -f "$(stored "$id")" "$(stored "$wid")"
    read id key < <(new_request "$base"); read wid wkey < <(new_request "$base")
    WARMUP="$base/upload?key=$wkey&request=$wid" WARMUP_FILE="$(stored "$wid")" warm_run jdk "JDK socket $name" "$(stored "$id")" jdk-upload "$base/upload?key=$key&request=$id" "$work/dump.sql"
    rm -f "$(stored "$id")" "$(stored "$wid")"
  done
  row "$name" "curl -T" client
}
# download_row NAME BASE SERVER-PID: curl against the client, the upgraded dump of one request
download_row() {
  local name=$1 base=$2 pid=$3 id key url; reset
  read id key < <(new_request "$base")
  curl -sS --fail --cacert "$CA" -T "$work/dump.sql" -X POST "$base/upload?key=$key&request=$id" >/dev/null
  curl -sS --cacert "$CA" "$base/process?key=$key&request=$id" >/dev/null
  for _ in $(seq 1 100); do curl -sS --cacert "$CA" "$base/status?key=$key&request=$id" | grep -q '"state": *"done"' && break; sleep 0.2; done
  url=$(curl -sS --cacert "$CA" "$base/status?key=$key&request=$id" | field upgraded_dump_url)
  for _ in $(seq "$REPEAT"); do
    tool_run "$pid" curl -sS --fail --cacert "$CA" -o "$work/dl-curl.sql" "$url"; same "$work/dl-curl.sql" "curl ($name)"; rm -f "$work/dl-curl.sql"
    client_runs "$name" "$work/dl-client.sql" http-download "$url" "$work/dl-client.sql"
    warm_run warm "client $name" "$work/dl-client.sql" http-download "$url" "$work/dl-client.sql"
    warm_run jdk "JDK socket $name" "$work/dl-client.sql" jdk-download "$url" "$work/dl-client.sql"
    rm -f "$work/dl-client.sql"
  done
  row "$name" curl client
}

upload_row "HTTP upload" "$API" "$work/sandbox" $SANDBOX_PID
download_row "HTTP download" "$API" $SANDBOX_PID
TRUST=$CA upload_row "HTTPS upload" "$TLS_API" "$work/sandbox-tls" $TLS_PID
TRUST=$CA download_row "HTTPS download" "$TLS_API" $TLS_PID
rm -f "$work/sandbox/requests"/*/files/* "$work/sandbox-tls/requests"/*/files/* # (the disk holds a copy or two at a time)
tls_curl=$(curl -sS -v --cacert "$CA" -o /dev/null "$TLS_API/status" 2>&1 | sed -n 's/.*SSL connection using //p' | head -n 1)
tls_client=$("$JAVA" -cp "$CP" -Dbench.trust="$CA" io.github.odooupgrade.bench.ClientBench tls-info "$TLS_API/status")

# --- a private OpenSSH sshd on a loopback port, root's key only, sftp subsystem
start_sshd "$work"
cp "$work/known_hosts" "$work/known_hosts_openssh"
SFTP_OPTS="-i $work/id_ed25519 -o UserKnownHostsFile=$work/known_hosts_openssh -o StrictHostKeyChecking=yes -o BatchMode=yes"
SB_OPTS="-i $work/id_ed25519 -o UserKnownHostsFile=$work/sandbox/ssh/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes"
me=$(id -un)
# sftp_access: "id key" of a new request of the plain sandbox that lets our key in
sftp_access() {
  local id key; read id key < <(new_request "$API")
  curl -sS "$API/request_sftp_access?key=$key&request=$id" -F ssh_keys=@"$work/id_ed25519.pub" >/dev/null
  echo "$id $key"
}

reset
for _ in $(seq "$REPEAT"); do
  echo "put $work/dump.sql $work/up-openssh.sql" > "$work/batch"
  tool_run "" sftp $SFTP_OPTS -b "$work/batch" -P $SSHD_PORT "$me@127.0.0.1"; same "$work/up-openssh.sql" "OpenSSH sftp upload"; rm -f "$work/up-openssh.sql"
  client_runs "JSch upload" "$work/up-jsch.sql" sftp-upload 127.0.0.1 $SSHD_PORT "$me" "$work/id_ed25519" "$work/known_hosts_openssh" "$work/up-jsch.sql" "$work/dump.sql"
  rm -f "$work/up-jsch.sql"
done
row "SFTP -> OpenSSH" sftp JSch

reset
for _ in $(seq "$REPEAT"); do
  rm -f "$work/sandbox/requests"/*/files/dump.sql # (the previous run's; the last one's is downloaded below)
  read id key < <(sftp_access); echo "put $work/dump.sql dump.sql" > "$work/batch"
  tool_run $SANDBOX_PID sftp $SB_OPTS -b "$work/batch" -P $SB_SFTP_PORT "user_$id@127.0.0.1"; same "$work/sandbox/requests/$id/files/dump.sql" "OpenSSH sftp upload to the sandbox"
  rm -f "$work/sandbox/requests/$id/files/dump.sql"
  read id key < <(sftp_access)
  client_runs "JSch upload to the sandbox" "$work/sandbox/requests/$id/files/dump.sql" sftp-upload 127.0.0.1 $SB_SFTP_PORT "user_$id" "$work/id_ed25519" "$work/sandbox/ssh/known_hosts" dump.sql "$work/dump.sql"
done
row "SFTP -> sandbox" sftp JSch

# SFTP download of the upgraded dump of the last request: OpenSSH sftp get vs JSch
curl -sS "$API/process?key=$key&request=$id" >/dev/null
for _ in $(seq 1 100); do curl -sS "$API/status?key=$key&request=$id" | grep -q '"state": *"done"' && break; sleep 0.2; done
reset
for _ in $(seq "$REPEAT"); do
  echo "get upgraded_dump.sql $work/dl-openssh.sql" > "$work/batch"
  tool_run $SANDBOX_PID sftp $SB_OPTS -b "$work/batch" -P $SB_SFTP_PORT "user_$id@127.0.0.1"; same "$work/dl-openssh.sql" "OpenSSH sftp download"; rm -f "$work/dl-openssh.sql"
  client_runs "JSch download" "$work/dl-jsch.sql" sftp-download 127.0.0.1 $SB_SFTP_PORT "user_$id" "$work/id_ed25519" "$work/sandbox/ssh/known_hosts" dump.sql "$work/dl-jsch.sql"
  rm -f "$work/dl-jsch.sql"
done
row "SFTP <- sandbox" sftp JSch

echo "date:      $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores; $("$JAVA" -version 2>&1 | head -1); file $SIZE_MB MiB ($bytes bytes); client -Xmx$HEAP; median of $REPEAT runs"
echo "every transfer checked: the bytes that arrived have the source's SHA-256"
echo "TLS: curl $tls_curl; client $tls_client"
echo "rates of whole processes (start to end), each after sync; = tool time / client time (> 1: the client is faster);"
echo "warm: the client's second transfer in one JVM (new connection and handshake), against the tool's whole process;"
echo "JDK socket alone: the same, through the JDK's own socket and TLS with HTTP/1.1 written by hand, no hash"
echo "CPU s: user + system seconds, medians: the tool's and the client's whole process, the warm transfers alone (all the JVM's threads);"
echo "server during the tool's: what the server spent while the tool's transfer ran (the sandbox's JVM; not measured for OpenSSH's sshd)"
printf '%s\n' "${lines[@]}"
