package io.github.odooupgrade.api;

import java.net.ConnectException;
import java.net.UnknownHostException;

/**
 * The conversation with the service broke: no connection, a timeout, an HTTP error status, or an
 * answer that is not the service's JSON. Idempotent calls may be retried.
 */
public class UpgradeTechnicalException extends UpgradeApiException {
    public enum Kind { CONNECTION, TIMEOUT, HTTP_STATUS, BAD_RESPONSE }

    private final Kind kind;
    private final int httpStatus;

    public UpgradeTechnicalException(Kind kind, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
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
        };
    }

    /** The request certainly never reached the service (connection refused, unknown host): even a non-idempotent call may be sent again. */
    public boolean neverSent() {
        return kind == Kind.CONNECTION
                && (getCause() instanceof ConnectException || getCause() instanceof UnknownHostException);
    }
}
