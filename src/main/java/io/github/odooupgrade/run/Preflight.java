package io.github.odooupgrade.run;

import io.github.odooupgrade.api.CurrentApiClient;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.api.UpgradeTechnicalException;
import io.github.odooupgrade.api.UpgradeTechnicalException.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Before a run talks to an upgrade API that is not its own sandbox: does it answer like one? A
 * service that cannot be reached, or does not speak this API, is a configuration problem, said at
 * once. One that answers "not now" (503, 429, 408) or too slowly is asked again, for a bounded time.
 */
public final class Preflight {
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(15);

    private Preflight() {}

    /**
     * One line saying why {@code url} is not a usable Upgrade API, or null when it answers like one.
     * While it is busy, it is asked again for up to {@code wait}; {@code say} hears once that it is.
     */
    public static String problem(String url, Path trustedCertificate, Duration wait, Consumer<String> say) throws InterruptedException {
        return problem(url, false, trustedCertificate, wait, say);
    }

    /** The same, of v1's API or ({@code current}) of today's. */
    public static String problem(String url, boolean current, Path trustedCertificate, Duration wait, Consumer<String> say)
            throws InterruptedException {
        Runnable probe;
        try {
            UpgradeClientConfig config = UpgradeClientConfig.of(url).withTrustedCertificate(trustedCertificate)
                    .withRetries(1, Duration.ofMillis(100), Duration.ofMillis(200))
                    .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));
            probe = current ? new CurrentApiClient(config)::probe : new UpgradeClient(config)::probe;
        } catch (RuntimeException e) {
            return "--api-url " + url + " is not a valid URL: " + e.getMessage();
        }
        long deadline = System.nanoTime() + wait.toNanos();
        Duration pause = Duration.ofSeconds(1);
        boolean said = false;
        while (true) {
            try {
                probe.run();
                return null;
            } catch (IllegalArgumentException e) {
                return "--api-url " + url + " is not a valid URL: " + e.getMessage();
            } catch (UpgradeTechnicalException e) {
                if (!busy(e)) {
                    return "the upgrade API at " + url + " cannot be used: " + e.getMessage();
                }
                Duration next = e.retryAfter().orElse(pause);
                if (System.nanoTime() + next.toNanos() > deadline) {
                    return "the upgrade API at " + url + " was still busy after " + wait + " (--api-wait): " + e.getMessage();
                }
                if (!said) {
                    say.accept("the upgrade API at " + url + " is busy (" + e.getMessage() + "); asking again for up to " + wait);
                    said = true;
                }
                Thread.sleep(next.toMillis());
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    /** It answered, and said "not now" — or it did not answer in time. */
    private static boolean busy(UpgradeTechnicalException e) {
        return e.kind() == Kind.TIMEOUT
                || (e.kind() == Kind.HTTP_STATUS && (e.httpStatus() == 503 || e.httpStatus() == 429 || e.httpStatus() == 408));
    }
}
