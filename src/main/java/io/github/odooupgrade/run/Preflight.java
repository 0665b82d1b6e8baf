package io.github.odooupgrade.run;

import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.api.UpgradeRejectedException;
import io.github.odooupgrade.api.UpgradeTechnicalException;
import java.time.Duration;

/** Before a run talks to an upgrade API that is not its own sandbox: does it answer like one? */
public final class Preflight {
    private Preflight() {}

    /** One line saying why {@code url} is not a usable Upgrade API, or null when it answers like one. */
    public static String problem(String url) {
        UpgradeClient client;
        try {
            client = new UpgradeClient(UpgradeClientConfig.of(url).withRetries(1, Duration.ofMillis(100), Duration.ofMillis(200))
                    .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)));
        } catch (RuntimeException e) {
            return "--api-url " + url + " is not a valid URL: " + e.getMessage();
        }
        try {
            client.status(new RequestRef(0, "preflight"));
            return null;
        } catch (UpgradeRejectedException expected) {
            return null; // it answered as the API does for an unknown request
        } catch (UpgradeTechnicalException e) {
            return "the upgrade API at " + url + " cannot be used: " + e.getMessage();
        } catch (IllegalArgumentException e) {
            return "--api-url " + url + " is not a valid URL: " + e.getMessage();
        }
    }
}
