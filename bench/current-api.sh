#!/usr/bin/env bash
# Benchmark: today's upgrade API in the sandbox, replayed as Odoo's own upgrade client goes through it —
# curl for the JSON-RPC calls (create, transfer/start, transfer/stop, process, status), rsync over ssh for
# the transfers, with the options that client uses — next to the same rsync to and from a plain OpenSSH
# sshd on a loopback port. What moves is a live database as that client sends one: its directory-format
# dump (pg_dump --format d --jobs 2, default compression) of a generated database of SIZE MiB, up; and the
# sandbox's directory dump of it, down.
#   upload:   rsync DIR/ -> odoo@sandbox:/data/origin.dump      vs  the same rsync -> sshd
#   download: rsync odoo@sandbox:/data/upgraded.dump …          vs  the same rsync <- sshd (a copy of it)
# Each figure is the median of REPEAT runs (default 3), each after sync, the two servers taking turns at
# going first; an upload goes to a new request each time (the platform takes one while it is new), a
# download into a new folder. Beside the rates, the CPU seconds of the receiving or sending server, the
# ciphers ssh negotiated with each, and the sandbox's peak RSS (-Xmx64m by default: memory must not grow
# with the dump). Every transfer is checked: the trees that arrived equal what was sent. A run that has
# not ended after DEADLINE seconds (default 3600) fails the benchmark.
# Usage: bench/current-api.sh [size-in-MiB] (default 2048). Needs: a JDK >= 21, PostgreSQL on 127.0.0.1:5432
# (user postgres, or PGUSER), its client tools, rsync, openssh-client and openssh-server, curl, python3, bc.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-2048}
HEAP=${HEAP:-64m}
REPEAT=${REPEAT:-3}
DEADLINE=${DEADLINE:-3600}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
source bench/lib.sh
need_sshd
ensure_jar
work=$(mktemp -d /tmp/current-bench.XXXXXX)
DB=bench_current_src
SANDBOX_PID=""; SSHD_PID=""
trap 'finish_bench $? $DB $SANDBOX_PID $SSHD_PID' EXIT
start_deadline

# --- the live database, and its directory dump as Odoo's client makes it
text_database $DB "$SIZE_MB"
pg_dump --no-owner --format d --jobs 2 --file "$work/origin.dump" $DB
bytes=$(du -sb "$work/origin.dump" | cut -f1)

# --- the sandbox (its own JVM, small heap, short states) and a private OpenSSH sshd
"$JAVA_HOME/bin/java" -Xmx$HEAP -jar target/odoo-upgrade.jar sandbox --data-dir "$work/data" --http-port 0 --sftp-port 0 \
  --pending 10ms --progress 10ms > "$work/sandbox.log" 2>&1 & SANDBOX_PID=$!
sandbox_ready "$work/sandbox.log" $SANDBOX_PID
BASE=$(sandbox_api "$work/sandbox.log"); BASE=${BASE%/database/v1}
start_sshd "$work"
ssh-keygen -q -t rsa -N "" -f "$work/upgrade_ssh_key"      # as Odoo's client makes its key
cat "$work/upgrade_ssh_key.pub" >> "$work/sshd/authorized_keys"
me=$(id -un)

# ssh_for PORT KNOWN-HOSTS: ssh as Odoo's client gives it to rsync
ssh_for() { echo "ssh -p $1 -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$2 -i $work/upgrade_ssh_key"; }
# cpu_all PID: the CPU seconds of a server and of its children it has waited for (sshd's per-connection processes,
# the sandbox's rrsync and rsync)
cpu_all() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15 + $16 + $17) / hz}' "/proc/$1/stat"; }
# timed PID COMMAND…: "seconds server-cpu-seconds" of the command, after sync
timed() {
  local pid=$1 before s e; shift
  sync; before=$(cpu_all "$pid"); s=$(date +%s.%N)
  "$@" > "$work/rsync.out" 2>&1 || { cat "$work/rsync.out" >&2; echo "FAILED: $*" >&2; exit 1; }
  e=$(date +%s.%N)
  sleep 0.5 # the server reaps the transfer's processes
  echo "$(echo "$e - $s" | bc -l) $(echo "$(cpu_all "$pid") - $before" | bc -l)"
}
same_tree() { diff -r "$1" "$2" > /dev/null || { echo "FAILED: $3: what arrived differs from what was sent" >&2; exit 1; }; }

