package io.github.odooupgrade.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * What the workers count, through Micrometer (Prometheus format on the management port in workers
 * mode). Every name and tag is here, and the table in docs/user-guide.md ("Metrics and health") lists them. A job delivered again counts
 * again: Zeebe delivers at least once, so these are measurements, not a ledger.
 */
@Component
public final class UpgradeMetrics {
    public static final String TRANSFER_BYTES = "upgrade.transfer.bytes";
    public static final String TRANSFER_RATE = "upgrade.transfer.rate";
    public static final String STATUS_POLLS = "upgrade.status.polls";
    public static final String PLATFORM_STATE_TIME = "upgrade.platform.state.time";
    public static final String JOB_BPMN_ERRORS = "upgrade.job.bpmn.errors";
    public static final String JOB_FAILURES = "upgrade.job.failures";
    public static final String RUNS = "upgrade.runs";

    /** Which way a transfer went. */
    public enum Direction { UPLOAD, DOWNLOAD }

    private final MeterRegistry registry;

    UpgradeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A transfer completed: {@code bytes} is the file's size (a resumed transfer counts it whole), over {@code took}. */
    void transferred(Direction direction, String method, long bytes, Duration took) {
        String dir = direction.name().toLowerCase(Locale.ROOT);
        Counter.builder(TRANSFER_BYTES).description("Bytes of the dumps whose transfer completed").baseUnit("bytes")
                .tag("direction", dir).tag("method", method).register(registry).increment(bytes);
        double seconds = Math.max(took.toNanos(), 1) / 1e9;
        DistributionSummary.builder(TRANSFER_RATE).description("Rate of each completed transfer").baseUnit("bytes.per.second")
                .tag("direction", dir).tag("method", method).register(registry).record(bytes / seconds);
    }

    /** One status request of the polling loop, answered {@code state}. */
    void polled(String state) {
        Counter.builder(STATUS_POLLS).description("Status requests of the polling loop, by the state answered")
                .tag("state", state).register(registry).increment();
    }

    /** The platform kept a request in {@code state} this long (seen by polling: to within one poll interval). */
    void stateLeft(String state, Duration time) {
        Timer.builder(PLATFORM_STATE_TIME).description("Time a request spent in a platform state, seen by polling")
                .tag("state", state).register(registry).record(time);
    }

    /** A worker threw a BPMN error the model catches. */
    void bpmnError(String jobType, String code) {
        Counter.builder(JOB_BPMN_ERRORS).description("BPMN errors thrown, by job type and error code")
                .tag("type", jobType).tag("code", code).register(registry).increment();
    }

    /** A job failed; with no retries left it is an incident. */
    void jobFailed(String jobType, boolean incident) {
        Counter.builder(JOB_FAILURES).description("Jobs failed, by job type; incident=true: no retries left")
                .tag("type", jobType).tag("incident", Boolean.toString(incident)).register(registry).increment();
    }

    /** A run reached one of the model's ends. */
    void runEnded(String outcome) {
        Counter.builder(RUNS).description("Runs ended, by outcome").tag("outcome", outcome).register(registry).increment();
    }
}
