package io.github.odooupgrade.cli;

import io.github.odooupgrade.api.CurrentApiClient;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.process.InputValidator;
import io.github.odooupgrade.process.StartForm;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.ValidInput;
import io.github.odooupgrade.run.Preflight;
import io.github.odooupgrade.run.RunPlan;
import io.github.odooupgrade.run.SealKey;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.transfer.RsyncTransfer;
import io.github.odooupgrade.units.DurationConverter;
import io.github.odooupgrade.worker.UpgradeProperties;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.util.unit.DataSize;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of an upgrade that {@code run} and {@code campaign} share: what to upgrade to and how,
 * which upgrade API (the run's own sandbox, or {@code --api-url} with its contract, certificate and
 * SFTP host key), the timing, the notifications. For a campaign they are the defaults of its items.
 */
final class UpgradeOptions {
    @Option(names = "--platform", defaultValue = Value.PLATFORM_V1, description = "The upgrade platform's API: v1 (the document's, "
            + "/database/v1) or current (what Odoo's own upgrade client uses: JSON-RPC, dumps moved with rsync over ssh; default: ${DEFAULT-VALUE}).")
    String platform;

    @Option(names = "--target", description = "Odoo version to upgrade to (default: 13.0 with v1, 18.0 with current).")
    String target;

    @Option(names = "--wipe", description = "With --platform current: delete the platform's copy of the data once the upgraded database is here.")
    boolean wipe;

    @Option(names = "--aim", defaultValue = "test", description = "test or production (production waits for your approval; default: ${DEFAULT-VALUE}).")
    String aim;

    @Option(names = "--test-first", description = "With --aim production: upgrade a test copy first, restore it into a database of "
            + "its own, compare it with the source (the acceptance report) and ask you before production is upgraded.")
    boolean testFirst;

    @Option(names = "--approval-reminder", converter = DurationConverter.class, description = "With --test-first: remind the "
            + "approver after this (default: 1d).")
    Duration approvalReminder;

    @Option(names = "--contract", description = "Odoo Enterprise contract number (required with --api-url; the sandbox accepts "
            + SandboxOptions.DEFAULT_CONTRACT + "). Stays on the workers, never in the engine.")
    String contract;

    @Option(names = "--email", description = "Address the platform writes to (required with --api-url and v1; today's platform asks for none).")
    String email;

    @Option(names = "--upload-method", defaultValue = "auto", description = "auto, https or sftp (auto: SFTP from --sftp-threshold up; default: ${DEFAULT-VALUE}).")
    String uploadMethod;

    @Option(names = "--skip-tests", description = "Skip the platform's tests: the upgraded dump is delivered at once.")
    boolean skipTests;

    @Option(names = "--timezone", description = "Only for databases older than Odoo 6.1.")
    String timezone;

    @Option(names = "--api-url", description = "Upgrade API to use instead of a local sandbox: v1's, e.g. " + UpgradeClientConfig.REAL_SERVICE
            + "; with --platform current, the main host, e.g. " + CurrentApiClient.MAIN_HOST)
    String apiUrl;

    @Option(names = "--api-certificate", paramLabel = "FILE.pem", description = "With --api-url over HTTPS: trust only this "
            + "certificate or CA (PEM), e.g. a sandbox's <data-dir>/tls/certificate.pem (default: the JDK's trust store).")
    Path apiCertificate;

    @Option(names = "--api-wait", defaultValue = "2m", converter = DurationConverter.class,
            description = "How long to keep asking an --api-url that answers 503, 429 or too slowly before anything starts (default: ${DEFAULT-VALUE}).")
    Duration apiWait;

    @Option(names = "--poll-interval", converter = DurationConverter.class,
            description = "Time between status checks (default: 2s with the sandbox, 5m otherwise).")
    Duration pollInterval;

    @Option(names = "--deadline", defaultValue = "2d", converter = DurationConverter.class,
            description = "Ask you what to do when an upgrade takes longer (default: ${DEFAULT-VALUE}).")
    Duration deadline;

    @Option(names = "--sftp-threshold", defaultValue = "512MB", description = "auto uses SFTP for dumps at least this big (default: ${DEFAULT-VALUE}).")
    String sftpThreshold;

    @Option(names = "--sftp-known-hosts", description = "OpenSSH known_hosts file with the SFTP server's key (with --api-url).")
    Path sftpKnownHosts;

    @Option(names = "--sftp-host-key", description = "The SFTP server key's SHA256:… fingerprint (with --api-url).")
    String sftpHostKey;

    @Option(names = "--sftp-accept-new", description = "Trust an unknown SFTP server once and remember it in --sftp-known-hosts (a changed key is still refused).")
    boolean sftpAcceptNew;

    @Mixin
    NotifyOptions notifications = new NotifyOptions();

    /** What every upgrade of the command is given, checked: the SFTP threshold, the polling, the contract, the workers' extra properties. */
    record Settled(DataSize threshold, Duration poll, String contract, Map<String, String> workerExtras) {}

    boolean localSandbox() {
        return apiUrl == null;
    }

    boolean current() {
        return Value.PLATFORM_CURRENT.equals(platform);
    }

    /** The target asked, or the platform's usual one. */
    String target() {
        return target != null ? target : current() ? "18.0" : "13.0";
    }

