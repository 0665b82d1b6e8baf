#!/usr/bin/env bash
# Benchmark: the whole flow on today's platform — a live database dumped, sent, upgraded by the platform,
# fetched and restored — through `bin/odoo-upgrade run --platform current` as a user runs it (its JVM with the
# start-up cache the build makes on a JDK >= 25, embedded engine and workers included), next to the same steps
# run by hand with the same tools, as Odoo's own client runs them:
#   pg_dump --format d --jobs 2 → create, transfer/start, rsync over ssh to /data/origin.dump/, transfer/stop →
#   process, status every second until done → transfer/start, rsync of /data/upgraded.dump …, transfer/stop →
#   createdb, pg_restore --format d --jobs 2 → wipe.
# Both go to the same sandbox (its own JVM, started once: the platform's work, a restore and a dump, is the same
# for both), both poll every second and both end with wipe. Each figure is the median of REPEAT runs (default 3),
# each after a checkpoint and sync, the two taking turns at going first; every restored database is checked (its row counts equal
# the source's) and dropped. A run that has not ended after DEADLINE seconds (default 3600) fails the benchmark.
# Usage: bench/current-flow.sh [size-in-MiB] (default 1024). Needs: a JDK >= 21, PostgreSQL on 127.0.0.1:5432
# (user postgres, or PGUSER), its client tools, rsync, openssh-client, curl, python3, bc.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1024}
REPEAT=${REPEAT:-3}
DEADLINE=${DEADLINE:-3600}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
source bench/lib.sh
ensure_jar
work=$(mktemp -d /tmp/current-flow.XXXXXX)
DB=bench_flow_src
SANDBOX_PID=""; RUN_PID=""
trap 'finish_bench $? "bench_flow_%" $SANDBOX_PID $RUN_PID' EXIT
start_deadline

# --- the live database (lib.sh's generator, as bench/current-api.sh's)
text_database $DB "$SIZE_MB"
# its rows' hint bits set and its statistics made now, so that no run pays for them: the first reading of fresh rows
# writes them all again
psql -q -X -d $DB -c "VACUUM (FREEZE, ANALYZE)"
counts() { psql -X -At -d "$1" -c "SELECT (SELECT count(*) FROM res_partner) || ' ' || (SELECT count(*) FROM mail_message)"; }
# settle: what earlier runs wrote goes to disk before the next one starts (the same start for each)
settle() { psql -q -X -d postgres -c CHECKPOINT; sync; }
source_counts=$(counts $DB)
db_mib=$(( $(psql -X -At -d postgres -c "SELECT pg_database_size('$DB')") / 1048576 ))

# --- the platform: one sandbox for both
"$JAVA_HOME/bin/java" -Xmx256m -jar target/odoo-upgrade.jar sandbox --data-dir "$work/data" --http-port 0 --sftp-port 0 \
  --pending 10ms --progress 10ms > "$work/sandbox.log" 2>&1 & SANDBOX_PID=$!
sandbox_ready "$work/sandbox.log" $SANDBOX_PID
BASE=$(sandbox_api "$work/sandbox.log"); BASE=${BASE%/database/v1}
CONTRACT=M123456-abcdef

ssh_for() { echo "ssh -p $1 -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$2 -i $3"; }
now() { date +%s.%N; }
minus() { echo "$1 - $2" | bc -l; }

# --- by hand: each step's seconds into the arrays, the whole into hand[]
declare -a hand project p_start p_wait h_dump h_up h_wait h_down h_restore
by_hand() {
  local i=$1 d="$work/hand$1" t0 t1 t2 t3 t4 t5 created token start port state name
  mkdir -p "$d"
  ssh-keygen -q -t ed25519 -N "" -f "$d/key"
  settle; t0=$(now)
  pg_dump --no-owner --format d --jobs 2 --file "$d/origin.dump" $DB
  t1=$(now)
  created=$(rpc create "{\"contract\": \"$CONTRACT\", \"target\": \"18.0\", \"aim\": \"test\", \"actuator\": \"cli\", \"env_vars\": [], \"ssh_key\": $(python3 -c 'import json, sys; print(json.dumps(open(sys.argv[1]).read()))' "$d/key.pub"), \"api_version\": \"0.2\"}")
  token=$(field token <<< "$created")
  start=$(rpc transfer/start "{\"token\": \"$token\", \"transfer_type\": \"upload\"}")
  port=$(field ssh_port <<< "$start"); field known_hosts <<< "$start" > "$d/known_hosts"
  (cd "$d" && rsync -a --partial --info=progress2 -e "$(ssh_for "$port" "$d/known_hosts" "$d/key")" origin.dump/ odoo@127.0.0.1:/data/origin.dump) > "$d/rsync.out"
  rpc transfer/stop "{\"token\": \"$token\"}" > /dev/null
  t2=$(now)
  rpc process "{\"token\": \"$token\"}" > /dev/null
  while :; do
    in_time
    state=$(rpc status "{\"token\": \"$token\"}" | field status)
    case $state in done) break ;; failed|cancelled) echo "FAILED: the upgrade by hand ended $state" >&2; exit 1 ;; esac
    sleep 1
  done
  t3=$(now)
  start=$(rpc transfer/start "{\"token\": \"$token\", \"transfer_type\": \"download\"}")
  port=$(field ssh_port <<< "$start"); field known_hosts <<< "$start" > "$d/known_hosts"; name=$(field dump_name <<< "$start")
  mkdir -p "$d/result"
  rsync -a --info=progress2 -e "$(ssh_for "$port" "$d/known_hosts" "$d/key")" --ignore-missing-args \
    "odoo@127.0.0.1:/data/$name" odoo@127.0.0.1:/data/filestore odoo@127.0.0.1:/data/upgrade-report.html \
    odoo@127.0.0.1:/data/upgrade.log "$d/result" > "$d/rsync.out"
  rpc transfer/stop "{\"token\": \"$token\"}" > /dev/null
  t4=$(now)
  createdb bench_flow_hand_$i
  pg_restore --no-owner --format d --jobs 2 -d bench_flow_hand_$i "$d/result/$name"
  rpc wipe "{\"token\": \"$token\", \"contract\": \"$CONTRACT\"}" > /dev/null
  t5=$(now)
  [ "$(counts bench_flow_hand_$i)" = "$source_counts" ] || { echo "FAILED: the database restored by hand differs" >&2; exit 1; }
  hand+=("$(minus "$t5" "$t0")"); h_dump+=("$(minus "$t1" "$t0")"); h_up+=("$(minus "$t2" "$t1")")
  h_wait+=("$(minus "$t3" "$t2")"); h_down+=("$(minus "$t4" "$t3")"); h_restore+=("$(minus "$t5" "$t4")")
  dropdb bench_flow_hand_$i; rm -rf "$d"
}

