package io.github.odooupgrade.sandbox.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.github.odooupgrade.sandbox.Faults;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers to answer an exchange, and the exception that cuts a connection on purpose. */
final class Exchanges {
    static final ObjectMapper JSON = new ObjectMapper();

    private Exchanges() {}

    static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    static void text(HttpExchange ex, int status, String contentType, String body) throws IOException {
        send(ex, status, contentType + "; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length); // -1: Content-Length 0, not chunked
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }

    /**
     * Thrown out of a handler to drop the connection without an answer, as a network cut would:
     * the JDK server closes the connection of an exchange whose handler throws.
     */
    static final class ConnectionCut extends RuntimeException {
        ConnectionCut(String why) {
            super(why, null, false, false);
        }
    }

    /** Reads through, then cuts the connection once {@code limit} bytes have passed (fault injection). */
    static final class CuttingInputStream extends InputStream {
        private final InputStream in;
        private final long limit;
        private final Faults faults;
        private final long start = System.nanoTime();
        private long count;

        CuttingInputStream(InputStream in, long limit, Faults faults) {
            this.in = in;
            this.limit = limit;
            this.faults = faults;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (limit >= 0 && count >= limit) {
                throw new ConnectionCut("upload cut after " + limit + " bytes (fault injection)");
            }
            int max = faults.chunk(limit >= 0 ? (int) Math.min(len, limit - count) : len);
            int n = in.read(b, off, max);
            if (n > 0) {
                count += n;
                faults.pace(count, start);
            }
            return n;
        }
    }
}
