package io.github.odooupgrade.api;

/** Anything that went wrong talking to the upgrade service; see the two subclasses. */
public abstract class UpgradeApiException extends RuntimeException {
    protected UpgradeApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
