package io.github.odooupgrade.api;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the service is and how patient to be. {@code baseUrl} is the methods' parent, e.g.
 * {@code https://upgrade.odoo.com/database/v1} (real service) or the sandbox's {@code apiUrl()}.
 * Idempotent calls are tried up to {@code maxAttempts} times on transient faults, with
 * exponential backoff from {@code backoffMin} to {@code backoffMax}. Over HTTPS the JDK's trust store
 * decides, unless {@code trustedCertificate} names a PEM file: then only that certificate (or CA) is
 * trusted — a sandbox's own, a company's CA. Nothing trusts every certificate.
 */
public record UpgradeClientConfig(String baseUrl, Duration connectTimeout, Duration readTimeout, int maxAttempts,
        Duration backoffMin, Duration backoffMax, Path trustedCertificate) {

    public static final String REAL_SERVICE = "https://upgrade.odoo.com/database/v1";

    public UpgradeClientConfig {
        if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("the upgrade API URL must start with http:// or https://, got: " + baseUrl);
        }
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** 10 s to connect, 60 s to read an answer, 5 attempts, backoff 1 s to 30 s. */
    public static UpgradeClientConfig of(String baseUrl) {
        return new UpgradeClientConfig(baseUrl, Duration.ofSeconds(10), Duration.ofSeconds(60), 5, Duration.ofSeconds(1),
                Duration.ofSeconds(30), null);
    }

    public UpgradeClientConfig withRetries(int attempts, Duration min, Duration max) {
        return new UpgradeClientConfig(baseUrl, connectTimeout, readTimeout, attempts, min, max, trustedCertificate);
    }

    public UpgradeClientConfig withTimeouts(Duration connect, Duration read) {
        return new UpgradeClientConfig(baseUrl, connect, read, maxAttempts, backoffMin, backoffMax, trustedCertificate);
    }

    /** Trust only the certificate or CA in {@code pem} (null: the JDK's trust store). */
    public UpgradeClientConfig withTrustedCertificate(Path pem) {
        return new UpgradeClientConfig(baseUrl, connectTimeout, readTimeout, maxAttempts, backoffMin, backoffMax, pem);
    }
}
