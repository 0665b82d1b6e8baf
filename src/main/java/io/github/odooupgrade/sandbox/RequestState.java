package io.github.odooupgrade.sandbox;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The sandbox's model of a request's life (the seed names only draft, done and delivered):
 * draft → pending → progress → test → done; skip_test → delivered; failed and cancelled end it.
 */
public enum RequestState {
    DRAFT, PENDING, PROGRESS, TEST, DONE, DELIVERED, FAILED, CANCELLED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RequestState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** The upgraded dump exists and can be downloaded. */
    public boolean isDelivered() {
        return this == DONE || this == DELIVERED;
    }

    /** The platform is working on it: the lifecycle timer drives it on. */
    public boolean isInFlight() {
        return this == PENDING || this == PROGRESS || this == TEST;
    }
}
