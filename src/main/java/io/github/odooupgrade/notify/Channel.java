package io.github.odooupgrade.notify;

import java.io.IOException;

/**
 * A way to tell a person: it sends a notification once, or says in an exception (with no secret in
 * it) why it could not. Whoever sends decides about trying again: an IOException may pass, a
 * {@link Refused} will not.
 */
public interface Channel {
    /** For the log: "webhook", "email". */
    String name();

    void send(Notification n) throws IOException;

    /** The receiver refused the message itself (a wrong address or payload): trying again will not mend it. */
    final class Refused extends IOException {
        public Refused(String message) {
            super(message);
        }
    }
}
