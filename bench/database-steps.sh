#!/usr/bin/env bash
# Benchmark: the project's database steps against the same PostgreSQL tools run by hand.
#   dump:    DatabaseDump (pg_dump --format=custom --no-owner)   vs  pg_dump -Fc --no-owner
#   restore: DatabaseRestore (temporary name, pg_restore -j N, rename)  vs  createdb + pg_restore -j N
# on a generated database of about SIZE_MB MiB (table data) on the local PostgreSQL. Both sides are
# timed the same way, as whole processes from their start to their end (the project's JVM start
# counts), each after `sync`; the project's step also reports its time without the JVM start. Each
# figure is the median of REPEAT runs (default 3), the two sides taking turns at going first. Every
# result is checked: each dump is restored and each restored database has the source's row counts.
# Usage: bench/database-steps.sh [size-in-MiB] (default 2048) [jobs] (default 2)
# Needs: a JDK >= 21, PostgreSQL on 127.0.0.1:5432 (PGUSER/PGPASSWORD as needed), its client tools, bc.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-2048}
JOBS=${2:-2}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
source bench/lib.sh
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
CP="target/classes:target/test-classes:$(cat target/bench.cp)"
work=$(mktemp -d /tmp/db-bench.XXXXXX)
DB=bench_src; BY_HAND=bench_by_hand; PROJECT=bench_project; CHECK=bench_check
cleanup() { for d in $DB $BY_HAND $PROJECT ${PROJECT}_restoring $CHECK; do dropdb --if-exists "$d" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
cleanup; mkdir -p "$work"
seconds() { local s=$(date +%s.%N); "$@" >/dev/null; local e=$(date +%s.%N); printf '%.1f' "$(echo "$e - $s" | bc -l)"; }
# the project's step as a whole process: "process-seconds step-seconds"
project() { local s=$(date +%s.%N) out; out=$("$JAVA_HOME/bin/java" -cp "$CP" io.github.odooupgrade.bench.DatabaseBench "$@"); local e=$(date +%s.%N); printf '%.1f %s\n' "$(echo "$e - $s" | bc -l)" "$out"; }
counts() { psql -tA -d "$1" -c "SELECT (SELECT count(*) FROM res_partner) || ' ' || (SELECT count(*) FROM mail_message)"; }
same_rows() { [ "$(counts "$1")" = "$source_counts" ] || { echo "$2: $(counts "$1") rows, the source has $source_counts" >&2; exit 1; }; }

# an Odoo-like database: partners, and messages with ~1 KiB bodies of random hex (compresses about 2:1, like real text)
createdb $DB
rows=$((SIZE_MB * 1024))
psql -q -X -v ON_ERROR_STOP=1 -d $DB <<SQL
CREATE TABLE res_partner (id serial PRIMARY KEY, name text, email text, company_id int, create_date timestamp DEFAULT now());
INSERT INTO res_partner (name, email, company_id) SELECT 'partner ' || i, 'p' || i || '@example.com', i % 7 FROM generate_series(1, $rows / 20) i;
CREATE TABLE mail_message (id bigserial PRIMARY KEY, res_id int, model text, body text, date timestamp DEFAULT now());
INSERT INTO mail_message (res_id, model, body)
  SELECT i % ($rows / 20) + 1, 'res.partner', (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 30) g)
  FROM generate_series(1, $rows) i;
CREATE INDEX ON mail_message (res_id);
ANALYZE;
SQL
size=$(psql -tA -d $DB -c "SELECT pg_size_pretty(pg_database_size('$DB'))")
source_counts=$(counts $DB)

REPEAT=${REPEAT:-3}
drop() { for d in "$@"; do dropdb --if-exists "$d"; done; }
dump_hand() { sync; seconds pg_dump -Fc --no-owner -f "$work/by-hand.dump" $DB; }
dump_project() { sync; project dump "$PGHOST" "$PGPORT" "$PGUSER" $DB "$work/project.dump"; }
restore_hand() {
  drop $BY_HAND; sync
  seconds sh -c "createdb -T template0 $BY_HAND && pg_restore --no-owner --exit-on-error -j $JOBS -d $BY_HAND '$work/by-hand.dump'"
}
restore_project() { drop $PROJECT ${PROJECT}_restoring; sync; project restore "$PGHOST" "$PGPORT" "$PGUSER" "$work/by-hand.dump" $PROJECT $JOBS; }
dh=(); dp=(); xd=(); rh=(); rp=(); xr=()
for i in $(seq "$REPEAT"); do
  if [ $((i % 2)) = 1 ]; then
    dh+=("$(dump_hand)"); read t x < <(dump_project); dp+=("$t"); xd+=("$x")
    rh+=("$(restore_hand)"); read t x < <(restore_project); rp+=("$t"); xr+=("$x")
  else
    read t x < <(dump_project); dp+=("$t"); xd+=("$x"); dh+=("$(dump_hand)")
    read t x < <(restore_project); rp+=("$t"); xr+=("$x"); rh+=("$(restore_hand)")
  fi
  same_rows $BY_HAND "pg_restore of pg_dump's dump (run $i)"
  same_rows $PROJECT "the project's restore of pg_dump's dump (run $i)"
done
t_dump_hand=$(median "${dh[@]}"); t_dump_project=$(median "${dp[@]}"); x_dump_project=$(median "${xd[@]}")
t_restore_hand=$(median "${rh[@]}"); t_restore_project=$(median "${rp[@]}"); x_restore_project=$(median "${xr[@]}")
dump_size=$(stat -c %s "$work/by-hand.dump")
project_dump_size=$(stat -c %s "$work/project.dump")
# the project's own dump restores to the same rows (restored by hand, untimed)
createdb -T template0 $CHECK && pg_restore --no-owner --exit-on-error -j $JOBS -d $CHECK "$work/project.dump"
same_rows $CHECK "pg_restore of the project's dump"

echo "date:    $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); $(pg_dump --version); server $(psql -tA -c 'SHOW server_version')"
echo "data:    database $size ($rows messages, rows res_partner/mail_message: $source_counts); dump by hand $((dump_size / 1048576)) MiB, project $((project_dump_size / 1048576)) MiB; restore jobs $JOBS"
echo "checked: both dumps restore, and every restored database has the source's row counts"
echo "times of whole processes (start to end), medians of $REPEAT runs each after sync, the sides taking turns at going first"
echo "  (dump by hand ${dh[*]}; project ${dp[*]}; restore by hand ${rh[*]}; project ${rp[*]})"
echo "ratio = project / by hand (1.00: no overhead); then the project's step without its JVM start"
printf "dump     by hand %7.1f s   project %7.1f s   ratio %.2f   (step alone %s s)\n" "$t_dump_hand" "$t_dump_project" "$(echo "$t_dump_project / $t_dump_hand" | bc -l)" "$x_dump_project"
printf "restore  by hand %7.1f s   project %7.1f s   ratio %.2f   (step alone %s s)\n" "$t_restore_hand" "$t_restore_project" "$(echo "$t_restore_project / $t_restore_hand" | bc -l)" "$x_restore_project"
