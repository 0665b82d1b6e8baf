package io.github.odooupgrade.worker;

import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code phaseSeconds}: how long a run spent in each phase — upload, the platform's states as the
 * polling saw them (pending: its queue, progress: the upgrade, test: its tests), download, restore.
 * Each worker adds its own phase; a campaign's summary reads them per item.
 */
final class PhaseTimes {
    static final String UPLOAD = "upload";
    static final String DOWNLOAD = "download";
    static final String RESTORE = "restore";

    private PhaseTimes() {}

    /** The variable's value with {@code took} added to {@code phase}. */
    static Map<String, Object> plus(Map<String, Object> vars, String phase, Duration took) {
        Map<String, Object> phases = new LinkedHashMap<>();
        if (vars.get(Var.PHASE_SECONDS) instanceof Map<?, ?> before) {
            before.forEach((k, v) -> phases.put(k.toString(), v));
        }
        double seconds = took.toMillis() / 1000.0;
        phases.merge(phase, seconds, (a, b) -> ((Number) a).doubleValue() + ((Number) b).doubleValue());
        return phases;
    }

    /**
     * A poll saw {@code state}: when it differs from the last one seen, the time spent in the last one is counted
     * (metric and phase) and the new one's start written into {@code out}.
     */
    static void stateSeen(Map<String, Object> vars, String state, Map<String, Object> out, UpgradeMetrics metrics) {
        Instant now = Instant.now();
        Object before = vars.get(Var.REQUEST_STATE);
        if (!state.equals(before) || vars.get(Var.REQUEST_STATE_SINCE) == null) {
            if (before != null && vars.get(Var.REQUEST_STATE_SINCE) instanceof String since) {
                Duration time = Duration.between(Instant.parse(since), now);
                metrics.stateLeft(before.toString(), time);
                out.put(Var.PHASE_SECONDS, plus(vars, before.toString(), time));
            }
            out.put(Var.REQUEST_STATE_SINCE, now.toString());
        }
    }
}
