package io.github.odooupgrade.api;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * The conversation with the service broke: no connection, a timeout, an HTTP error status, or an
 * answer that is not the service's JSON. Idempotent calls may be retried.
 */
public class UpgradeTechnicalException extends UpgradeApiException {
    public enum Kind { CONNECTION, TIMEOUT, HTTP_STATUS, BAD_RESPONSE, TLS }

    private final Kind kind;
    private final int httpStatus;
    private final Duration retryAfter;

    public UpgradeTechnicalException(Kind kind, int httpStatus, String message, Throwable cause) {
        this(kind, httpStatus, null, message, cause);
    }

    /** @param retryAfter what the service's {@code Retry-After} asked for, or null */
    public UpgradeTechnicalException(Kind kind, int httpStatus, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    /** How long the service asked to wait before trying again ({@code Retry-After}), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status for {@link Kind#HTTP_STATUS} and {@link Kind#BAD_RESPONSE}, else 0. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Worth another try: the network (a cut transfer too), a timeout, a 5xx or 429. Not a 4xx or a wrong answer. */
    public boolean isTransient() {
        return switch (kind) {
            case CONNECTION, TIMEOUT -> true;
            case HTTP_STATUS -> httpStatus >= 500 || httpStatus == 429 || httpStatus == 408;
            case BAD_RESPONSE -> httpStatus >= 500;
            case TLS -> false; // a certificate refused stays refused until someone changes the trust or the URL
        };
    }

    /** The request certainly never reached the service (connection refused, unknown host). */
    public boolean neverSent() {
        return kind == Kind.CONNECTION
                && (getCause() instanceof ConnectException || getCause() instanceof UnknownHostException);
    }

    /**
     * The service certainly did not act on the request: it never reached it, or it answered 503 or 429
     * (RFC 9110: unable to handle the request now; too many requests). Even a call that is not
     * idempotent, like {@code create}, may then be sent again. A timeout, a reset after sending, a 502
     * or a 504 say nothing of what happened behind: not this.
     */
    public boolean notHandled() {
        return neverSent() || (kind == Kind.HTTP_STATUS && (httpStatus == 503 || httpStatus == 429));
    }
}
