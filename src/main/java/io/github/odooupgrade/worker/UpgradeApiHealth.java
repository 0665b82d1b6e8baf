package io.github.odooupgrade.worker;

import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.api.UpgradeClientConfig;
import java.time.Duration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health}'s "upgradeApi": does the configured upgrade API answer like one? Asked
 * once, with short timeouts and no retry (the workers' own client would wait through its backoff),
 * so a health check answers within seconds. Beside it the starter's own "camunda" (the cluster's
 * topology) says whether jobs can be taken.
 */
@Component("upgradeApi")
final class UpgradeApiHealth implements HealthIndicator {
    private final UpgradeClient probe;
    private final String url;

    UpgradeApiHealth(UpgradeProperties props) {
        this.url = props.apiUrl();
        this.probe = new UpgradeClient(UpgradeClientConfig.of(props.apiUrl()).withTrustedCertificate(props.api().trustedCertificate())
                .withRetries(1, Duration.ofMillis(100), Duration.ofMillis(200))
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(5)));
    }

    @Override
    public Health health() {
        try {
            probe.probe();
            return Health.up().withDetail("url", url).build();
        } catch (RuntimeException e) { // UpgradeTechnicalException, or anything else: said, not a 500
            return Health.down().withDetail("url", url).withDetail("error", e.getMessage()).build();
        }
    }
}
