package io.github.odooupgrade.transfer;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns progress into a line at most every {@code every}: "upload of dump.sql: 512.0 MiB of 1.0 GiB
 * (50%), 210.3 MiB/s, ETA 00:03". Rate and ETA count only this attempt's bytes, not a resumed part.
 * A new attempt (progress going back: a transfer sent again or resumed) is said as such — "upload of
 * dump.sql: attempt 2, from byte 1048576 of 3000000" — before its own lines.
 */
public final class ProgressLog implements TransferProgress {
    private static final Logger log = LoggerFactory.getLogger(ProgressLog.class);

    private final String what;
    private final long everyNanos;
    private final Consumer<String> sink;
    private long startNanos = -1;
    private long startBytes;
    private long lastNanos;
    private long lastDone = -1;
    private long lastSaid = -1;
    private int attempt = 1;

    public ProgressLog(String what, Duration every, Consumer<String> sink) {
        this.what = what;
        this.everyNanos = every.toNanos();
        this.sink = sink;
    }

    /** Logs at INFO through SLF4J every 10 seconds. */
    public static ProgressLog toLog(String what) {
        return new ProgressLog(what, Duration.ofSeconds(10), log::info);
    }

    @Override
    public synchronized void update(long done, long total) {
        long now = System.nanoTime();
        if (startNanos >= 0 && done < lastDone) {
            attempt++;
            sink.accept(what + ": attempt " + attempt + ", from byte " + done + (total >= 0 ? " of " + total : ""));
            startNanos = -1;
            lastSaid = -1;
        }
        lastDone = done;
        boolean finished = total >= 0 && done >= total;
        if (startNanos < 0) {
            startNanos = now;
            startBytes = done;
            lastNanos = now;
            if (!finished) {
                return;
            }
        } else if (now - lastNanos < everyNanos && !finished) {
            return;
        }
        if (finished && done == lastSaid) {
            return; // the end said once, though a tool (rsync) says it again as each file of a tree ends
        }
        lastNanos = now;
        lastSaid = done;
        sink.accept(line(done, total, now));
    }

    String line(long done, long total, long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = (done - startBytes) / seconds;
        StringBuilder s = new StringBuilder(what).append(": ").append(bytes(done));
        if (total >= 0) {
            s.append(" of ").append(bytes(total)).append(String.format(Locale.ROOT, " (%d%%)", total == 0 ? 100 : done * 100 / total));
        }
        if (done > startBytes) { // a first report that is already the end has no rate to tell
            s.append(", ").append(bytes((long) rate)).append("/s");
        }
        if (total >= 0 && rate > 0 && done < total) {
            long eta = (long) ((total - done) / rate);
            s.append(String.format(Locale.ROOT, ", ETA %02d:%02d:%02d", eta / 3600, eta / 60 % 60, eta % 60));
        }
        return s.toString();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
