package io.github.odooupgrade.sandbox;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The platform's view of the transfers in flight, by the job that makes them: how many at once now,
 * and the most at once since the last reset — what a limit on concurrent transfers is checked against — and the
 * bytes they moved (what a resumed transfer is checked against).
 */
public final class TransferGauge {
    /** An HTTP upload, an SFTP upload (a file handle written), an rsync upload (today's API), a download (HTTP, SFTP or rsync). */
    public enum Kind { HTTP_UPLOAD, SFTP_UPLOAD, RSYNC_UPLOAD, DOWNLOAD }

    private final Map<Kind, AtomicInteger> now = new EnumMap<>(Kind.class);
    private final Map<Kind, AtomicInteger> peak = new EnumMap<>(Kind.class);
    private final Map<Kind, AtomicLong> bytes = new EnumMap<>(Kind.class);

    TransferGauge() {
        for (Kind k : Kind.values()) {
            now.put(k, new AtomicInteger());
            peak.put(k, new AtomicInteger());
            bytes.put(k, new AtomicLong());
        }
    }

    /** A transfer of {@code kind} began; close what this returns when it ends. */
    public Transfer begin(Kind kind) {
        int n = now.get(kind).incrementAndGet();
        peak.get(kind).accumulateAndGet(n, Math::max);
        return () -> now.get(kind).decrementAndGet();
    }

    /** The transfers of {@code kind} in flight now. */
    public int inFlight(Kind kind) {
        return now.get(kind).get();
    }

    /** The most transfers of {@code kind} in flight at once since the last {@link #reset}. */
    public int peak(Kind kind) {
        return peak.get(kind).get();
    }

    /** Bytes a transfer of {@code kind} moved. */
    public void moved(Kind kind, long n) {
        bytes.get(kind).addAndGet(n);
    }

    /** The bytes transfers of {@code kind} moved since the sandbox started (not reset: read it before and after). */
    public long bytes(Kind kind) {
        return bytes.get(kind).get();
    }

    public void reset() {
        peak.values().forEach(p -> p.set(0));
    }

    /** One transfer in flight. */
    @FunctionalInterface
    public interface Transfer extends AutoCloseable {
        @Override
        void close();
    }
}