declare -a su ss du ds suc ssc duc dsc
token=""
sandbox_upload() {
  local created port
  created=$(rpc create "{\"contract\": \"M123456-abcdef\", \"target\": \"18.0\", \"aim\": \"test\", \"actuator\": \"cli\", \"env_vars\": [], \"ssh_key\": $(python3 -c 'import json, sys; print(json.dumps(open(sys.argv[1]).read()))' "$work/upgrade_ssh_key.pub"), \"api_version\": \"0.2\"}")
  token=$(field token <<< "$created")
  local start; start=$(rpc transfer/start "{\"token\": \"$token\", \"transfer_type\": \"upload\"}")
  port=$(field ssh_port <<< "$start"); field known_hosts <<< "$start" > "$work/kh_sandbox"
  read t c < <(cd "$work" && timed $SANDBOX_PID rsync --chmod=u+rwx,g+rwx,o+r --info=progress2 --delete-after -are \
    "$(ssh_for "$port" "$work/kh_sandbox")" origin.dump/ odoo@127.0.0.1:/data/origin.dump)
  su+=("$t"); suc+=("$c")
  rpc transfer/stop "{\"token\": \"$token\"}" > /dev/null
  id=$(field request_id <<< "$created")
  same_tree "$work/origin.dump" "$work/data/requests/$id/remote/data/origin.dump" "rsync upload to the sandbox"
}
sshd_upload() {
  rm -rf "$work/sshd-data"; mkdir -p "$work/sshd-data"
  read t c < <(cd "$work" && timed $SSHD_PID rsync --chmod=u+rwx,g+rwx,o+r --info=progress2 --delete-after -are \
    "$(ssh_for "$SSHD_PORT" "$work/known_hosts")" origin.dump/ "$me@127.0.0.1:$work/sshd-data/origin.dump")
  ss+=("$t"); ssc+=("$c")
  same_tree "$work/origin.dump" "$work/sshd-data/origin.dump" "rsync upload to sshd"
}
for i in $(seq "$REPEAT"); do
  in_time
  if [ $((i % 2)) = 1 ]; then sandbox_upload; sshd_upload; else sshd_upload; sandbox_upload; fi
done
# cipher PORT KNOWN-HOSTS USER: the cipher ssh negotiates with that server (the command itself may be refused)
cipher() { $(ssh_for "$1" "$2") -v "$3@127.0.0.1" true 2>&1 | sed -n 's/.*kex: client->server cipher: \([^ ]*\).*/\1/p' | head -1 || true; }
start=$(rpc transfer/start "{\"token\": \"$token\", \"transfer_type\": \"upload\"}")
field known_hosts <<< "$start" > "$work/kh_sandbox"
cipher_sandbox=$(cipher "$(field ssh_port <<< "$start")" "$work/kh_sandbox" odoo)
rpc transfer/stop "{\"token\": \"$token\"}" > /dev/null
cipher_sshd=$(cipher "$SSHD_PORT" "$work/known_hosts" "$me")

# --- the last request upgraded (restored and dumped again by the sandbox), then downloaded
rpc process "{\"token\": \"$token\"}" > /dev/null
while :; do
  in_time
  state=$(rpc status "{\"token\": \"$token\"}" | field status)
  case $state in done) break ;; failed|cancelled) echo "FAILED: the upgrade ended $state" >&2; exit 1 ;; esac
  sleep 2
