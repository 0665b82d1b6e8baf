package io.github.odooupgrade.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.odooupgrade.secrets.Redact;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Today's upgrade API (what Odoo's own client has used since 2021), in plain Java: JSON-RPC 2.0 calls under
 * {@code /upgrade/request/}, {@code create} of the main host, every later call of the host the platform assigns
 * ({@code assigned_host_uri}, {@code host_uri}: a host, or host:port). A refusal ({@code result.error}) is an
 * {@link UpgradeRejectedException} carrying the platform's sentence; a JSON-RPC error, a missing field, an answer
 * that is not JSON-RPC, or the wire breaking, an {@link UpgradeTechnicalException}. Sent again as {@link Resend} says:
 * {@code create} and {@code process} only when the platform certainly did not act. The token never leaves in a
 * message; {@code logs} carries it in its query, which no message shows.
 */
public class CurrentApiClient {
    private static final Logger log = LoggerFactory.getLogger(CurrentApiClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");
    /** Where Odoo's client creates its requests. */
    public static final String MAIN_HOST = "https://upgrade.odoo.com";

    private final UpgradeClientConfig config;
    private final HttpTransport transport;
    private final String scheme;

    /** {@code config.baseUrl()}: the main host, e.g. {@value #MAIN_HOST} (its scheme is every host's). */
    public CurrentApiClient(UpgradeClientConfig config) {
        this.config = config;
        this.transport = new HttpTransport(config);
        this.scheme = URI.create(config.baseUrl()).getScheme();
    }

    /** What create sends: the contract, the target, the aim, environment variables for the upgrade, the request's SSH key. */
    public record CreateParams(String contract, String target, String aim, List<String> envVars, String sshPublicKey) {}

    /** A new request, and a warning the platform wants a person to read (or null). */
    public record Created(CurrentRef ref, String info) {}

    /** A transfer window: the SSH port, the known_hosts lines to trust it by, and (a download) the upgraded dump's name. */
    public record Window(int sshPort, String knownHosts, String dumpName) {}

    /** What status answers: the state, where to ask next, why it failed, whether its data is gone. */
    public record Status(String state, String hostUri, String reason, boolean archived) {
        public Outcome outcome() {
            return switch (state) {
                case "done" -> Outcome.SUCCEEDED;
                case "failed", "cancelled" -> Outcome.FAILED;
                case "new" -> Outcome.NEW;
                default -> Outcome.RUNNING; // pending, progress, and a state this client does not know
            };
        }
    }

    public enum Outcome { NEW, RUNNING, SUCCEEDED, FAILED }

    /** The log's text from an offset, and the offset to ask from next. */
    public record Log(String text, long next) {}

    /** The requests whose data wipe deleted, and those it could not. */
    public record Wiped(List<Long> wiped, List<Long> failed) {}

    public Created create(CreateParams p) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("contract", p.contract());
        params.put("target", p.target());
        params.put("aim", p.aim());
        params.put("actuator", "cli");
        params.put("env_vars", p.envVars() == null ? List.of() : p.envVars());
        params.put("ssh_key", p.sshPublicKey());
        params.put("api_version", "0.2");
        JsonNode r = call(null, "create", params, List.of(p.contract()));
        CurrentRef ref = new CurrentRef(number(r, "create", "request_id"), text(r, "create", "token"), text(r, "create", "assigned_host_uri"));
        log.info("upgrade request {} created (target {}, aim {}) on {}", ref.id(), p.target(), p.aim(), ref.host());
        return new Created(ref, r.path("info").isTextual() ? r.get("info").asText() : null);
    }

    public Window startTransfer(CurrentRef ref, String type) {
        JsonNode r = call(ref, "transfer/start", Map.of("token", ref.token(), "transfer_type", type), List.of(ref.token()));
        int port = (int) number(r, "transfer/start", "ssh_port");
        String knownHosts = text(r, "transfer/start", "known_hosts");
        return new Window(port, knownHosts, type.equals("download") ? text(r, "transfer/start", "dump_name") : null);
    }

    public void stopTransfer(CurrentRef ref) {
        call(ref, "transfer/stop", Map.of("token", ref.token()), List.of(ref.token()));
    }

    /** Whether the upgraded database can be restored on the PostgreSQL the dump came from ({@code is_pg_version_compatible}). */
    public boolean process(CurrentRef ref) {
        JsonNode r = call(ref, "process", Map.of("token", ref.token()), List.of(ref.token()));
        if (!r.path("is_pg_version_compatible").isBoolean()) {
            throw missing("process", "is_pg_version_compatible");
        }
        log.info("processing of request {} requested", ref.id());
        return r.get("is_pg_version_compatible").asBoolean();
    }

    public Status status(CurrentRef ref) {
        JsonNode r = call(ref, "status", Map.of("token", ref.token()), List.of(ref.token()));
        return new Status(text(r, "status", "status"), text(r, "status", "host_uri"),
                r.path("reason").isTextual() ? Redact.secrets(r.get("reason").asText(), List.of(ref.token())) : null,
                r.path("archived").asBoolean(false));
    }

    /** Where a request is, asked of the main host as Odoo's client does to resume: the reference with the host to follow. */
    public CurrentRef locate(CurrentRef ref) {
        Status s = status(new CurrentRef(ref.id(), ref.token(), null));
        return ref.at(s.hostUri());
    }

