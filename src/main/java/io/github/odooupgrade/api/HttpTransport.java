package io.github.odooupgrade.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.github.odooupgrade.secrets.Redact;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire both API clients share: one OkHttp client (timeouts; the trust — a given certificate or CA, else the
 * platform's store; TLS records gathered), the retry rule of each call ({@link Resend}), and what can go wrong on
 * the way said in one line as an {@link UpgradeTechnicalException}. What an answer means is each API's own
 * ({@link Answer}).
 */
final class HttpTransport {
    private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);
    private static final long MAX_ANSWER = 1 << 20;
    /** Failsafe uses the configured backoff when a delay function answers a negative delay. */
    private static final Duration NO_DELAY_OF_ITS_OWN = Duration.ofMillis(-1);

    /** An API's reading of an answer: its JSON, or the exception it means. */
    interface Answer {
        JsonNode read(String call, int status, String contentType, Duration retryAfter, String body, List<String> secrets);
    }

    private final UpgradeClientConfig config;
    private final OkHttpClient http;
    private final OkHttpClient freshConnections;

    HttpTransport(UpgradeClientConfig config) {
        this.config = config;
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                .retryOnConnectionFailure(false); // retries are decided here, per call
        // only the given certificate (or CA); else the platform's trust store (the JDK's, as OkHttp's own default)
        HandshakeCertificates trust = config.trustedCertificate() != null
                ? TrustedCertificate.handshake(config.trustedCertificate())
                : new HandshakeCertificates.Builder().addPlatformTrustedCertificates().build();
        builder.sslSocketFactory(new FullRecordSockets(trust.sslSocketFactory()), trust.trustManager());
        this.http = builder.build();
        // a call that is not idempotent never reuses a pooled connection: a stale one could fail after the service got the call
        this.freshConnections = http.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
    }

    OkHttpClient http() {
        return http;
    }

    /**
     * Sends {@code request} as {@code call}, again where its rule allows, and reads the answer with {@code answer};
     * {@code shown} is the service as a message names it (no secret in it).
     */
    JsonNode send(String call, Request request, String shown, List<String> secrets, Answer answer) {
        OkHttpClient client = Resend.of(call) == Resend.ONLY_WHEN_NOT_HANDLED ? freshConnections : http;
        return retrying(call).get(() -> execute(client.newCall(request), call, shown, secrets, answer));
    }

    JsonNode execute(Call call, String method, String shown, List<String> secrets, Answer answer) {
        try (Response response = call.execute()) {
            String body = response.peekBody(MAX_ANSWER).string();
            Duration retryAfter = Resend.retryAfter(response.header("Retry-After"), ZonedDateTime.now(ZoneOffset.UTC));
            return answer.read(method, response.code(), response.header("Content-Type", "?"), retryAfter, body, secrets);
        } catch (SocketTimeoutException e) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.TIMEOUT, 0,
                    method + ": no answer from " + shown + " in time (" + e.getMessage() + ")", e);
        } catch (ConnectException | UnknownHostException e) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.CONNECTION, 0,
                    method + ": cannot connect to " + shown + " (" + e.getMessage() + ")", e);
        } catch (SSLPeerUnverifiedException e) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.TLS, 0, method + ": the TLS certificate of " + shown
                    + " is not for that host name: use the name the certificate gives (" + oneLine(e.getMessage()) + ")", e);
        } catch (SSLHandshakeException e) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.TLS, 0, method + ": the TLS certificate of " + shown
                    + " is not trusted: give the server's certificate or its CA as a PEM file "
                    + "(upgrade.api.trusted-certificate; run --api-certificate)", e);
        } catch (InterruptedIOException e) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.TIMEOUT, 0, method + ": interrupted (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UpgradeTechnicalException(UpgradeTechnicalException.Kind.CONNECTION, 0,
                    method + ": the connection to " + shown + " broke (" + e.getMessage() + ")", e);
        }
    }

    /** The call's rule from {@link Resend}; a Retry-After the service sent is waited for instead of the backoff. */
    FailsafeExecutor<Object> retrying(String method) {
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

    /** OkHttp's host name refusal spreads over lines (certificate, DN, names): one line, as every message of the client. */
    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** A few hundred characters of a body, secrets taken out and whitespace folded: what a message may show of it. */
    static String snippet(String body, List<String> secrets) {
        return Redact.secrets(body.length() > 200 ? body.substring(0, 200) + "…" : body, secrets).replaceAll("\\s+", " ");
    }
}
