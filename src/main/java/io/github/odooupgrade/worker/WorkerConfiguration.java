package io.github.odooupgrade.worker;

import io.github.odooupgrade.api.CurrentApiClient;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.database.DatabaseDump;
import io.github.odooupgrade.database.DatabaseFacts;
import io.github.odooupgrade.database.DatabaseRestore;
import io.github.odooupgrade.database.PgConnection;
import io.github.odooupgrade.process.InputValidator;
import io.github.odooupgrade.secrets.Sealer;
import io.github.odooupgrade.transfer.HostKeyPolicy;
import io.github.odooupgrade.transfer.HttpDownload;
import io.github.odooupgrade.transfer.RsyncTransfer;
import io.github.odooupgrade.transfer.SftpTransfer;
import java.nio.file.Path;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the plain-Java services the workers adapt, from {@link UpgradeProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({UpgradeProperties.class, NotifyWorker.Properties.class})
public class WorkerConfiguration {

    @Bean
    UpgradeClient upgradeClient(UpgradeProperties p) {
        return new UpgradeClient(UpgradeClientConfig.of(p.apiUrl()).withTrustedCertificate(p.api().trustedCertificate())
                .withTimeouts(p.api().connectTimeout(), p.api().readTimeout())
                .withRetries(p.api().attempts(), p.api().backoffMin(), p.api().backoffMax()));
    }

    /** Today's API: the main host's client (each request's calls go to the host the platform assigns it). */
    @Bean
    CurrentApiClient currentApiClient(UpgradeProperties p) {
        return new CurrentApiClient(UpgradeClientConfig.of(p.currentApiUrl()).withTrustedCertificate(p.api().trustedCertificate())
                .withTimeouts(p.api().connectTimeout(), p.api().readTimeout())
                .withRetries(p.api().attempts(), p.api().backoffMin(), p.api().backoffMax()));
    }

    /** rsync over ssh, for today's API: a transfer that stands still as long as an HTTP read may is given up and tried again. */
    @Bean
    RsyncTransfer rsyncTransfer(UpgradeProperties p) {
        return new RsyncTransfer(p.api().readTimeout());
    }

    @Bean
    ProcessSecrets processSecrets(UpgradeProperties p) {
        return new ProcessSecrets(Sealer.fromBase64Key(p.sealKey()), p.contract());
    }

    @Bean
    InputValidator inputValidator(UpgradeProperties p) {
        return new InputValidator(p.contract(), p.sftpThreshold().toBytes(), p.pollInterval(), p.deadline(), p.dumpDirs(), p.platform(),
                p.approvalReminder());
    }

    @Bean
    HttpDownload httpDownload(UpgradeClient client, UpgradeProperties p) {
        return new HttpDownload(client.httpClient(), p.api().attempts(), p.api().backoffMin(), p.api().backoffMax());
    }

    @Bean
    Transfers transfers(UpgradeProperties p) {
        return new Transfers(p);
    }

    @Bean
    Databases databases(UpgradeProperties p) {
        return new Databases(p.postgres());
    }

    /** The database steps need a PostgreSQL server, which only runs that use them need configured. */
    public static final class Databases {
        private final UpgradeProperties.Postgres pg;

        Databases(UpgradeProperties.Postgres pg) {
            this.pg = pg;
        }

        public boolean configured() {
            return pg.host() != null && !pg.host().isBlank();
        }

        public DatabaseDump dump() {
            return new DatabaseDump(connection());
        }

        public DatabaseRestore restore() {
            return new DatabaseRestore(connection(), pg.jobs());
        }

        public Path filestoreRoot() {
            return pg.filestoreRoot();
        }

        /** The contract {@code database} names (database.enterprise_code), or null; throws when it cannot be read. */
        public String enterpriseCode(String database) {
            return DatabaseFacts.enterpriseCode(connection(), database);
        }

        public int jobs() {
            return Math.max(1, pg.jobs());
        }

        PgConnection connection() {
            if (!configured()) {
                throw new IllegalStateException("the database steps need a PostgreSQL server: set upgrade.postgres.host "
                        + "(and .port, .user, .password as needed)");
            }
            return pg.connection();
        }
    }

    /** SFTP needs a host key policy, which only SFTP runs need configured: resolved at first use, with a clear error. */
    public static final class Transfers {
        private final UpgradeProperties p;
        private volatile SftpTransfer sftp;

        Transfers(UpgradeProperties p) {
            this.p = p;
        }

        public SftpTransfer sftp() {
            if (sftp == null) {
                sftp = new SftpTransfer(hostKeys(p.sftp()), p.sftp().connectTimeout(), p.api().attempts(),
                        p.api().backoffMin(), p.api().backoffMax());
            }
            return sftp;
        }

        static HostKeyPolicy hostKeys(UpgradeProperties.Sftp s) {
            if (s.hostKeyFingerprint() != null && !s.hostKeyFingerprint().isBlank()) {
                return HostKeyPolicy.pinned(s.hostKeyFingerprint().trim());
            }
            if (s.knownHosts() != null) {
                return s.acceptNew() ? HostKeyPolicy.acceptNew(s.knownHosts()) : HostKeyPolicy.knownHosts(s.knownHosts());
            }
            throw new IllegalStateException("SFTP host key verification is not configured: set upgrade.sftp.known-hosts "
                    + "(an OpenSSH known_hosts file) or upgrade.sftp.host-key-fingerprint (SHA256:…)");
        }
    }
}
