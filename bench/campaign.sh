#!/usr/bin/env bash
# Benchmark: many upgrades through one JVM — the embedded engine, the workers and a sandbox with
# short platform states (pending 0.2 s, upgrade 0.4 s, tests 0.4 s), over real sockets:
#   campaign N:  one campaign of N small test items (the campaign model, its limits)
#   inflight N:  N upgrade instances started at once
# Prints per run: items, upgraded, incidents, stuck (upgrades not ended by the deadline, DEADLINE, default
# PT15M: the run then fails), wall seconds (from the first start to the last end,
# the JVM's start not counted), upgrades per minute, the JVM's CPU seconds (its start included), its
# maximum heap (HEAP, default 2g) and peak RSS, engine records written.
# Jobs run on THREADS execution threads (default 16; the application's own default is 1, see
# docs/campaigns.md).
# Usage: bench/campaign.sh [items] (default 200) [in-flight] (default 500) [poll interval] (default PT2S)
# Needs: a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS=${1:-200}
INFLIGHT=${2:-500}
POLL=${3:-PT2S}
source bench/lib.sh
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
CP="target/classes:target/test-classes:$(cat target/bench.cp)"
failed=0
run() {
  local out rc=0
  out=$("$JAVA_HOME/bin/java" -Xmx${HEAP:-2g} -Dpoll="$POLL" -Dthreads="${THREADS:-16}" -Ddeadline="${DEADLINE:-PT15M}" -cp "$CP" \
    io.github.odooupgrade.bench.CampaignBench "$@") || rc=$?
  echo "$1 $2 (poll $POLL): $(tail -n 1 <<< "$out")"
  [ $rc = 0 ] || { echo "FAILED: $1 $2 exited $rc (upgrades stuck past the deadline, or the run broke)"; failed=1; }
}
run campaign "$ITEMS"
run inflight "$INFLIGHT"
exit $failed
