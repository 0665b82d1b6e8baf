package io.github.odooupgrade.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives requests through pending → progress → test → done (or delivered, or failed) on timers; a request of
 * today's API through pending → progress → done (or failed), its progress lasting at least the configured time
 * and until its {@link DatabaseUpgrade} has ended. Each state's due time is derived from {@code stateSince}, so
 * after a restart the timers are simply set again from what is on disk (an upgrade under way starts again).
 */
public class Lifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private final RequestStore store;
    private final SandboxOptions options;
    private final Faults faults;
    private final Clock clock;
    private final DatabaseUpgrade upgrade;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-lifecycle");
        t.setDaemon(true);
        return t;
    });
    /** Today's API's upgrades under way, off the timer's thread (a restore takes its time): their failure, or null. */
    private final Map<Long, CompletableFuture<String>> upgrades = new ConcurrentHashMap<>();
    private final ExecutorService upgrading = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "sandbox-upgrade");
        t.setDaemon(true);
        return t;
    });

    public Lifecycle(RequestStore store, SandboxOptions options, Faults faults, Clock clock) {
        this.store = store;
        this.options = options;
        this.faults = faults;
        this.clock = clock;
        this.upgrade = new DatabaseUpgrade(options.postgres(), 2, clock, faults);
    }

    /** Sets the timers of every request in flight, as found on disk, and the draft expiry sweep. */
    public void resumeAll() {
        for (UpgradeRequest r : store.all()) {
            if (r.state.isInFlight()) {
                log.info("resuming request {} in state {}", r.id, r.state.wire());
                schedule(r);
            }
        }
        if (!options.draftExpiry.isZero()) {
            long every = Math.max(1000, Math.min(options.draftExpiry.toMillis(), 60_000));
            timer.scheduleWithFixedDelay(this::expireDrafts, 0, every, TimeUnit.MILLISECONDS);
        }
    }

    /** How long a request stays in an in-flight state. */
    public Duration durationOf(RequestState state) {
        return switch (state) {
            case PENDING -> options.pending;
            case PROGRESS -> options.progress;
            case TEST -> options.test;
            default -> Duration.ZERO;
        };
    }

    public void schedule(UpgradeRequest r) {
        if (!r.state.isInFlight()) {
            return;
        }
        Instant due = r.stateSince.plus(durationOf(r.state));
        long delay = Math.max(0, Duration.between(clock.instant(), due).toMillis());
        RequestState expected = r.state;
        timer.schedule(() -> advance(r.id, expected), delay, TimeUnit.MILLISECONDS);
    }

    /** skip_test during platform testing: deliver now. */
    public void deliverNow(long id) {
        timer.execute(() -> advance(id, RequestState.TEST));
    }

    private void advance(long id, RequestState expected) {
        try {
            UpgradeRequest r = store.get(id);
            if (r == null || r.state != expected) {
                return; // a stale timer: something else moved the request on
            }
            if (expected == RequestState.PROGRESS && faults.upgradeHeld(r.filename)) {
                timer.schedule(() -> advance(id, expected), 100, TimeUnit.MILLISECONDS); // held: look again later
                return;
            }
            if (r.isCurrent() && expected == RequestState.PROGRESS && !upgradeEnded(r)) {
                timer.schedule(() -> advance(id, expected), 200, TimeUnit.MILLISECONDS); // still restoring or dumping
                return;
            }
            UpgradeRequest next = switch (expected) {
                case PENDING -> r.isCurrent() ? startCurrentUpgrade(r) : startUpgrade(r);
                case PROGRESS -> r.isCurrent() ? finishCurrentUpgrade(r) : finishUpgrade(r);
                case TEST -> move(id, expected, r.skipTest ? RequestState.DELIVERED : RequestState.DONE, "tests passed");
                default -> r;
            };
            schedule(next);
        } catch (RuntimeException e) {
            log.error("request {}: lifecycle step from {} failed", id, expected.wire(), e);
        }
    }

    /** The platform "restores" the dump: an SFTP upload is only inspected here. */
    private UpgradeRequest startUpgrade(UpgradeRequest r) {
        DumpInfo info;
        try {
            info = DumpInspector.inspect(store.originalFile(r));
        } catch (IOException e) {
            info = DumpInfo.notADump("The uploaded file cannot be read: " + e.getMessage());
        }
        DumpInfo found = info;
        return store.update(r.id, live -> {
            if (live.state != RequestState.PENDING) {
                return;
            }
            live.dump = found;
            if (!found.isDump()) {
                live.customerMessage = found.problem();
                live.enter(RequestState.FAILED, clock.instant(), "restore failed: not a database dump");
            } else {
                live.enter(RequestState.PROGRESS, clock.instant(), "dump restored, upgrade started");
            }
        });
    }

    /**
     * The sandbox does not migrate data: the "upgraded" dump is the uploaded file itself (a hard
     * link, or a copy where links are impossible), so it restores wherever the original did.
     */
    private UpgradeRequest finishUpgrade(UpgradeRequest r) {
        if (faults.upgradeFails(r.filename)) {
            return store.update(r.id, live -> {
                if (live.state == RequestState.PROGRESS) {
                    live.customerMessage = "The upgrade of your database failed: a module could not be migrated "
                            + "(sandbox fault injection: the filename matches the failing pattern).";
                    live.enter(RequestState.FAILED, clock.instant(), "upgrade failed");
                }
            });
        }
        publishUpgraded(r);
        return move(r.id, RequestState.PROGRESS, r.skipTest ? RequestState.DELIVERED : RequestState.TEST,
                r.skipTest ? "upgraded, tests skipped" : "upgraded, testing");
    }

    /** Today's API: the upgrade starts on the dump under /data (DatabaseUpgrade), and the log begins to grow. */
    private UpgradeRequest startCurrentUpgrade(UpgradeRequest r) {
        UpgradeRequest started = move(r.id, RequestState.PENDING, RequestState.PROGRESS, "upgrade started");
        if (started.state == RequestState.PROGRESS) {
            upgradeOf(started);
        }
        return started;
    }

    /** Whether the request's upgrade has ended (one lost to a restart starts again now). */
    private boolean upgradeEnded(UpgradeRequest r) {
        return upgradeOf(r).isDone();
    }

    private CompletableFuture<String> upgradeOf(UpgradeRequest r) {
        return upgrades.computeIfAbsent(r.id, id -> CompletableFuture.supplyAsync(
                () -> upgrade.run(r, store.dataDir(id), store.requestDir(id).resolve("work")), upgrading));
    }

    /** Waits for the request's upgrade under way, if any, to end (a wipe deletes nothing it would write again). */
    public void settle(long id) {
        CompletableFuture<String> running = upgrades.remove(id);
        if (running != null) {
            running.exceptionally(e -> null).join();
        }
    }

    private UpgradeRequest finishCurrentUpgrade(UpgradeRequest r) {
        String failure = upgrades.remove(r.id).join();
        String reason = failure != null ? failure : faults.upgradeFails(r.filename)
                ? "The upgrade of your database failed: a module could not be migrated (sandbox fault injection: the dump's name "
                        + "matches the failing pattern)." : null;
        return store.update(r.id, live -> {
            if (live.state != RequestState.PROGRESS) {
                return;
            }
            if (reason != null) {
                live.customerMessage = reason;
                live.enter(RequestState.FAILED, clock.instant(), "upgrade failed");
            } else {
                live.dumpName = DatabaseUpgrade.DUMP_NAME;
                live.enter(RequestState.DONE, clock.instant(), "upgraded");
            }
        });
    }

    private void publishUpgraded(UpgradeRequest r) {
        Path original = store.originalFile(r);
        Path upgraded = store.upgradedFile(r);
        Path tmp = store.incomingDir(r.id).resolve("upgraded.tmp");
        try {
            Files.deleteIfExists(tmp);
            try {
                Files.createLink(tmp, original);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(original, tmp);
            }
            Files.move(tmp, upgraded, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish the upgraded dump of request " + r.id, e);
        }
    }

    private UpgradeRequest move(long id, RequestState from, RequestState to, String note) {
        return store.update(id, live -> {
            if (live.state == from) {
                live.enter(to, clock.instant(), note);
            }
        });
    }

    private void expireDrafts() {
        Instant limit = clock.instant().minus(options.draftExpiry);
        for (UpgradeRequest r : store.all()) {
            if (r.state == RequestState.DRAFT && r.touchedAt != null && r.touchedAt.isBefore(limit)) {
                cancel(r.id, "The request was cancelled: nothing happened to it for " + Human.duration(options.draftExpiry) + ".");
            }
        }
    }

    /** Abandons a request (by the platform), whatever it was doing. */
    public UpgradeRequest cancel(long id, String message) {
        return store.update(id, live -> cancelIfOpen(live, message));
    }

    /**
     * Marks a request archived (its data about to be deleted), cancelling it first if it was open — in one step, so no
     * status read sees it cancelled yet not archived.
     */
    public UpgradeRequest archive(long id, String message) {
        return store.update(id, live -> {
            cancelIfOpen(live, message);
            live.archived = true;
        });
    }

    private void cancelIfOpen(UpgradeRequest live, String message) {
        if (live.state.isInFlight() || live.state == RequestState.DRAFT) {
            live.customerMessage = message;
            live.enter(RequestState.CANCELLED, clock.instant(), "cancelled");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        upgrading.shutdownNow();
    }
}
