package io.github.odooupgrade.worker;

import io.github.odooupgrade.api.CurrentApiClient;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.database.PgConnection;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The workers' configuration ({@code upgrade.*} in application.yaml, or UPGRADE_* environment
 * variables). Secrets here (seal key, contract) come from the environment, never from the model.
 *
 * @param apiUrl          base URL of the Upgrade API v1 (the real service, the sandbox, a proxy)
 * @param platform        the API runs speak unless their start says otherwise: v1 (the document's), or current (Odoo's own client's)
 * @param currentApiUrl   the main host of today's API (create goes there; the platform names the host of each request)
 * @param contract        the Odoo contract used when the start form leaves it empty; set it here to keep it out of the engine entirely
 * @param sealKey         base64 AES-256 key sealing secrets in process variables ({@code openssl rand -base64 32})
 * @param outputDir       where upgraded dumps and reports are written, one folder per request
 * @param pollInterval    time between two status checks, unless the instance sets {@code pollInterval}
 * @param deadline        how long to wait for the platform before a person is asked, unless the instance sets {@code deadline}
 * @param sftpThreshold   upload method "auto" uses SFTP for dumps at least this big, HTTPS below
 * @param retryBackoff    wait before a failed job is tried again (technical faults)
 * @param transferLease   job timeout of transfers; extended while bytes move, so a long transfer keeps its job
 * @param postgres        the database steps' PostgreSQL server
 * @param dumpDirs        folders the start form's dump file must be in (unset: anywhere the workers can read; set it in cluster mode)
 * @param approvalReminder a test-first run's approval after its test reminds the approver after this, unless the instance says
 * @param acceptanceRules the acceptance report's rules file (unset: the defaults, acceptance-rules.json)
 */
@ConfigurationProperties("upgrade")
public record UpgradeProperties(
        @DefaultValue(UpgradeClientConfig.REAL_SERVICE) String apiUrl,
        @DefaultValue("v1") String platform,
        @DefaultValue(CurrentApiClient.MAIN_HOST) String currentApiUrl,
        String contract,
        String sealKey,
        @DefaultValue("upgrades") Path outputDir,
        @DefaultValue("PT5M") Duration pollInterval,
        @DefaultValue("P2D") Duration deadline,
        @DefaultValue("512MB") DataSize sftpThreshold,
        @DefaultValue("PT30S") Duration retryBackoff,
        @DefaultValue("PT5M") Duration transferLease,
        @DefaultValue Api api,
        @DefaultValue Sftp sftp,
        @DefaultValue Postgres postgres,
        List<Path> dumpDirs,
        @DefaultValue("P1D") Duration approvalReminder,
        Path acceptanceRules) {

    /**
     * @param attempts           tries of idempotent calls (status, uploads, downloads) before a job fails
     * @param trustedCertificate over HTTPS, trust only this certificate or CA (PEM); unset: the JDK's trust store
     */
    public record Api(@DefaultValue("PT10S") Duration connectTimeout, @DefaultValue("PT2M") Duration readTimeout,
            @DefaultValue("4") int attempts, @DefaultValue("PT1S") Duration backoffMin, @DefaultValue("PT30S") Duration backoffMax,
            Path trustedCertificate) {}

    /**
     * How the SFTP server's host key is verified (one of them is required for SFTP):
     *
     * @param knownHosts         an OpenSSH known_hosts file holding the server's key
     * @param hostKeyFingerprint the server key's SHA256:… fingerprint (ssh-keygen -lf)
     * @param acceptNew          trust an unknown server on first use and remember it in knownHosts (a changed key is still refused)
     */
    public record Sftp(Path knownHosts, String hostKeyFingerprint, @DefaultValue("false") boolean acceptNew,
            @DefaultValue("PT20S") Duration connectTimeout) {}

    /**
     * The PostgreSQL server the optional database steps dump from and restore into (host unset: no
     * database steps). The password reaches the tools through PGPASSWORD, never a command line.
     *
     * @param binDir        folder of pg_dump, pg_restore, psql (e.g. /usr/lib/postgresql/16/bin); default: the PATH
     * @param jobs          parallel jobs of pg_restore
     * @param filestoreRoot Odoo's filestore folder (…/filestore): a database's filestore is {@code <filestoreRoot>/<database>}
     * @param maxDuration   how long one pg_dump / pg_restore / psql may run before it is stopped (an incident)
     */
    public record Postgres(String host, @DefaultValue("5432") int port, String user, String password, Path binDir,
            @DefaultValue("2") Integer jobs, Path filestoreRoot, @DefaultValue("PT24H") Duration maxDuration) {
        /** The server as the database steps reach it. */
        public PgConnection connection() {
            return new PgConnection(host, port, user, password, binDir, maxDuration);
        }
    }

    /**
     * These properties as Spring Boot arguments ({@code --upgrade.sftp.known-hosts=…}), the inverse
     * of binding them: a caller that starts the workers (the run command) sets them typed, and the
     * names stay those of this record. Null values are left out, so the configuration decides them.
     */
    public List<String> toArguments() {
        List<String> args = new ArrayList<>();
        addArguments("upgrade", this, args);
        return args;
    }

    private static void addArguments(String name, Object value, List<String> args) {
        switch (value) {
            case null -> { }
            case Record r -> {
                for (RecordComponent c : r.getClass().getRecordComponents()) {
                    try {
                        addArguments(name + "." + kebab(c.getName()), c.getAccessor().invoke(r), args);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            case DataSize size -> args.add("--" + name + "=" + size.toBytes() + "B");
            case Path path -> args.add("--" + name + "=" + path.toAbsolutePath());
            case List<?> list -> args.add("--" + name + "=" + list.stream().map(Object::toString).collect(Collectors.joining(",")));
            default -> args.add("--" + name + "=" + value); // String, numbers, booleans, Duration (ISO-8601)
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
