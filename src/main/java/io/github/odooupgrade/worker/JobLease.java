package io.github.odooupgrade.worker;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.transfer.ProgressLog;
import io.github.odooupgrade.transfer.TransferProgress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a transfer's job with this worker while bytes move: every third of the lease the job's
 * timeout is pushed out by a whole lease, so a 20 GB upload that takes hours is never handed to a
 * second worker — and a worker that dies stops extending, so the job comes back one lease later.
 * Also logs progress (bytes, rate, ETA), and sets it on the task ({@link Var#TRANSFER_PROGRESS}, local) whenever the
 * whole percent moved, at most once a second: at most about a hundred variable updates per transfer,
 * whatever its size, for Operate and a campaign's terminal lines.
 */
final class JobLease implements TransferProgress {
    private static final Logger log = LoggerFactory.getLogger(JobLease.class);
    private static final long SHOW_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

    private final CamundaClient client;
    private final ActivatedJob job;
    private final Duration lease;
    private final TransferProgress progress;
    private final LongSupplier nanoTime;
    private long lastExtendNanos;
    private long lastShownNanos;
    private long lastShownPercent = -1;
    /** The last progress sent: the next one is sent once it has arrived, so the engine takes them in order. */
    private CompletableFuture<Void> shown = CompletableFuture.completedFuture(null);

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
        show(done, total, now);
        synchronized (this) {
            if (now - lastExtendNanos < lease.toNanos() / 3) {
                return;
            }
            lastExtendNanos = now;
        }
        extend();
    }

    private synchronized void show(long done, long total, long now) {
        long percent = total > 0 ? Math.min(100, done * 100 / total) : total == 0 ? 100 : -1;
        if (percent < 0 || percent == lastShownPercent || (lastShownPercent >= 0 && now - lastShownNanos < SHOW_EVERY_NANOS)) {
            return;
        }
        lastShownPercent = percent;
        lastShownNanos = now;
        Map<String, Long> progress = new LinkedHashMap<>();
        progress.put("percent", percent);
        progress.put("bytes", done);
        progress.put("total", total);
        shown = shown.thenCompose(previous -> client.newSetVariablesCommand(job.getElementInstanceKey())
                .variables(Map.of(Var.TRANSFER_PROGRESS, progress)).local(true).send().toCompletableFuture()
                .handle((ok, e) -> {
                    ignoreEnded(e, "show the progress of");
                    return null;
                }));
    }

    private void extend() {
        client.newUpdateTimeoutCommand(job.getKey()).timeout(lease).send().whenComplete((ok, e) -> ignoreEnded(e, "extend"));
    }

    /** Sent without waiting: a command that finds the job already ended (a short transfer) had nothing left to do. */
    private void ignoreEnded(Throwable e, String what) {
        if (e != null && String.valueOf(e.getMessage()).contains("NOT_FOUND")) {
            log.debug("job {} of instance {} had ended before this worker could {} it", job.getKey(), job.getProcessInstanceKey(), what);
        } else if (e != null) {
            log.warn("could not {} job {} of instance {}: {}", what, job.getKey(), job.getProcessInstanceKey(), e.getMessage());
        }
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
