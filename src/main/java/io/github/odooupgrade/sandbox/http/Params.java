package io.github.odooupgrade.sandbox.http;

import com.sun.net.httpserver.HttpExchange;
import io.github.odooupgrade.sandbox.Failure;
import io.github.odooupgrade.sandbox.FailureException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.fileupload2.core.MultipartInput;
import org.apache.commons.fileupload2.core.ParameterParser;

/**
 * A method's parameters, from wherever the seed's examples put them: the query string, a
 * form-encoded body (also on GET, as Python's {@code requests.get(url, data=...)} sends), or a
 * multipart body ({@code curl -F ssh_keys=@file}). Body values win over query values.
 */
final class Params {
    /** Parameters are small (an authorized_keys file at most); a larger body is refused. */
    static final int MAX_BODY = 1024 * 1024;

    private Params() {}

    static Map<String, String> of(HttpExchange exchange, boolean readBody) throws IOException {
        Map<String, String> params = new HashMap<>();
        parseUrlEncoded(exchange.getRequestURI().getRawQuery(), params);
        if (readBody) {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
            if (lower.startsWith("application/x-www-form-urlencoded")) {
                parseUrlEncoded(new String(readLimited(exchange.getRequestBody()), StandardCharsets.UTF_8), params);
            } else if (lower.startsWith("multipart/form-data")) {
                parseMultipart(exchange.getRequestBody(), type, params);
            }
        }
        return params;
    }

    static void parseUrlEncoded(String raw, Map<String, String> into) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            into.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
    }

    private static void parseMultipart(InputStream body, String contentType, Map<String, String> into) throws IOException {
        ParameterParser parser = new ParameterParser();
        parser.setLowerCaseNames(true);
        String boundary = parser.parse(contentType, new char[] {';', ','}).get("boundary");
        if (boundary == null) {
            throw new FailureException(Failure.of("BODY:INVALID", "multipart body without a boundary"));
        }
        try {
            MultipartInput multipart = MultipartInput.builder()
                    .setInputStream(body)
                    .setBoundary(boundary.getBytes(StandardCharsets.ISO_8859_1))
                    .get();
            boolean more = multipart.skipPreamble();
            while (more) {
                String headers = multipart.readHeaders();
                String name = partName(parser, headers);
                ByteArrayOutputStream value = new ByteArrayOutputStream();
                multipart.readBodyData(new LimitedOutputStream(value));
                if (name != null) {
                    into.put(name, value.toString(StandardCharsets.UTF_8));
                }
                more = multipart.readBoundary();
            }
        } catch (org.apache.commons.fileupload2.core.FileUploadException e) {
            throw new FailureException(Failure.of("BODY:INVALID", "malformed multipart body: " + e.getMessage()));
        }
    }

    private static String partName(ParameterParser parser, String headers) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                return parser.parse(line.substring(colon + 1), ';').get("name");
            }
        }
        return null;
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        byte[] data = in.readNBytes(MAX_BODY + 1);
        if (data.length > MAX_BODY) {
            throw tooLarge();
        }
        return data;
    }

    private static FailureException tooLarge() {
        return new FailureException(Failure.of("BODY:TOO_LARGE", "parameters larger than " + MAX_BODY + " bytes"));
    }

    private static final class LimitedOutputStream extends OutputStream {
        private final ByteArrayOutputStream out;

        LimitedOutputStream(ByteArrayOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            check(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            check(len);
            out.write(b, off, len);
        }

        private void check(int more) {
            if (out.size() + more > MAX_BODY) {
                throw tooLarge();
            }
        }
    }
}
