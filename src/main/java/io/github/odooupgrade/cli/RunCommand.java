package io.github.odooupgrade.cli;

import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.process.InputValidator.InvalidInputException;
import io.github.odooupgrade.process.InputValidator;
import io.github.odooupgrade.process.StartForm;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.ValidInput;
import io.github.odooupgrade.run.ConsoleLogging;
import io.github.odooupgrade.run.LocalStack;
import io.github.odooupgrade.run.Preflight;
import io.github.odooupgrade.run.RunFollower;
import io.github.odooupgrade.run.RunPlan;
import io.github.odooupgrade.run.SampleDump;
import io.github.odooupgrade.run.TerminalTasks;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.units.DurationConverter;
import io.github.odooupgrade.worker.UpgradeProperties;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.util.unit.DataSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code odoo-upgrade run}: one upgrade, end to end, on this machine — an embedded Zeebe engine
 * with the model and forms deployed, the workers, and (unless {@code --api-url} points elsewhere)
 * the sandbox. Shows each step, answers the user tasks at the terminal, exits 0 when the upgraded
 * dump is there, 1 when the run ended otherwise (refused, rejected, abandoned), 2 for bad input or
 * configuration, 3 when a step stopped on an incident.
 *
 * <p>This class is the options and their one mapping to a {@link RunPlan} (the start form and the
 * workers' properties, typed); {@link LocalStack} runs it, {@link RunFollower} follows it.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Upgrade one dump end to end on this machine: embedded Zeebe engine + workers + (unless --api-url) the sandbox.")
public class RunCommand implements Callable<Integer> {
    @Option(names = "--dump", description = "The dump to upgrade (pg_dump -Fc, plain SQL, Odoo backup zip). Default: a small sample dump.")
    Path dump;

    @Option(names = "--database", description = "Dump this PostgreSQL database (pg_dump) instead of giving --dump.")
    String database;

    @Option(names = "--with-filestore", description = "With --database: include its Odoo filestore (<filestore-root>/<database>).")
    boolean withFilestore;

    @Option(names = "--restore", description = "Restore the upgraded dump into a new database (default name: <source>_upgraded_<target>).")
    boolean restore;

    @Option(names = "--restore-as", description = "Name of the new database (implies --restore). An existing database is never overwritten.")
    String restoreAs;

    @Option(names = "--postgres-host", defaultValue = "127.0.0.1", description = "PostgreSQL server of --database and --restore "
            + "(default: ${DEFAULT-VALUE}; password from PGPASSWORD).")
    String postgresHost;

    @Option(names = "--postgres-port", defaultValue = "5432", description = "Its port (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--postgres-user", description = "Its user (default: PGUSER, or the login name).")
    String postgresUser;

    @Option(names = "--postgres-bin-dir", description = "Folder of pg_dump, pg_restore, psql (default: the PATH).")
    Path postgresBinDir;

    @Option(names = "--filestore-root", description = "Odoo's filestore folder (…/filestore), for --with-filestore and restores of zips.")
    Path filestoreRoot;

    @Option(names = "--target", defaultValue = "13.0", description = "Odoo version to upgrade to (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--aim", defaultValue = "test", description = "test or production (production waits for your approval; default: ${DEFAULT-VALUE}).")
    String aim;

    @Option(names = "--contract", description = "Odoo Enterprise contract number (required with --api-url; the sandbox accepts "
            + SandboxOptions.DEFAULT_CONTRACT + "). Stays on the workers, never in the engine.")
    String contract;

    @Option(names = "--email", description = "Address the platform writes to (required with --api-url).")
    String email;

    @Option(names = "--upload-method", defaultValue = "auto", description = "auto, https or sftp (auto: SFTP from --sftp-threshold up; default: ${DEFAULT-VALUE}).")
    String uploadMethod;

    @Option(names = "--skip-tests", description = "Skip the platform's tests: the upgraded dump is delivered at once.")
    boolean skipTests;

    @Option(names = "--timezone", description = "Only for databases older than Odoo 6.1.")
    String timezone;

    @Option(names = "--output", defaultValue = "upgrade-output", description = "Folder for the results (and the sandbox's data; default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--api-url", description = "Upgrade API to use instead of a local sandbox, e.g. " + UpgradeClientConfig.REAL_SERVICE)
    String apiUrl;

    @Option(names = "--api-wait", defaultValue = "2m", converter = DurationConverter.class,
            description = "How long to keep asking an --api-url that answers 503, 429 or too slowly before the run starts (default: ${DEFAULT-VALUE}).")
    Duration apiWait;

    @Option(names = "--poll-interval", converter = DurationConverter.class,
            description = "Time between status checks (default: 2s with the sandbox, 5m otherwise).")
    Duration pollInterval;

    @Option(names = "--deadline", defaultValue = "2d", converter = DurationConverter.class,
            description = "Ask you what to do when the upgrade takes longer (default: ${DEFAULT-VALUE}).")
    Duration deadline;

    @Option(names = "--sftp-threshold", defaultValue = "512MB", description = "auto uses SFTP for dumps at least this big (default: ${DEFAULT-VALUE}).")
    String sftpThreshold;

    @Option(names = "--sftp-known-hosts", description = "OpenSSH known_hosts file with the SFTP server's key (with --api-url).")
    Path sftpKnownHosts;

    @Option(names = "--sftp-host-key", description = "The SFTP server key's SHA256:… fingerprint (with --api-url).")
    String sftpHostKey;

    @Option(names = "--sftp-accept-new", description = "Trust an unknown SFTP server once and remember it in --sftp-known-hosts (a changed key is still refused).")
    boolean sftpAcceptNew;

    @Option(names = "--cluster", description = "Use the Camunda 8 cluster configured by camunda.client.* (environment "
            + "CAMUNDA_CLIENT_*, e.g. SaaS credentials) instead of an embedded engine.")
    boolean cluster;

    @Option(names = "--camunda-grpc-address", description = "gRPC address of a self-managed Camunda 8 cluster, e.g. http://localhost:26500 (implies --cluster).")
    String camundaGrpcAddress;

    @Option(names = "--camunda-rest-address", description = "REST address of that cluster, e.g. http://localhost:8080 (implies --cluster).")
    String camundaRestAddress;

    @Spec
    CommandSpec spec;

    private final BufferedReader in;

    public RunCommand() {
        this(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    /** With the terminal's input given, for a caller (a test) that answers the user tasks itself. */
    public RunCommand(BufferedReader in) {
        this.in = in;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ConsoleLogging quiet = ConsoleLogging.quiet()) {
            List<String> problems = new ArrayList<>();
            RunPlan plan = plan(problems);
            if (!problems.isEmpty()) {
                problems.forEach(p -> err.println("error: " + p));
                return 2;
            }
            try (LocalStack stack = LocalStack.start(plan, out, err)) {
                out.println(plan.describe());
                out.flush();
                return new RunFollower(stack.startInstance(), new TerminalTasks(in, out), out, err).follow();
            } catch (LocalStack.ClusterUnreachable e) {
                err.println("error: " + e.getMessage());
                return 2;
            }
        }
    }

    /** The options as a plan, or null with every problem in {@code problems} (one line each). */
    private RunPlan plan(List<String> problems) throws IOException, InterruptedException {
        boolean local = apiUrl == null;
        if (!local && (contract == null || contract.isBlank())) {
            problems.add("--contract is missing: the upgrade service needs your Odoo Enterprise contract number");
        }
        if (!local && (email == null || email.isBlank())) {
            problems.add("--email is missing: the upgrade service writes to it about this upgrade");
        }
        DataSize threshold = parseSize(sftpThreshold, problems);
        Files.createDirectories(output);
        Path dumpFile = dump != null ? dump.toAbsolutePath() : database != null ? null : SampleDump.copyTo(output);
        Duration poll = pollInterval != null ? pollInterval : local ? Duration.ofSeconds(2) : Duration.ofMinutes(5);
        StartForm start = new StartForm(dumpFile, database, withFilestore, null, email != null ? email : "operator@example.com",
                target, aim, uploadMethod, timezone, skipTests, restore || restoreAs != null, restoreAs, poll, deadline);
        String contractNumber = contract != null && !contract.isBlank() ? contract.trim() : SandboxOptions.DEFAULT_CONTRACT;

        ValidInput input = null;
        try {
            input = new InputValidator(contractNumber, threshold == null ? Long.MAX_VALUE : threshold.toBytes(), poll, deadline)
                    .validate(start.toVariables());
        } catch (InvalidInputException e) {
            problems.addAll(e.problems());
        }
        if (!local && input != null && input.uploadMethod().equals(Value.METHOD_SFTP) && sftpKnownHosts == null && sftpHostKey == null) {
            problems.add("SFTP needs the server's host key: give --sftp-known-hosts FILE, --sftp-host-key SHA256:…, "
                    + "or --sftp-accept-new with --sftp-known-hosts FILE (or --upload-method https)");
        }
        if (problems.isEmpty() && !local) {
            String unreachable = Preflight.problem(apiUrl, apiWait, line -> spec.commandLine().getErr().println("note: " + line));
            if (unreachable != null) {
                problems.add(unreachable);
            }
        }
        boolean onCluster = cluster || camundaGrpcAddress != null || camundaRestAddress != null;
        return problems.isEmpty() ? new RunPlan(start, input, apiUrl, contractNumber, output, threshold,
                new UpgradeProperties.Sftp(sftpKnownHosts, sftpHostKey, sftpAcceptNew, null), postgres(),
                onCluster ? new RunPlan.Cluster(camundaGrpcAddress, camundaRestAddress) : null) : null;
    }

    /** The database steps' server, when the run dumps or restores a database. */
    private UpgradeProperties.Postgres postgres() {
        if (database == null && !restore && restoreAs == null) {
            return null;
        }
        String user = postgresUser != null ? postgresUser : System.getenv().getOrDefault("PGUSER", System.getProperty("user.name"));
        return new UpgradeProperties.Postgres(postgresHost, postgresPort, user, System.getenv("PGPASSWORD"), postgresBinDir,
                null, filestoreRoot, null);
    }

    private static DataSize parseSize(String text, List<String> problems) {
        try {
            return DataSize.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add("--sftp-threshold " + text + " is not a size: write it like 512MB or 2GB");
            return null;
        }
    }
}
