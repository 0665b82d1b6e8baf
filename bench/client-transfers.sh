#!/usr/bin/env bash
# Benchmark: the project's transfer client against the standard tools, same file, same server.
#   HTTPS upload:  UpgradeClient.upload          vs  curl -T           -> sandbox HTTP API
#   SFTP upload:   SftpTransfer (JSch)           vs  OpenSSH sftp put  -> a real OpenSSH sshd (loopback port)
#                                                                     -> the sandbox's SFTP server (MINA)
#   downloads:     HttpDownload / SftpTransfer   vs  curl / sftp get
# Both sides are timed the same way: each transfer is one process, timed from its start to its end
# by this script (the client's JVM start counts, as curl's and sftp's start do). The client also
# reports the transfer alone and its peak RSS (-Xmx64m: memory must not grow with the file); every
# output is checked against the source file's SHA-256. Usage: bench/client-transfers.sh [size-in-MiB]
# (default 1024).
# Needs: a JDK >= 21, curl, python3, bc, openssh-client and openssh-server (for /usr/sbin/sshd).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1024}
HEAP=${HEAP:-64m}
source bench/lib.sh
JAVA="$JAVA_HOME/bin/java"
if [ ! -x /usr/sbin/sshd ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server bc >/dev/null
  else
    echo "needs /usr/sbin/sshd: apt-get install openssh-server" >&2; exit 1
  fi
fi
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
CP="target/classes:target/test-classes:$(cat target/bench.cp)"
work=$(mktemp -d /tmp/client-bench.XXXXXX)
SANDBOX_PID=""; SSHD_PID=""
# stop the servers and wait for them, so that their ports are free for the next run
trap 'kill $SANDBOX_PID $SSHD_PID 2>/dev/null || true; wait $SANDBOX_PID $SSHD_PID 2>/dev/null || true; rm -rf "$work"' EXIT

sql_dump "$work/dump.sql" "$SIZE_MB"
bytes=$(stat -c %s "$work/dump.sql")
sha=$(sha256sum "$work/dump.sql" | cut -d' ' -f1)
rate() { echo "scale=1; $bytes / 1048576 / $1" | bc -l; }
seconds() { local s=$(date +%s.%N); "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }; local e=$(date +%s.%N); echo "$e - $s" | bc -l; }
# the client as a whole process: "process-seconds transfer-seconds peak-rss-MiB"
bench() {
  local s=$(date +%s.%N) out
  out=$("$JAVA" -Xmx$HEAP -cp "$CP" io.github.odooupgrade.bench.ClientBench "$@" 2>"$work/err") || { cat "$work/err" >&2; return 1; }
  local e=$(date +%s.%N)
  echo "$(echo "$e - $s" | bc -l) $out"
}
same() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$sha" ] || { echo "$2: the bytes that arrived differ from the source" >&2; exit 1; }; }

# --- the sandbox (HTTP + MINA SFTP), 10 ms per state so downloads are ready at once
"$JAVA" -cp "$CP" io.github.odooupgrade.cli.Main sandbox --data-dir "$work/sandbox" --http-port 18795 --sftp-port 18796 \
  --pending 10ms --progress 10ms --test 10ms > "$work/sandbox.log" 2>&1 & SANDBOX_PID=$!
for _ in $(seq 1 100); do grep -q "API:" "$work/sandbox.log" && break; sleep 0.2; done
kill -0 $SANDBOX_PID 2>/dev/null && grep -q "API:" "$work/sandbox.log" || { echo "the sandbox did not start:" >&2; cat "$work/sandbox.log" >&2; exit 1; }
API=http://127.0.0.1:18795/database/v1
create() { curl -sS "$API/create?contract=M123456-abcdef&email=a@b.co&target=13.0&aim=test&filename=$1"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['request']['$1'])"; }

# HTTPS upload: curl vs client, each into a request of its own
r=$(create dump.sql); id=$(echo "$r" | field id); key=$(echo "$r" | field key)
t_curl=$(seconds curl -sS --fail -T "$work/dump.sql" -X POST -H 'Content-Type: application/octet-stream' "$API/upload?key=$key&request=$id")
same "$work/sandbox/requests/$id/files/dump.sql" "curl -T upload"
r=$(create dump.sql); idc=$(echo "$r" | field id); keyc=$(echo "$r" | field key)
read t_client x_client rss_up < <(bench http-upload "$API" "$idc" "$keyc" "$work/dump.sql")
same "$work/sandbox/requests/$idc/files/dump.sql" "client HTTPS upload"

# HTTPS download of that upgraded dump: curl vs client
curl -sS "$API/process?key=$key&request=$id" >/dev/null; sleep 1
url=$(curl -sS "$API/status?key=$key&request=$id" | field upgraded_dump_url)
t_curl_dl=$(seconds curl -sS --fail -o "$work/dl-curl.sql" "$url")
same "$work/dl-curl.sql" "curl download"
read t_client_dl x_client_dl rss_dl < <(bench http-download "$url" "$work/dl-client.sql")
same "$work/dl-client.sql" "client HTTPS download"
rm -f "$work/dl-curl.sql" "$work/dl-client.sql"

# --- a private OpenSSH sshd on a loopback port, root's key only, sftp subsystem
mkdir -p -m 755 /run/sshd "$work/sshd"
ssh-keygen -q -t ed25519 -N "" -f "$work/sshd/host_key"
ssh-keygen -q -t ed25519 -N "" -f "$work/id_ed25519"
cp "$work/id_ed25519.pub" "$work/sshd/authorized_keys"
cat > "$work/sshd/config" <<CFG
Port 18797
ListenAddress 127.0.0.1
HostKey $work/sshd/host_key
PidFile $work/sshd/pid
AuthorizedKeysFile $work/sshd/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
CFG
/usr/sbin/sshd -D -f "$work/sshd/config" -E "$work/sshd/log" & SSHD_PID=$!
sleep 1
kill -0 $SSHD_PID 2>/dev/null || { echo "sshd did not start:" >&2; cat "$work/sshd/log" >&2; exit 1; }
echo "[127.0.0.1]:18797 $(cut -d' ' -f1-2 "$work/sshd/host_key.pub")" > "$work/known_hosts_openssh"
SFTP_OPTS="-i $work/id_ed25519 -o UserKnownHostsFile=$work/known_hosts_openssh -o StrictHostKeyChecking=yes -o BatchMode=yes"
me=$(id -un)
echo "put $work/dump.sql $work/up-openssh.sql" > "$work/batch"
t_ossh=$(seconds sftp $SFTP_OPTS -b "$work/batch" -P 18797 "$me@127.0.0.1")
same "$work/up-openssh.sql" "OpenSSH sftp upload"
rm -f "$work/up-openssh.sql"
read t_jsch x_jsch rss_sftp < <(bench sftp-upload 127.0.0.1 18797 "$me" "$work/id_ed25519" "$work/known_hosts_openssh" "$work/up-jsch.sql" "$work/dump.sql")
same "$work/up-jsch.sql" "JSch upload"
rm -f "$work/up-jsch.sql"

# --- the same two clients against the sandbox's SFTP server
r=$(create dump.sql); id=$(echo "$r" | field id); key=$(echo "$r" | field key)
curl -sS "$API/request_sftp_access?key=$key&request=$id" -F ssh_keys=@"$work/id_ed25519.pub" >/dev/null
echo "put $work/dump.sql dump.sql" > "$work/batch2"
SB_OPTS="-i $work/id_ed25519 -o UserKnownHostsFile=$work/sandbox/ssh/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes"
t_ossh_sb=$(seconds sftp $SB_OPTS -b "$work/batch2" -P 18796 "user_$id@127.0.0.1")
same "$work/sandbox/requests/$id/files/dump.sql" "OpenSSH sftp upload to the sandbox"
r=$(create dump.sql); id2=$(echo "$r" | field id); key2=$(echo "$r" | field key)
curl -sS "$API/request_sftp_access?key=$key2&request=$id2" -F ssh_keys=@"$work/id_ed25519.pub" >/dev/null
read t_jsch_sb x_jsch_sb rss_sb < <(bench sftp-upload 127.0.0.1 18796 "user_$id2" "$work/id_ed25519" "$work/sandbox/ssh/known_hosts" dump.sql "$work/dump.sql")
same "$work/sandbox/requests/$id2/files/dump.sql" "JSch upload to the sandbox"

# SFTP download of the upgraded dump from the sandbox: OpenSSH sftp get vs JSch
curl -sS "$API/process?key=$key2&request=$id2" >/dev/null
for _ in $(seq 1 100); do curl -sS "$API/status?key=$key2&request=$id2" | grep -q '"state": *"done"' && break; sleep 0.2; done
echo "get upgraded_dump.sql $work/dl-openssh.sql" > "$work/batch3"
t_ossh_dl=$(seconds sftp $SB_OPTS -b "$work/batch3" -P 18796 "user_$id2@127.0.0.1")
same "$work/dl-openssh.sql" "OpenSSH sftp download"
rm -f "$work/dl-openssh.sql"
read t_jsch_dl x_jsch_dl rss_sftp_dl < <(bench sftp-download 127.0.0.1 18796 "user_$id2" "$work/id_ed25519" "$work/sandbox/ssh/known_hosts" dump.sql "$work/dl-jsch.sql")
same "$work/dl-jsch.sql" "JSch download"
rm -f "$work/dl-jsch.sql"

echo "date:      $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores; $("$JAVA" -version 2>&1 | head -1); file $SIZE_MB MiB ($bytes bytes); client -Xmx$HEAP"
echo "every transfer checked: the bytes that arrived have the source's SHA-256"
echo "rates of whole processes (start to end); ratio = tool time / client time (> 1: the client is faster); then the client's transfer alone"
line() { # name tool-label tool-seconds client-label client-seconds client-transfer-seconds rss
  printf "%-15s %-8s %7.1f MiB/s   %-6s %7.1f MiB/s   ratio %.2f   (client transfer alone %7.1f MiB/s)   client peak RSS %s MiB\n" \
    "$1" "$2" "$(rate $3)" "$4" "$(rate $5)" "$(echo "$3 / $5" | bc -l)" "$(rate $6)" "$7"
}
line "HTTPS upload"   "curl -T" "$t_curl"    client "$t_client"    "$x_client"    "$rss_up"
line "HTTPS download" "curl"    "$t_curl_dl" client "$t_client_dl" "$x_client_dl" "$rss_dl"
line "SFTP -> OpenSSH" "sftp"   "$t_ossh"    JSch   "$t_jsch"      "$x_jsch"      "$rss_sftp"
line "SFTP -> sandbox" "sftp"   "$t_ossh_sb" JSch   "$t_jsch_sb"   "$x_jsch_sb"   "$rss_sb"
line "SFTP <- sandbox" "sftp"   "$t_ossh_dl" JSch   "$t_jsch_dl"   "$x_jsch_dl"   "$rss_sftp_dl"
