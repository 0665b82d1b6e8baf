package io.github.odooupgrade.database;

/** A PostgreSQL tool failed or cannot be used; the message carries its stderr (redacted) and what to do. */
public class PgToolException extends RuntimeException {
    public PgToolException(String message) {
        super(message);
    }

    public PgToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
