#!/usr/bin/env bash
# Benchmark: the embedded engine's job back-off, many times over. Instances one after the other, each with
# one job that fails once with a back-off (BackoffSoak, a test class kept out of the suite); prints per run
# the back-offs the engine refused as "no such job" (each asked again by EmbeddedEngine) and the instances
# that did not end within 15 s (without the repair, those refused).
# Usage: bench/engine-backoff.sh [instances] (default 400) [runs] (default 3) [back-off ms] (default 200)
# Needs: a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
INSTANCES=${1:-400}
RUNS=${2:-3}
BACKOFF=${3:-200}
for run in $(seq 1 "$RUNS"); do
  out=$(./mvnw -q -B test -Dlint.skip -Dtest=BackoffSoak -Dsurefire.failIfNoSpecifiedTests=false \
      -Dsoak.instances="$INSTANCES" -Dsoak.backoffMillis="$BACKOFF" 2>&1) || { echo "$out" | grep -E "soak:|ERROR" >&2; exit 1; }
  echo "run $run: $(echo "$out" | grep -m1 '^soak:')"
done
