package io.github.odooupgrade.transfer;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.github.odooupgrade.secrets.Redact;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a file URL of a status answer (the upgraded dump, the notes) into {@code target}
 * through {@code target.part}, resuming with HTTP Range after a cut, renaming only once the size
 * the server announced has arrived. The URLs embed the request key: they are logged redacted.
 */
public class HttpDownload {
    private static final Logger log = LoggerFactory.getLogger(HttpDownload.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    private final OkHttpClient http;
    private final RetryPolicy<Object> retries;

    public HttpDownload(OkHttpClient http, int maxAttempts, Duration backoffMin, Duration backoffMax) {
        this.http = bulk(http);
        this.retries = RetryPolicy.builder()
                .handleIf(e -> e instanceof TransferException t && t.isTransient())
                .withMaxAttempts(maxAttempts)
                .withBackoff(backoffMin, backoffMax)
                .onRetry(e -> log.warn("download failed ({}); resuming, attempt {} of {}", e.getLastException().getMessage(),
                        e.getAttemptCount() + 1, maxAttempts))
                .build();
    }

    /**
     * {@code http} for bulk bytes: HTTP/1.1 (one stream per connection, no HTTP/2 flow control), and its read
     * timeout kept by the socket (SO_TIMEOUT) instead of okio's watchdog thread, which is woken for every read
     * of at most 8 KiB — over 100 000 times a GiB, costing more CPU than the decryption (bench/RESULTS.md).
     */
    private static OkHttpClient bulk(OkHttpClient http) {
        int readTimeout = http.readTimeoutMillis();
        return http.newBuilder().protocols(List.of(Protocol.HTTP_1_1)).readTimeout(Duration.ZERO)
                .addNetworkInterceptor(chain -> {
                    // after OkHttp set the socket's timeout to the client's (now none) for this exchange
                    chain.connection().socket().setSoTimeout(readTimeout);
                    return chain.proceed(chain.request());
                }).build();
    }

    public Downloaded download(String url, Path target, TransferProgress progress) {
        Path part = Downloaded.partOf(target);
        MessageDigest digest = Failsafe.with(retries).get(() -> attempt(url, part, progress));
        return Downloaded.finish(part, target, digest);
    }

    /** One try; answers the digest of the whole part file once it is complete. */
    private MessageDigest attempt(String url, Path part, TransferProgress progress) {
        String shown = Redact.url(url);
        long have = size(part);
        Request.Builder request = new Request.Builder().url(url);
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        try (Response response = http.newCall(request.build()).execute()) {
            long total;
            boolean append;
            if (response.code() == 206) {
                Matcher m = CONTENT_RANGE.matcher(response.header("Content-Range", ""));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    throw new TransferException("unexpected Content-Range from " + shown + ": " + response.header("Content-Range"), true, null);
                }
                total = Long.parseLong(m.group(3));
                append = true;
                log.info("resuming download of {} at byte {} of {}", shown, have, total);
            } else if (response.code() == 200) {
                total = response.body().contentLength();
                append = false;
                have = 0;
            } else if (response.code() == 416 && have > 0) {
                Files.delete(part); // the part is not a prefix of this file: start again
                throw new TransferException("the partial download does not fit " + shown + "; starting again", true, null);
            } else {
                throw new TransferException("download of " + shown + " answered HTTP " + response.code() + ": "
                        + response.peekBody(300).string().trim(), response.code() >= 500 || response.code() == 429, null);
            }
            MessageDigest digest = Downloaded.digestOfPrefix(part, append ? have : 0);
            try (InputStream in = response.body().byteStream();
                    FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
                    HashingWriter writer = new HashingWriter(out, digest)) {
                long start = have;
                progress.update(start, total);
                writer.copy(in, n -> progress.update(start + n, total));
            }
            long got = size(part);
            if (total >= 0 && got != total) {
                throw new TransferException("download of " + shown + " stopped at " + got + " of " + total + " bytes", true, null);
            }
            return digest;
        } catch (IOException e) {
            throw new TransferException("download of " + shown + " broke at " + size(part) + " bytes: " + e.getMessage(), true, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