    public Wiped wipe(CurrentRef ref, String contract) {
        JsonNode r = call(ref, "wipe", Map.of("contract", contract, "token", ref.token()), List.of(ref.token(), contract));
        return new Wiped(ids(r.path("wiped")), ids(r.path("failed")));
    }

    /** The platform's log from {@code offset} (bytes), as it is now; nothing new past the end. */
    public Log logs(CurrentRef ref, long offset) {
        HttpUrl url = HttpUrl.get(base(ref) + "/upgrade/request/logs").newBuilder().addQueryParameter("token", ref.token()).build();
        Request request = new Request.Builder().url(url).header("Range", "bytes=" + offset + "-").get().build();
        JsonNode text = transport.send("logs", request, shown(ref), List.of(ref.token()), (call, status, contentType, retryAfter, body,
                secrets) -> {
            if (status == 416) {
                return JSON.getNodeFactory().textNode("");
            }
            if (status != 200 && status != 206) {
                throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.HTTP_STATUS, status, retryAfter,
                        "logs: HTTP " + status + " from the upgrade service: " + HttpTransport.snippet(body, secrets), null);
            }
            return JSON.getNodeFactory().textNode(Redact.secrets(body, secrets));
        });
        String chunk = text.asText();
        return new Log(chunk, offset + chunk.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    /**
     * Does the service answer like this API? A status question with a token that names no request: the refusal the API
     * gives for it is the answer expected. Throws {@link UpgradeTechnicalException} when it cannot be reached or does not
     * answer so.
     */
    public void probe() {
        try {
            status(new CurrentRef(0, "probe-of-odoo-upgrade", null));
        } catch (UpgradeRejectedException expected) {
            // it answered as the API does for an unknown token
        }
    }

    public UpgradeClientConfig config() {
        return config;
    }

    private JsonNode call(CurrentRef ref, String call, Map<String, Object> params, List<String> secrets) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("method", "call");
        body.put("params", params);
        body.put("id", 1);
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the call's parameters are not JSON: " + e.getMessage(), e);
        }
        Request request = new Request.Builder().url(base(ref) + "/upgrade/request/" + call)
                .post(RequestBody.create(json, APPLICATION_JSON)).build();
        return transport.send(call, request, shown(ref), secrets, CurrentApiClient::rpcAnswer);
    }

    /** The main host's URL, or the request's host's, in the main host's scheme. */
    private String base(CurrentRef ref) {
        return ref == null || ref.host() == null || ref.host().isBlank() ? config.baseUrl() : scheme + "://" + ref.host();
    }

    private String shown(CurrentRef ref) {
        return Redact.url(base(ref));
    }

    /** A JSON-RPC answer: its result; a refusal in it, a JSON-RPC error or anything else said as the exception it is. */
    private static JsonNode rpcAnswer(String call, int status, String contentType, Duration retryAfter, String body, List<String> secrets) {
        JsonNode node = null;
        try {
            node = JSON.readTree(body);
        } catch (IOException ignored) {
            // not JSON: below
        }
        if (node == null || !node.isObject() || !(node.has("result") || node.has("error"))) {
            if (status >= 400) {
                throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.HTTP_STATUS, status, retryAfter,
                        call + ": HTTP " + status + " from the upgrade service: " + HttpTransport.snippet(body, secrets), null);
            }
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.BAD_RESPONSE, status, call
                    + ": the answer is not JSON-RPC (HTTP " + status + ", " + contentType + "): " + HttpTransport.snippet(body, secrets), null);
        }
        if (node.has("error")) {
            JsonNode e = node.get("error");
            String said = e.path("data").path("message").isTextual() ? e.path("data").path("message").asText() : e.path("message").asText();
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.BAD_RESPONSE, status >= 400 ? status : 200,
                    call + ": the upgrade service answered an error: " + Redact.secrets(said, secrets).strip(), null);
        }
        JsonNode result = node.get("result");
        if (result.isObject() && result.has("error")) {
            String sentence = Redact.secrets(result.get("error").asText(), secrets);
            throw new UpgradeRejectedException(call, List.of(new ApiFailure("REFUSED", sentence, null, null, null)));
        }
        if (status >= 500) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.HTTP_STATUS, status, retryAfter,
                    call + ": HTTP " + status + " from the upgrade service", null);
        }
        return result;
    }

    private static String text(JsonNode result, String call, String field) {
        JsonNode v = result.get(field);
        if (v == null || v.isNull() || !v.isValueNode()) {
            throw missing(call, field);
        }
        return v.asText();
    }

    private static long number(JsonNode result, String call, String field) {
        JsonNode v = result.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw missing(call, field);
        }
        return v.asLong();
    }

    private static List<Long> ids(JsonNode list) {
        List<Long> ids = new ArrayList<>();
        list.forEach(n -> ids.add(n.asLong()));
        return ids;
    }

    private static UpgradeTechnicalException missing(String call, String field) {
        return new UpgradeTechnicalException(UpgradeTechnicalException.Kind.BAD_RESPONSE, 200,
                call + ": the upgrade service's answer lacks " + field + " (a field this client needs)", null);
    }
}
