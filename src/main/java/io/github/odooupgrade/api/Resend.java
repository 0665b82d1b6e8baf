package io.github.odooupgrade.api;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * When the client sends a call again after a fault — the one table of it (docs/code-map.md, "Retries").
 * A call is sent at most {@code upgrade.api.attempts} times in all, with exponential backoff
 * between {@code backoff-min} and {@code backoff-max}, or after what the service's
 * {@code Retry-After} asks (at most {@link #LONGEST_RETRY_AFTER}). What the client gives up on
 * reaches the workers, whose job is retried by the engine with {@code upgrade.retry-backoff} when
 * the fault may pass, and otherwise becomes an incident.
 */
public enum Resend {
    /** Idempotent: after any fault that may pass — no connection, a timeout, a reset, a 5xx, a 429, a 408. */
    AFTER_TRANSIENT_FAULTS,
    /**
     * Not idempotent (a second one acts twice, or is refused): only when the service certainly did
     * not act on it — the request never reached it, or it answered 503 or 429.
     */
    ONLY_WHEN_NOT_HANDLED;

    /** Each call's rule, of both APIs (v1's methods; today's calls under /upgrade/request/). */
    private static final Map<String, Resend> TABLE = Map.of(
            "create", ONLY_WHEN_NOT_HANDLED, // a second create is a second request
            "upload", AFTER_TRANSIENT_FAULTS, // an upload replaces the draft's file
            "request_sftp_access", AFTER_TRANSIENT_FAULTS, // the keys given last are the ones that count
            "process", ONLY_WHEN_NOT_HANDLED, // a second process is refused while the first may have passed
            "skip_test", AFTER_TRANSIENT_FAULTS, // a no-op once delivered
            "status", AFTER_TRANSIENT_FAULTS,
            "transfer/start", AFTER_TRANSIENT_FAULTS, // asked again, the window already open answers
            "transfer/stop", AFTER_TRANSIENT_FAULTS, // a window closed twice is closed
            "logs", AFTER_TRANSIENT_FAULTS, // a read from an offset
            "wipe", AFTER_TRANSIENT_FAULTS); // deleted twice is deleted

    /** A Retry-After longer than this is not waited for here: the job's own retry takes over. */
    public static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(2);

    public static Resend of(String method) {
        Resend rule = TABLE.get(method);
        if (rule == null) {
            throw new IllegalArgumentException("no resend rule for API method " + method);
        }
        return rule;
    }

    public boolean covers(Throwable fault) {
        return fault instanceof UpgradeTechnicalException t && (this == AFTER_TRANSIENT_FAULTS ? t.isTransient() : t.notHandled());
    }

    /** A {@code Retry-After} value (seconds, or an HTTP date) as a wait, or null when absent or unreadable. */
    static Duration retryAfter(String header, ZonedDateTime now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return value.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(value))
                    : Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }
}
