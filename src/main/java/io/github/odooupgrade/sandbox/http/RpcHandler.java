package io.github.odooupgrade.sandbox.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.odooupgrade.sandbox.CurrentPlatform;
import io.github.odooupgrade.sandbox.Faults;
import io.github.odooupgrade.sandbox.Refusal;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Today's API under {@code /upgrade/request/}: JSON-RPC 2.0 calls as POSTs ({@code create}, {@code transfer/start},
 * {@code transfer/stop}, {@code process}, {@code status}, {@code wipe}) and the log as a GET ({@code logs?token=…}
 * with {@code Range: bytes=N-}). A refusal is the call's {@code result.error}, a sentence; a call that is not
 * JSON-RPC, or lacks a parameter it needs, is a JSON-RPC {@code error} whose {@code data.message} says what is
 * wrong. Parameters a call does not know are ignored. Every answer has a Content-Length (Odoo's client reads a
 * body only then).
 */
final class RpcHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(RpcHandler.class);
    static final String PATH = "/upgrade/request/";
    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d+)-$");

    private final CurrentPlatform platform;
    private final Faults faults;

    RpcHandler(CurrentPlatform platform, Faults faults) {
        this.platform = platform;
        this.faults = faults;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String call = ex.getRequestURI().getPath().substring(PATH.length());
        if (faults.callFails()) {
            log.info("{}: answered 503 (fault injection)", call);
            Exchanges.text(ex, 503, "text/html", "<html><body><h1>503 Service Unavailable</h1>"
                    + "<p>The upgrade platform is overloaded (sandbox fault injection).</p></body></html>");
            return;
        }
        if (call.equals("logs")) {
            logs(ex);
            return;
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            Exchanges.json(ex, 405, error(null, -32600, "Invalid Request", call + " is a JSON-RPC call: POST it"));
            return;
        }
        JsonNode body;
        try {
            body = Exchanges.JSON.readTree(ex.getRequestBody());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            Exchanges.json(ex, 200, error(null, -32700, "Parse error", "the body is not JSON: " + e.getOriginalMessage()));
            return;
        }
        JsonNode id = body == null ? null : body.get("id");
        if (body == null || !body.isObject() || !body.path("params").isObject()) {
            Exchanges.json(ex, 200, error(id, -32600, "Invalid Request",
                    "the body is a JSON-RPC 2.0 call: {\"jsonrpc\": \"2.0\", \"method\": \"call\", \"params\": {…}, \"id\": …}"));
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> params = Exchanges.JSON.convertValue(body.get("params"), Map.class);
        Map<String, Object> result;
        try {
            result = switch (call) {
                case "create" -> platform.create(params);
                case "transfer/start" -> platform.startTransfer(platform.request(params), params);
                case "transfer/stop" -> platform.stopTransfer(platform.request(params));
                case "process" -> platform.process(platform.request(params));
                case "status" -> {
                    Map<String, Object> status = platform.status(platform.request(params));
                    faults.statusAnswered();
                    yield status;
                }
                case "wipe" -> platform.wipe(platform.request(params), params);
                default -> null;
            };
        } catch (Refusal e) {
            result = Map.of("error", e.getMessage());
        } catch (CurrentPlatform.MissingParameter e) {
            Exchanges.json(ex, 200, error(id, -32602, "Invalid params", e.getMessage()));
            return;
        }
        if (result == null) {
            Exchanges.json(ex, 404, error(id, -32601, "Method not found", "there is no call " + call + " here; the calls are create, "
                    + "transfer/start, transfer/stop, process, status, wipe and logs"));
            return;
        }
        int lost = faults.lostAnswerStatus();
        if (lost > 0) {
            log.info("{}: handled, then answered {} (fault injection: a proxy that lost the answer)", call, lost);
            Exchanges.text(ex, lost, "text/html", "<html><body><h1>" + lost + "</h1>"
                    + "<p>The gateway lost the upgrade platform's answer (sandbox fault injection).</p></body></html>");
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jsonrpc", "2.0");
        answer.put("id", id);
        answer.put("result", result);
        Exchanges.json(ex, 200, answer);
    }

    /** The upgrade log from the offset asked (Range: bytes=N-), as it is now; 416 when nothing lies past it yet. */
    private void logs(HttpExchange ex) throws IOException {
        UpgradeRequest r;
        try {
            r = platform.request(Map.of("token", query(ex, "token")));
        } catch (Refusal | CurrentPlatform.MissingParameter e) {
            Exchanges.text(ex, 404, "text/plain", "No upgrade request has this token.\n");
            return;
        }
        Path file = platform.log(r);
        long size = Files.isRegularFile(file) ? Files.size(file) : 0;
        long from = 0;
        int status = 200;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null) {
            Matcher m = RANGE.matcher(range.trim());
            if (!m.matches()) {
                Exchanges.text(ex, 400, "text/plain", "Range is bytes=N- here.\n");
                return;
            }
            from = Long.parseLong(m.group(1));
            if (from >= size && !(from == 0 && size == 0)) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
                Exchanges.text(ex, 416, "text/plain", "");
                return;
            }
            if (size > 0) {
                status = 206;
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (size - 1) + "/" + size);
            }
        }
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        long length = size - from;
        ex.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length > 0) {
            try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
                in.skipNBytes(from);
                byte[] buffer = new byte[64 * 1024];
                long left = length;
                int n;
                while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
        }
        ex.close();
    }

    private static String query(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    private static ObjectNode error(JsonNode id, int code, String message, String detail) {
        ObjectNode answer = Exchanges.JSON.createObjectNode();
        answer.put("jsonrpc", "2.0");
        answer.set("id", id);
        ObjectNode error = answer.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.putObject("data").put("message", detail);
        return answer;
    }
}
