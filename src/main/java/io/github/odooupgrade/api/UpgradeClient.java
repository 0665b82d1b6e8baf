package io.github.odooupgrade.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.odooupgrade.secrets.Redact;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Upgrade API v1, in plain Java. Parameters go in a form body (never in URLs that proxies log),
 * except upload's, which the API wants in the query. What is sent again after a fault is decided per
 * method by {@link Resend}: idempotent calls after any fault that may pass, {@code create} and
 * {@code process} only when the service certainly did not act on them (never reached, 503, 429).
 */
public class UpgradeClient {
    private static final Logger log = LoggerFactory.getLogger(UpgradeClient.class);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final UpgradeClientConfig config;
    private final HttpTransport transport;

    public UpgradeClient(UpgradeClientConfig config) {
        this.config = config;
        this.transport = new HttpTransport(config);
    }

    public UpgradeClientConfig config() {
        return config;
    }

    /** The OkHttp client the downloads share (timeouts, connection pool). */
    public OkHttpClient httpClient() {
        return transport.http();
    }

    public RequestStatus create(CreateParams p) {
        FormBody.Builder form = new FormBody.Builder()
                .add("contract", p.contract()).add("email", p.email()).add("target", p.target())
                .add("aim", p.aim()).add("filename", p.filename());
        if (p.timezone() != null) {
            form.add("timezone", p.timezone());
        }
        Request request = new Request.Builder().url(url("create")).post(form.build()).build();
        JsonNode answer = transport.send("create", request, shown(), List.of(p.contract()), UpgradeClient::answer);
        RequestStatus created = read(answer, "create", RequestStatus.class);
        log.info("upgrade request {} created (target {}, aim {})", created.id(), created.target(), created.aim());
        return created;
    }

    /**
     * Sends the dump as the body ({@code transfer.FileRequestBody} streams a file); a retry sends it
     * again whole (the service keeps the last complete one), so the body must be repeatable.
     */
    public void upload(RequestRef ref, RequestBody dump) {
        HttpUrl url = HttpUrl.get(url("upload")).newBuilder()
                .addQueryParameter("key", ref.key()).addQueryParameter("request", Long.toString(ref.id())).build();
        // no read timeout (the service may take its time after a big body); the write timeout kept by UploadWatch
        OkHttpClient bulk = transport.http().newBuilder().readTimeout(0, TimeUnit.MILLISECONDS).writeTimeout(0, TimeUnit.MILLISECONDS).build();
        transport.retrying("upload").get(() -> {
            UploadWatch watch = new UploadWatch(dump, config.readTimeout());
            Call call = bulk.newCall(new Request.Builder().url(url).post(watch.body()).build());
            try (UploadWatch watching = watch.start(call)) {
                return transport.execute(call, "upload", shown(), List.of(ref.key()), UpgradeClient::answer);
            } catch (UpgradeTechnicalException e) {
                if (watch.fired()) {
                    throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.TIMEOUT, 0, "upload: the connection to "
                            + Redact.url(config.baseUrl()) + " took no byte of the dump for " + config.readTimeout(), e);
                }
                throw e;
            }
        });
        log.info("dump of request {} uploaded over HTTPS", ref.id());
    }

    /** Registers authorized_keys content for the request's SFTP account (replaces earlier keys). */
    public SftpAccess requestSftpAccess(RequestRef ref, String authorizedKeys) {
        JsonNode answer = call("request_sftp_access", ref, Map.of("ssh_keys", authorizedKeys));
        return read(answer, "request_sftp_access", SftpAccess.class);
    }

    /** Sent again only when the service certainly did not act on it: a second process is refused, and the first may have passed. */
    public void process(RequestRef ref) {
        call("process", ref, Map.of());
        log.info("processing of request {} requested", ref.id());
    }

    public void skipTest(RequestRef ref) {
        call("skip_test", ref, Map.of());
    }

    public RequestStatus status(RequestRef ref) {
        return read(call("status", ref, Map.of()), "status", RequestStatus.class);
    }

    /**
     * Does the service answer like this API? A status question about a request that does not exist:
     * the refusal the API gives for it ({@link UpgradeRejectedException}) is the answer expected.
     * Throws {@link UpgradeTechnicalException} when it cannot be reached or does not answer so.
     */
    public void probe() {
        try {
            status(new RequestRef(0, "probe"));
        } catch (UpgradeRejectedException expected) {
            // it answered as the API does for an unknown request
        }
    }

    private JsonNode call(String method, RequestRef ref, Map<String, String> extra) {
        FormBody.Builder form = new FormBody.Builder().add("key", ref.key()).add("request", Long.toString(ref.id()));
        extra.forEach(form::add);
        Request request = new Request.Builder().url(url(method)).post(form.build()).build();
        return transport.send(method, request, shown(), List.of(ref.key()), UpgradeClient::answer);
    }

    private String shown() {
        return Redact.url(config.baseUrl());
    }

    private String url(String method) {
        return config.baseUrl() + "/" + method;
    }

    /** Every answer must be a JSON object with a failures list; anything else is a technical fault. */
    private static JsonNode answer(String method, int status, String contentType, Duration retryAfter, String body,
            List<String> secrets) {
        JsonNode node = null;
        try {
            node = JSON.readTree(body);
        } catch (IOException ignored) {
            // not JSON: handled below
        }
        if (node == null || !node.isObject() || !node.path("failures").isArray()) {
            String snippet = HttpTransport.snippet(body, secrets);
            if (status >= 400) {
                throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.HTTP_STATUS, status, retryAfter,
                        method + ": HTTP " + status + " from the upgrade service: " + snippet, null);
            }
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.BAD_RESPONSE, status,
                    method + ": the answer is not the upgrade service's JSON (HTTP " + status + ", " + contentType + "): " + snippet, null);
        }
        if (!node.path("failures").isEmpty()) {
            List<ApiFailure> failures = new ArrayList<>();
            for (JsonNode f : node.path("failures")) {
                failures.add(JSON.convertValue(f, ApiFailure.class).redact(secrets));
            }
            throw new UpgradeRejectedException(method, failures);
        }
        if (status >= 500) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.HTTP_STATUS, status, retryAfter,
                    method + ": HTTP " + status + " from the upgrade service", null);
        }
        return node;
    }

    private static <T> T read(JsonNode answer, String method, Class<T> type) {
        JsonNode request = answer.path("request");
        if (!request.isObject()) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.BAD_RESPONSE, 200,
                    method + ": the answer has no request object", null);
        }
        return JSON.convertValue(request, type);
    }
}
