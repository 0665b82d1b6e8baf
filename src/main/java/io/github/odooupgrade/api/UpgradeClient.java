package io.github.odooupgrade.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.github.odooupgrade.secrets.Redact;
import java.io.IOException;
import java.io.InterruptedIOException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.tls.HandshakeCertificates;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
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
    private static final long MAX_ANSWER = 1 << 20;
    /** Failsafe uses the configured backoff when a delay function answers a negative delay. */
    private static final Duration NO_DELAY_OF_ITS_OWN = Duration.ofMillis(-1);

    private final UpgradeClientConfig config;
    private final OkHttpClient http;
    private final OkHttpClient freshConnections;

    public UpgradeClient(UpgradeClientConfig config) {
        this.config = config;
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                .retryOnConnectionFailure(false); // retries are decided here, per method
        // only the given certificate (or CA); else the platform's trust store (the JDK's, as OkHttp's own default)
        HandshakeCertificates trust = config.trustedCertificate() != null
                ? TrustedCertificate.handshake(config.trustedCertificate())
                : new HandshakeCertificates.Builder().addPlatformTrustedCertificates().build();
        builder.sslSocketFactory(new FullRecordSockets(trust.sslSocketFactory()), trust.trustManager());
        this.http = builder.build();
        // create never reuses a pooled connection: a stale one could fail after the service got the call
        this.freshConnections = http.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
    }

    public UpgradeClientConfig config() {
        return config;
    }

    /** The OkHttp client the downloads share (timeouts, connection pool). */
    public OkHttpClient httpClient() {
        return http;
    }

    public RequestStatus create(CreateParams p) {
        FormBody.Builder form = new FormBody.Builder()
                .add("contract", p.contract()).add("email", p.email()).add("target", p.target())
                .add("aim", p.aim()).add("filename", p.filename());
        if (p.timezone() != null) {
            form.add("timezone", p.timezone());
        }
        Request request = new Request.Builder().url(url("create")).post(form.build()).build();
        JsonNode answer = retrying("create").get(() -> execute(freshConnections, "create", request, List.of(p.contract())));
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
        OkHttpClient bulk = http.newBuilder().readTimeout(0, TimeUnit.MILLISECONDS).writeTimeout(0, TimeUnit.MILLISECONDS).build();
        retrying("upload").get(() -> {
            UploadWatch watch = new UploadWatch(dump, config.readTimeout());
            Call call = bulk.newCall(new Request.Builder().url(url).post(watch.body()).build());
            try (UploadWatch watching = watch.start(call)) {
                return execute(call, "upload", List.of(ref.key()));
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
        return retrying(method).get(() -> execute(http, method, request, List.of(ref.key())));
    }

    /** The method's rule from {@link Resend}; a Retry-After the service sent is waited for instead of the backoff. */
    private FailsafeExecutor<Object> retrying(String method) {
        Resend rule = Resend.of(method);
        return Failsafe.with(RetryPolicy.builder()
                .handleIf(rule::covers)
                .withMaxAttempts(config.maxAttempts())
                .withBackoff(config.backoffMin(), config.backoffMax())
                .withDelayFn(context -> context.getLastException() instanceof UpgradeTechnicalException t
                        ? t.retryAfter().filter(d -> d.compareTo(Resend.LONGEST_RETRY_AFTER) <= 0).orElse(NO_DELAY_OF_ITS_OWN)
                        : NO_DELAY_OF_ITS_OWN)
                .onRetry(e -> log.warn("{} failed ({}); trying again, attempt {} of {}", method,
                        e.getLastException().getMessage(), e.getAttemptCount() + 1, config.maxAttempts()))
                .build());
    }

    private String url(String method) {
        return config.baseUrl() + "/" + method;
    }

    private JsonNode execute(OkHttpClient client, String method, Request request, List<String> secrets) {
        return execute(client.newCall(request), method, secrets);
    }

    private JsonNode execute(Call call, String method, List<String> secrets) {
        try (Response response = call.execute()) {
            String body = response.peekBody(MAX_ANSWER).string();
            Duration retryAfter = Resend.retryAfter(response.header("Retry-After"), ZonedDateTime.now(ZoneOffset.UTC));
            return answer(method, response.code(), response.header("Content-Type", "?"), retryAfter, body, secrets);
        } catch (SocketTimeoutException e) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.TIMEOUT, 0,
                    method + ": no answer from " + Redact.url(config.baseUrl()) + " in time (" + e.getMessage() + ")", e);
        } catch (ConnectException | UnknownHostException e) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.CONNECTION, 0,
                    method + ": cannot connect to " + Redact.url(config.baseUrl()) + " (" + e.getMessage() + ")", e);
        } catch (SSLPeerUnverifiedException e) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.TLS, 0, method + ": the TLS certificate of "
                    + Redact.url(config.baseUrl()) + " is not for that host name: use the name the certificate gives (" + oneLine(e.getMessage()) + ")", e);
        } catch (SSLHandshakeException e) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.TLS, 0, method + ": the TLS certificate of "
                    + Redact.url(config.baseUrl()) + " is not trusted: give the server's certificate or its CA as a PEM file "
                    + "(upgrade.api.trusted-certificate; run --api-certificate)", e);
        } catch (InterruptedIOException e) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.TIMEOUT, 0, method + ": interrupted (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.CONNECTION, 0,
                    method + ": the connection to " + Redact.url(config.baseUrl()) + " broke (" + e.getMessage() + ")", e);
        }
    }

    /** OkHttp's host name refusal spreads over lines (certificate, DN, names): one line, as every message of the client. */
    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
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
            String snippet = Redact.secrets(body.length() > 200 ? body.substring(0, 200) + "…" : body, secrets).replaceAll("\\s+", " ");
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
