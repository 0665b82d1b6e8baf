package io.github.odooupgrade.api;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** Test helper: a request processed on the sandbox, followed until it ends. */
public final class Requests {
    private Requests() {}

    /** Polls {@code status} until the request is no longer running; fails after 30 s instead of hanging. */
    public static RequestStatus awaitEnd(UpgradeClient client, RequestRef ref) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(30))
                .until(() -> client.status(ref), s -> s.outcome() != RequestStatus.Outcome.RUNNING);
    }
}