    /**
     * Today's platform, a live database: as Odoo's client, the contract the database names ({@code code}, or null) is
     * used when none is given; a different one given is used, and said (never the numbers: they are secrets).
     */
    void contractFromDatabase(String code, PrintWriter err) {
        if (code == null || !current()) {
            return;
        }
        boolean given = contract != null && !contract.isBlank();
        if (given && !contract.trim().equals(code)) {
            err.println("note: the contract given (--contract) is used, not the one the database names (database.enterprise_code)");
        } else if (!given && localSandbox()) {
            err.println("note: the local sandbox takes its own contract; the one the database names (database.enterprise_code) "
                    + "goes to an --api-url");
        } else if (!given) {
            contract = code;
            err.println("note: the contract is the one the database names (ir_config_parameter database.enterprise_code)");
        }
    }

    /** The options checked: what is wrong goes to {@code problems}, one line each. */
    Settled settle(Map<String, String> environment, List<String> problems) {
        // an unknown --platform, and --wipe without current, are the start form's rules (InputValidator), said once there
        if (current() && !Value.METHOD_AUTO.equals(uploadMethod)) {
            problems.add("--upload-method is v1's: today's platform takes dumps by rsync only (leave it out)");
        }
        if (current()) {
            String missing = RsyncTransfer.missingTools();
            if (missing != null) {
                problems.add(missing);
            }
        }
        if (!localSandbox() && (contract == null || contract.isBlank())) {
            problems.add("--contract is missing: the upgrade service needs your Odoo Enterprise contract number"
                    + (current() ? " (a live database's own, database.enterprise_code, is used when it names one)" : ""));
        }
        if (!localSandbox() && !current() && (email == null || email.isBlank())) {
            problems.add("--email is missing: the upgrade service writes to it about this upgrade");
        }
        if (apiCertificate != null && (localSandbox() || !Files.isReadable(apiCertificate))) {
            problems.add(localSandbox() ? "--api-certificate goes with --api-url: the run's own sandbox needs none"
                    : "--api-certificate " + apiCertificate + " cannot be read: give the PEM file of the server's certificate or CA");
        }
        DataSize threshold = parseSize(sftpThreshold, problems);
        Duration poll = pollInterval != null ? pollInterval : localSandbox() ? Duration.ofSeconds(2) : Duration.ofMinutes(5);
        String contractNumber = contract != null && !contract.isBlank() ? contract.trim() : SandboxOptions.DEFAULT_CONTRACT;
        Map<String, String> extras = new LinkedHashMap<>(notifications.properties(environment, problems));
        if (apiCertificate != null) {
            extras.put("upgrade.api.trusted-certificate", apiCertificate.toAbsolutePath().toString());
        }
        if (current() && !localSandbox()) {
            extras.put("upgrade.current-api-url", apiUrl);
        }
        return new Settled(threshold, poll, contractNumber, extras);
    }

    /**
     * The start form of an upgrade with these options: what to upgrade and where to restore it are the caller's.
     * A missing email is one the sandbox is happy with (another API refuses it in {@link #settle}).
     */
    StartForm startForm(Settled settled, Path dumpFile, String sourceDatabase, boolean includeFilestore, boolean restore,
            String restoreDatabase) {
        return new StartForm(dumpFile, sourceDatabase, includeFilestore, null, email != null ? email : current() ? null : "operator@example.com",
                target(), aim, current() ? Value.METHOD_AUTO : uploadMethod, timezone, skipTests, restore, restoreDatabase, settled.poll(),
                deadline, platform, wipe, testFirst, approvalReminder);
    }

    /** The workers' own validation of a start form, as these options set it up. */
    InputValidator validator(Settled settled) {
        return new InputValidator(settled.contract(), settled.threshold() == null ? Long.MAX_VALUE : settled.threshold().toBytes(),
                settled.poll(), deadline, List.of(), platform);
    }

    /**
     * Can the upgrades reach the service? SFTP to another API needs its host key, and that API must
     * answer like one (asked once nothing else is wrong; {@code err} hears that it is busy).
     */
    void checkService(Collection<String> uploadMethods, List<String> problems, PrintWriter err) throws InterruptedException {
        if (localSandbox()) {
            return;
        }
        if (uploadMethods.contains(Value.METHOD_SFTP) && sftpKnownHosts == null && sftpHostKey == null) {
            problems.add("SFTP needs the server's host key: give --sftp-known-hosts FILE, --sftp-host-key SHA256:…, "
                    + "or --sftp-accept-new with --sftp-known-hosts FILE (or --upload-method https)");
        }
        if (problems.isEmpty()) {
            String unreachable = Preflight.problem(apiUrl, current(), apiCertificate, apiWait, line -> err.println("note: " + line));
            if (unreachable != null) {
                problems.add(unreachable);
            }
        }
    }

    /** The plan of a run or a campaign with these options; the caller's parts as given. */
    RunPlan plan(Settled settled, StartForm start, Map<String, Object> variables,
            ValidInput input, Path output, UpgradeProperties.Postgres postgres, RunPlan.Cluster cluster,
            SealKey sealKey, RunPlan.Ports sandboxPorts) {
        return new RunPlan(start, variables, input, apiUrl, settled.contract(), output, settled.threshold(),
                new UpgradeProperties.Sftp(sftpKnownHosts, sftpHostKey, sftpAcceptNew, null), postgres, cluster, sealKey.key(),
                sandboxPorts, settled.workerExtras());
    }

    static DataSize parseSize(String text, List<String> problems) {
        try {
            return DataSize.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add("--sftp-threshold " + text + " is not a size: write it like 512MB or 2GB");
            return null;
        }
    }
}
