package io.github.odooupgrade.transfer;

/** A transfer failed. {@link #isTransient()}: another attempt may succeed (and will resume). */
public class TransferException extends RuntimeException {
    private final boolean isTransient;

    public TransferException(String message, boolean isTransient, Throwable cause) {
        super(message, cause);
        this.isTransient = isTransient;
    }

    public boolean isTransient() {
        return isTransient;
    }
}
