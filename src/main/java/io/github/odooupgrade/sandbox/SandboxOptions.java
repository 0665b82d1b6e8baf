package io.github.odooupgrade.sandbox;

import io.github.odooupgrade.database.PgConnection;
import io.github.odooupgrade.units.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Everything the sandbox can be told. The same options serve the command line
 * ({@code odoo-upgrade sandbox --help}) and tests ({@link #parse}), so defaults live here only.
 */
public class SandboxOptions {
    /** The contract number the sandbox accepts unless told otherwise. */
    public static final String DEFAULT_CONTRACT = "M123456-abcdef";

    @Option(names = "--data-dir", description = "Folder holding requests and files; survives restarts (default: ${DEFAULT-VALUE}).")
    public Path dataDir = Path.of("sandbox-data");

    @Option(names = "--bind", description = "Address both servers listen on (default: ${DEFAULT-VALUE}).")
    public String bindHost = "127.0.0.1";

    @Option(names = "--http-port", description = "HTTP port of the API and the downloads; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    public int httpPort = 8780;

    @Option(names = "--sftp-port", description = "SFTP port; 0 picks a free one (default: ${DEFAULT-VALUE}, as the real service).")
    public int sftpPort = 2200;

    @Option(names = "--tls", description = "Serve the API and the downloads over HTTPS, with a certificate made at first start and kept in "
            + "<data-dir>/tls (clients trust its certificate.pem).")
    public boolean tls;

    @Option(names = "--public-url", description = "Scheme://host[:port] that answers name in URLs (default: http[s]://<bind>:<http-port>).")
    public String publicUrl;

    @Option(names = "--sftp-hostname", description = "Host name answered by request_sftp_access (default: the bind address).")
    public String sftpHostname;

    @Option(names = "--base-path", description = "Path of the API methods (default: ${DEFAULT-VALUE}).")
    public String basePath = "/database/v1/";

    @Option(names = "--region", description = "Region segment of file URLs, as eu1 in the real service's (default: ${DEFAULT-VALUE}).")
    public String region = "local";

    @Option(names = "--contracts", split = ",", description = "Valid contract numbers; * accepts any (default: ${DEFAULT-VALUE}).")
    public List<String> contracts = List.of(DEFAULT_CONTRACT);

    @Option(names = "--targets", split = ",", description = "Valid target versions (default: ${DEFAULT-VALUE}, the seed's list).")
    public List<String> targets = List.of("11.0", "12.0", "13.0");

    @Option(names = "--current-targets", split = ",", description = "Valid target versions of today's API "
            + "(default: ${DEFAULT-VALUE}: what Odoo upgrades to in late 2026).")
    public List<String> currentTargets = List.of("17.0", "18.0", "19.0");

    @Option(names = "--transfer-idle", converter = DurationConverter.class, description = "Today's API: an rsync window with no "
            + "connection closes after this long (default: 5m, as Odoo's client warns).")
    public Duration transferIdle = Duration.ofMinutes(5);

    @Option(names = "--postgres-host", description = "Today's API: the PostgreSQL server the sandbox restores each dump into, "
            + "to hand it back as a directory dump (default: ${DEFAULT-VALUE}; password from PGPASSWORD).")
    public String postgresHost = "127.0.0.1";

    @Option(names = "--postgres-port", description = "Its port (default: ${DEFAULT-VALUE}).")
    public int postgresPort = 5432;

    @Option(names = "--postgres-user", description = "Its user, who may create databases (default: ${DEFAULT-VALUE}).")
    public String postgresUser = "postgres";

    @Option(names = "--postgres-bin-dir", description = "Folder of pg_dump, pg_restore and psql (default: the PATH).")
    public Path postgresBinDir;

    @Option(names = "--pending", converter = DurationConverter.class, description = "Time queued after process (default: 2s).")
    public Duration pending = Duration.ofSeconds(2);

    @Option(names = "--progress", converter = DurationConverter.class, description = "Time upgrading (default: 5s).")
    public Duration progress = Duration.ofSeconds(5);

    @Option(names = "--test", converter = DurationConverter.class, description = "Time of platform testing (default: 3s).")
    public Duration test = Duration.ofSeconds(3);

    @Option(names = "--draft-expiry", converter = DurationConverter.class,
            description = "A draft untouched this long is cancelled, as an abandoned request (default: 7d; 0 keeps drafts forever).")
    public Duration draftExpiry = Duration.ofDays(7);

    @Option(names = "--fail-filenames", description = "Regex: requests whose filename matches end failed after progress (fault injection).")
    public Pattern failFilenames;

    @Option(names = "--hold-filenames", description = "Regex: requests whose filename matches stay in progress until the pattern changes (fault injection: an upgrade that does not end).")
    public Pattern holdFilenames;

    @Option(names = "--error-rate", description = "Percent of API calls answered HTTP 503 (fault injection; default: ${DEFAULT-VALUE}).")
    public int errorRatePercent = 0;

    @Option(names = "--cut-after-bytes", description = "Cut HTTP/SFTP transfers after this many bytes (fault injection; -1 off).")
    public long cutAfterBytes = -1;

    @Option(names = "--transfer-rate", description = "Slow every HTTP/SFTP transfer to about this many bytes per second "
            + "(fault injection: a slow line; -1 full speed, the default).")
    public long transferRate = -1;

    @Option(names = "--pg-incompatible", description = "Today's API: process answers is_pg_version_compatible false "
            + "(fault injection: the upgraded database needs a newer PostgreSQL than the one the dump came from).")
    public boolean pgIncompatible;

    @Option(names = "--lose-rows", converter = LostRowsConverter.class, description = "Today's API: the upgraded database "
            + "comes back with N rows fewer in TABLE, given as TABLE:N (fault injection: an upgrade that loses records).")
    public Faults.LostRows loseRows;

    /** TABLE:N, or picocli's one line saying what is wrong. */
    static final class LostRowsConverter implements CommandLine.ITypeConverter<Faults.LostRows> {
        @Override
        public Faults.LostRows convert(String text) {
            try {
                return Faults.LostRows.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--cut-times", description = "How many transfers --cut-after-bytes cuts; -1 every one (default: ${DEFAULT-VALUE}).")
    public int cutTimes = -1;

    /** Parses command-line style arguments (a repeated option: the last wins); bad ones raise picocli's ParameterException. */
    public static SandboxOptions parse(String... args) {
        SandboxOptions options = new SandboxOptions();
        new CommandLine(options).setOverwrittenOptionsAllowed(true).parseArgs(args);
        return options;
    }

    public String publicUrl(int actualHttpPort) {
        return publicUrl != null ? stripSlash(publicUrl) : (tls ? "https://" : "http://") + bindHost + ":" + actualHttpPort;
    }

    public String sftpHostname() {
        return sftpHostname != null ? sftpHostname : bindHost;
    }

    public String normalizedBasePath() {
        String p = basePath.startsWith("/") ? basePath : "/" + basePath;
        return p.endsWith("/") ? p : p + "/";
    }

    /** The server today's API's upgrades restore into. */
    public PgConnection postgres() {
        return new PgConnection(postgresHost, postgresPort, postgresUser, System.getenv("PGPASSWORD"), postgresBinDir);
    }

    public boolean acceptsContract(String contract) {
        return contracts.contains("*") || contracts.contains(contract);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
