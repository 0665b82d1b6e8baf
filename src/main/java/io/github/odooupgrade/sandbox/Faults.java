package io.github.odooupgrade.sandbox;

import java.io.InterruptedIOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Fault injection for rehearsals and for the tests of every other component. Set from the
 * options at start; tests may change it while the sandbox runs. Beside it, what the tests watch
 * of the transfers ({@link #transfers()}): every place that moves bytes has this object.
 */
public class Faults {
    private final TransferGauge transfers = new TransferGauge();
    private volatile Pattern failFilenames;
    private volatile Pattern holdFilenames;
    private final AtomicInteger statusAnswersBeforeRelease = new AtomicInteger(-1);
    private volatile int errorRatePercent;
    private volatile boolean pgIncompatible;
    private final AtomicInteger failNextCalls = new AtomicInteger();
    private final AtomicInteger lostAnswers = new AtomicInteger();
    private volatile int lostAnswerStatus = 504;
    private volatile long transferRate = -1;
    private volatile long cutAfterBytes;
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private volatile LostRows lostRows;

    /** Rows an upgrade loses: {@code rows} of {@code table}. */
    public record LostRows(String table, int rows) {
        private static final Pattern SHAPE = Pattern.compile("([a-z_][a-z0-9_]{0,62}):([1-9][0-9]{0,8})");

        /** TABLE:N, as --lose-rows takes it. */
        static LostRows parse(String text) {
            var m = SHAPE.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException(text + " is not TABLE:N (a table name, a colon, a number of rows), "
                        + "e.g. sale_order_line:3");
            }
            return new LostRows(m.group(1), Integer.parseInt(m.group(2)));
        }
    }

    public Faults(SandboxOptions options) {
        failFilenames = options.failFilenames;
        holdFilenames = options.holdFilenames;
        errorRatePercent = options.errorRatePercent;
        pgIncompatible = options.pgIncompatible;
        cutAfterBytes = options.cutAfterBytes;
        transferRate = options.transferRate;
        cutsLeft.set(options.cutTimes);
        lostRows = options.loseRows;
    }

    /** The transfers in flight, and the most at once. */
    public TransferGauge transfers() {
        return transfers;
    }

    /** No fault at all, whatever the options said: a test's clean start. */
    public void reset() {
        transfers.reset();
        failFilenames = null;
        holdFilenames = null;
        statusAnswersBeforeRelease.set(-1);
        errorRatePercent = 0;
        pgIncompatible = false;
        failNextCalls.set(0);
        lostAnswers.set(0);
        cutTransfers(-1, -1);
        transferRate = -1;
        lostRows = null;
    }

    /** Today's API: every upgrade from now on loses {@code rows} rows of {@code table} (null: none lost). */
    public void loseRows(LostRows lost) {
        lostRows = lost;
    }

    public LostRows lostRows() {
        return lostRows;
    }

    /** Requests whose filename matches end {@code failed} when their upgrade step ends. */
    public void failFilenames(Pattern pattern) {
        failFilenames = pattern;
    }

    public boolean upgradeFails(String filename) {
        Pattern p = failFilenames;
        return p != null && p.matcher(filename).find();
    }

    /** Requests whose filename matches stay in {@code progress} for as long as the pattern matches (null: none). */
    public void holdFilenames(Pattern pattern) {
        holdFilenames = pattern;
    }

    /**
     * Lets the held requests go once the platform has answered {@code n} more status calls about a request: a test's
     * "once the run has asked again", whatever the machine's speed.
     */
    public void releaseHoldAfterStatusAnswers(int n) {
        statusAnswersBeforeRelease.set(n);
    }

    /** Called when a status call about a request was answered. */
    public void statusAnswered() {
        if (statusAnswersBeforeRelease.getAndUpdate(n -> n > 0 ? n - 1 : n) == 1) {
            holdFilenames = null;
        }
    }

    public boolean upgradeHeld(String filename) {
        Pattern p = holdFilenames;
        return p != null && p.matcher(filename).find();
    }

    /** Today's API: process answers that the upgraded database needs a newer PostgreSQL than the dump's. */
    public void pgIncompatible(boolean incompatible) {
        pgIncompatible = incompatible;
    }

    public boolean pgIncompatible() {
        return pgIncompatible;
    }

    /** Answer this percentage of API calls with HTTP 503. */
    public void errorRatePercent(int percent) {
        errorRatePercent = percent;
    }

    /** Answer exactly the next {@code n} API calls with HTTP 503 (deterministic, for retry tests). */
    public void failNextCalls(int n) {
        failNextCalls.set(n);
    }

    public boolean callFails() {
        if (failNextCalls.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return true;
        }
        int rate = errorRatePercent;
        return rate > 0 && ThreadLocalRandom.current().nextInt(100) < rate;
    }

    /**
     * Handle the next {@code n} API calls, then answer them with {@code status} (502, 504) instead of
     * the result: a proxy that lost the platform's answer — the call took effect, the client cannot know.
     */
    public void loseNextAnswers(int n, int status) {
        lostAnswerStatus = status;
        lostAnswers.set(n);
    }

    /** Called after a call was handled: the status to answer instead of the result, or -1. */
    public int lostAnswerStatus() {
        return lostAnswers.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0 ? lostAnswerStatus : -1;
    }

    /** Cut the next {@code times} transfers (HTTP body or SFTP file handle) after {@code bytes}; -1 times: all. */
    public void cutTransfers(long bytes, int times) {
        cutAfterBytes = bytes;
        cutsLeft.set(times);
    }

    /** Slow every transfer (HTTP bodies both ways, SFTP reads and writes) to about this rate; -1: full speed. */
    public void slowTransfers(long bytesPerSecond) {
        transferRate = bytesPerSecond;
    }

    /** Whether transfers are slowed: then each piece is sent at once (flushed), as a slow line delivers it. */
    public boolean slowed() {
        return transferRate > 0;
    }

    /**
     * How many of {@code wanted} bytes to move in one go: on a slowed line at most a tenth of a second's
     * worth, so the bytes trickle as they do on a slow line instead of arriving in one block after a wait.
     */
    public int chunk(int wanted) {
        long rate = transferRate;
        return rate <= 0 ? wanted : (int) Math.max(1, Math.min(wanted, rate / 10));
    }

    /** Called as a transfer moves: waits until {@code done} bytes since {@code startNanos} keep to the rate. */
    public void pace(long done, long startNanos) throws InterruptedIOException {
        long rate = transferRate;
        if (rate <= 0) {
            return;
        }
        long due = startNanos + done * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("transfer interrupted");
            }
        }
    }

    /** Called when a transfer starts: the byte count after which to cut it, or -1 to let it run. */
    public long cutPointForNewTransfer() {
        long bytes = cutAfterBytes;
        if (bytes < 0) {
            return -1;
        }
        int before = cutsLeft.getAndUpdate(n -> n > 0 ? n - 1 : n);
        return before != 0 ? bytes : -1;
    }
}
