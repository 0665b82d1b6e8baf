package io.github.odooupgrade.notify;

import java.io.IOException;

/** A way to tell a person: it sends a notification, or says in an exception (with no secret in it) why it could not. */
public interface Channel {
    /** For the log: "webhook", "email". */
    String name();

    void send(Notification n) throws IOException;
}
