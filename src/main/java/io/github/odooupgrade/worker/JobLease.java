package io.github.odooupgrade.worker;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.transfer.ProgressLog;
import io.github.odooupgrade.transfer.TransferProgress;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a transfer's job with this worker while bytes move: every third of the lease the job's
 * timeout is pushed out by a whole lease, so a 20 GB upload that takes hours is never handed to a
 * second worker — and a worker that dies stops extending, so the job comes back one lease later.
 * Also logs progress (bytes, rate, ETA).
 */
final class JobLease implements TransferProgress {
    private static final Logger log = LoggerFactory.getLogger(JobLease.class);

    private final CamundaClient client;
    private final ActivatedJob job;
    private final Duration lease;
    private final TransferProgress progress;
    private final LongSupplier nanoTime;
    private long lastExtendNanos;

    private JobLease(CamundaClient client, ActivatedJob job, Duration lease, String what, LongSupplier nanoTime) {
        this.client = client;
        this.job = job;
        this.lease = lease;
        this.progress = ProgressLog.toLog(what + " (instance " + job.getProcessInstanceKey() + ")");
        this.nanoTime = nanoTime;
        this.lastExtendNanos = nanoTime.getAsLong();
    }

    /** Takes the lease now (a whole {@code lease} from this moment), before the transfer starts. */
    static JobLease start(CamundaClient client, ActivatedJob job, Duration lease, String what) {
        return start(client, job, lease, what, System::nanoTime);
    }

    /** The same, on a clock of the caller's (a test that moves time itself). */
    static JobLease start(CamundaClient client, ActivatedJob job, Duration lease, String what, LongSupplier nanoTime) {
        JobLease started = new JobLease(client, job, lease, what, nanoTime);
        started.extend();
        return started;
    }

    @Override
    public void update(long done, long total) {
        progress.update(done, total);
        long now = nanoTime.getAsLong();
        synchronized (this) {
            if (now - lastExtendNanos < lease.toNanos() / 3) {
                return;
            }
            lastExtendNanos = now;
        }
        extend();
    }

    private void extend() {
        client.newUpdateTimeoutCommand(job.getKey()).timeout(lease).send().whenComplete((ok, e) -> {
            if (e != null && String.valueOf(e.getMessage()).contains("NOT_FOUND")) {
                // the job ended before its lease was taken (a short transfer): nothing to keep
                log.debug("job {} of instance {} had ended before its lease was extended", job.getKey(), job.getProcessInstanceKey());
            } else if (e != null) {
                log.warn("could not extend job {} of instance {}: {}", job.getKey(), job.getProcessInstanceKey(), e.getMessage());
            }
        });
    }

    /**
     * Runs work that reports no progress (pg_dump, pg_restore), extending the job every third of the
     * lease until it ends — in this JVM only: if the worker dies, the extensions stop with it.
     */
    <T> T keepAliveWhile(Supplier<T> work) {
        Thread keeper = Thread.ofVirtual().name("job-lease-" + job.getKey()).start(() -> {
            try {
                while (true) {
                    Thread.sleep(Math.max(1, lease.toMillis() / 3));
                    extend();
                }
            } catch (InterruptedException done) {
                // the work ended
            }
        });
        try {
            return work.get();
        } finally {
            keeper.interrupt();
        }
    }
}