done
start=$(rpc transfer/start "{\"token\": \"$token\", \"transfer_type\": \"download\"}")
dport=$(field ssh_port <<< "$start"); field known_hosts <<< "$start" > "$work/kh_sandbox"; dump_name=$(field dump_name <<< "$start")
upgraded="$work/data/requests/$id/remote/data"
down_bytes=$(du -sb "$upgraded/$dump_name" | cut -f1)
rm -rf "$work/sshd-data"; mkdir -p "$work/sshd-data"; cp -a "$upgraded/." "$work/sshd-data/"
sandbox_download() {
  rm -rf "$work/dl"; mkdir -p "$work/dl"
  read t c < <(timed $SANDBOX_PID rsync --info=progress2 -are "$(ssh_for "$dport" "$work/kh_sandbox")" --ignore-missing-args \
    "odoo@127.0.0.1:/data/$dump_name" odoo@127.0.0.1:/data/filestore odoo@127.0.0.1:/data/upgrade-report.html \
    odoo@127.0.0.1:/data/upgrade.log "$work/dl")
  du+=("$t"); duc+=("$c")
  same_tree "$upgraded/$dump_name" "$work/dl/$dump_name" "rsync download from the sandbox"
}
sshd_download() {
  rm -rf "$work/dl"; mkdir -p "$work/dl"
  local r="$me@127.0.0.1:$work/sshd-data"
  read t c < <(timed $SSHD_PID rsync --info=progress2 -are "$(ssh_for "$SSHD_PORT" "$work/known_hosts")" --ignore-missing-args \
    "$r/$dump_name" "$r/filestore" "$r/upgrade-report.html" "$r/upgrade.log" "$work/dl")
  ds+=("$t"); dsc+=("$c")
  same_tree "$upgraded/$dump_name" "$work/dl/$dump_name" "rsync download from sshd"
}
for i in $(seq "$REPEAT"); do
  in_time
  if [ $((i % 2)) = 1 ]; then sandbox_download; sshd_download; else sshd_download; sandbox_download; fi
done
rpc transfer/stop "{\"token\": \"$token\"}" > /dev/null
hwm=$(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$SANDBOX_PID/status")

mib() { echo "scale=1; $1 / 1048576 / $2" | bc -l; }
t_su=$(median "${su[@]}"); t_ss=$(median "${ss[@]}"); t_du=$(median "${du[@]}"); t_ds=$(median "${ds[@]}")
echo "date:     $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); $(rsync --version | head -1 | cut -c1-30); $(ssh -V 2>&1)"
echo "data:     database of $SIZE_MB MiB of text; its directory dump $((bytes / 1048576)) MiB up, the sandbox's $((down_bytes / 1048576)) MiB down; every tree checked"
echo "ciphers:  ssh -> sandbox $cipher_sandbox; ssh -> sshd $cipher_sshd"
echo "runs:     upload sandbox ${su[*]} s, sshd ${ss[*]} s; download sandbox ${du[*]} s, sshd ${ds[*]} s (medians of $REPEAT, each after sync, taking turns)"
printf "upload    sandbox %7.1f MiB/s   sshd %7.1f MiB/s   ratio %.2f   (server CPU: sandbox %.1f s, sshd %.1f s)\n" \
  "$(mib "$bytes" "$t_su")" "$(mib "$bytes" "$t_ss")" "$(echo "$t_ss / $t_su" | bc -l)" "$(median "${suc[@]}")" "$(median "${ssc[@]}")"
printf "download  sandbox %7.1f MiB/s   sshd %7.1f MiB/s   ratio %.2f   (server CPU: sandbox %.1f s, sshd %.1f s)\n" \
  "$(mib "$down_bytes" "$t_du")" "$(mib "$down_bytes" "$t_ds")" "$(echo "$t_ds / $t_du" | bc -l)" "$(median "${duc[@]}")" "$(median "${dsc[@]}")"
echo "sandbox peak RSS: $hwm (-Xmx$HEAP)"
