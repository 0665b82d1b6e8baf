package io.github.odooupgrade.api;

import java.io.IOException;
import java.time.Duration;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingSink;
import okio.Okio;

/**
 * An upload's write timeout, kept by a check a second instead of okio's watchdog thread, which is woken
 * for every 8 KiB segment written (0.8 s of a 1 GiB upload over TLS here, bench/RESULTS.md): while the
 * body is being sent, a call whose body has not moved for {@code timeout} is cancelled, which breaks the
 * blocked write. The body counts as moving each time 64 KiB more of it were taken by the connection.
 */
final class UploadWatch implements AutoCloseable {
    private static final long STEP = 64 * 1024;

    private final RequestBody body;
    private final long timeoutNanos;
    private volatile long lastMoved = System.nanoTime();
    private volatile boolean sending;
    private volatile boolean fired;
    private Thread watcher;

    UploadWatch(RequestBody body, Duration timeout) {
        this.body = body;
        this.timeoutNanos = timeout.toNanos();
    }

    /** The body to send: the given one, its progress watched. */
    RequestBody body() {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return body.contentType();
            }

            @Override
            public long contentLength() throws IOException {
                return body.contentLength();
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                lastMoved = System.nanoTime();
                sending = true;
                try (BufferedSink watched = Okio.buffer(new ForwardingSink(sink) {
                    @Override
                    public void write(Buffer source, long byteCount) throws IOException {
                        for (long left = byteCount; left > 0; ) {
                            long step = Math.min(left, STEP);
                            super.write(source, step);
                            left -= step;
                            lastMoved = System.nanoTime();
                        }
                    }

                    @Override
                    public void close() {
                        // the connection's sink is OkHttp's to close
                    }
                })) {
                    body.writeTo(watched);
                    watched.emit();
                } finally {
                    sending = false;
                }
            }
        };
    }

    /** Watches {@code call}: cancelled when its body stands still for the timeout. Timeout 0: no watch. */
    UploadWatch start(Call call) {
        if (timeoutNanos > 0) {
            watcher = Thread.ofVirtual().name("upload-watch").start(() -> {
                try {
                    while (!call.isCanceled()) {
                        Thread.sleep(Math.min(1000, Math.max(1, timeoutNanos / 1_000_000 / 4)));
                        if (sending && System.nanoTime() - lastMoved > timeoutNanos) {
                            fired = true;
                            call.cancel();
                        }
                    }
                } catch (InterruptedException done) {
                    // the call ended
                }
            });
        }
        return this;
    }

    /** Whether the watch cancelled the call (its fault is then a timeout, not a broken connection). */
    boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.interrupt();
        }
    }
}