# --- through the project: the whole command, from its start to its exit
through_run() {
  local i=$1 t0 t1 rc
  settle; t0=$(now)
  # its lines stamped with the seconds since the start: when its first step began is its start-up
  ( bin/odoo-upgrade run --platform current --database $DB --restore-as bench_flow_run_$i --wipe \
      --api-url "$BASE" --contract $CONTRACT --poll-interval 1s --postgres-user "$PGUSER" --output "$work/run$i" 2>&1 < /dev/null \
      | while IFS= read -r line; do echo "$(minus "$(now)" "$t0") $line"; done > "$work/run$i.log"
    exit "${PIPESTATUS[0]}" ) & RUN_PID=$!
  rc=0; timeout_wait $RUN_PID "$(left)" || rc=$?
  RUN_PID=""
  [ $rc != 124 ] || pkill -9 -f "bench_flow_run_$i" || true
  t1=$(now)
  [ $rc = 0 ] || { echo "FAILED: run exited $rc:" >&2; tail -n 30 "$work/run$i.log" >&2; exit 1; }
  [ "$(counts bench_flow_run_$i)" = "$source_counts" ] || { echo "FAILED: the database the run restored differs" >&2; exit 1; }
  project+=("$(minus "$t1" "$t0")")
  p_start+=("$(awk '/> Validate the input/ {print $1; exit}' "$work/run$i.log")")
  # the platform's part, as by hand: from asking for the upgrade to the download's start
  p_wait+=("$(awk '/> Start the upgrade/ && !s {s = $1} /> Download the upgraded dump/ {print $1 - s; exit}' "$work/run$i.log")")
  dropdb bench_flow_run_$i; rm -rf "$work/run$i"
}

for i in $(seq "$REPEAT"); do
  in_time
  if [ $((i % 2)) = 1 ]; then through_run "$i"; by_hand "$i"; else by_hand "$i"; through_run "$i"; fi
done

t_p=$(median "${project[@]}"); t_h=$(median "${hand[@]}")
echo "date:     $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); $(rsync --version | head -1 | cut -c1-30); $(pg_dump --version)"
echo "run:      bin/odoo-upgrade $([ -f target/aot/odoo-upgrade.aot ] && echo "with its start-up cache (target/aot)" || echo "without a start-up cache (JDK < 25)")"
echo "data:     a database of $db_mib MiB (generated for $SIZE_MB MiB of text); every restored database checked against the source's row counts"
echo "runs:     run --platform current ${project[*]} s; by hand ${hand[*]} s (medians of $REPEAT, each after a checkpoint and sync, taking turns)"
printf "by hand   dump %.1f s, upload %.1f s, platform %.1f s, download %.1f s, restore + wipe %.1f s (medians)\n" \
  "$(median "${h_dump[@]}")" "$(median "${h_up[@]}")" "$(median "${h_wait[@]}")" "$(median "${h_down[@]}")" "$(median "${h_restore[@]}")"
printf "run       start-up (JVM, embedded engine, workers; until its first step) %.1f s, platform %.1f s (medians)\n" \
  "$(median "${p_start[@]}")" "$(median "${p_wait[@]}")"
own_p=(); own_h=()
for k in "${!project[@]}"; do own_p+=("$(minus "${project[$k]}" "${p_wait[$k]}")"); own_h+=("$(minus "${hand[$k]}" "${h_wait[$k]}")"); done
printf "without the platform's part   run %.1f s   by hand %.1f s   ratio %.2f\n" "$(median "${own_p[@]}")" "$(median "${own_h[@]}")" \
  "$(echo "$(median "${own_p[@]}") / $(median "${own_h[@]}")" | bc -l)"
printf "whole     run --platform current %.1f s   by hand %.1f s   ratio %.2f (goal: at most 1.10)\n" "$t_p" "$t_h" "$(echo "$t_p / $t_h" | bc -l)"
