package io.github.odooupgrade.cli;

import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.process.InputValidator.InvalidInputException;
import io.github.odooupgrade.process.InputValidator;
import io.github.odooupgrade.process.StartForm;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.process.ValidInput;
import io.github.odooupgrade.run.ConsoleLogging;
import io.github.odooupgrade.run.Preflight;
import io.github.odooupgrade.run.RunJournal;
import io.github.odooupgrade.run.RunPlan;
import io.github.odooupgrade.run.RunSession;
import io.github.odooupgrade.run.SampleDump;
import io.github.odooupgrade.run.SealKey;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.util.unit.DataSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Option(names = "--request", description = "Continue this existing request (made by a run whose folder is lost, or by Odoo's "
            + "own client) instead of creating one; its key from the environment variable " + StatusCommand.KEY_VARIABLE + ".")
    Long request;

    @Mixin
    DatabaseOptions databases = new DatabaseOptions();

    @Mixin
    NotifyOptions notifications = new NotifyOptions();

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

    @Option(names = "--api-certificate", paramLabel = "FILE.pem", description = "With --api-url over HTTPS: trust only this "
            + "certificate or CA (PEM), e.g. a sandbox's <data-dir>/tls/certificate.pem (default: the JDK's trust store).")
    Path apiCertificate;

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

    @Option(names = "--camunda-rest-address", description = "REST address of that cluster, e.g. http://localhost:8080 (implies --cluster). One given alone: the other on the same host, port 8080 or 26500.")
    String camundaRestAddress;

    @Spec
    CommandSpec spec;

    private final BufferedReader in;
    private final Map<String, String> environment;

    public RunCommand() {
        this(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.getenv());
    }

    /** With the terminal's input and the environment given, for a caller (a test) that answers the user tasks itself. */
    public RunCommand(BufferedReader in, Map<String, String> environment) {
        this.in = in;
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Optional<RunJournal> previous = RunJournal.read(output);
        if (previous.isPresent() && !previous.get().finished()) {
            err.println("error: " + output + " holds an unfinished run" + previous.get().where() + ": continue it with "
                    + "`odoo-upgrade resume --output " + output + "`, or give another --output");
            return 2;
        }
        Files.createDirectories(output);
        SealKey key = SealKey.forNewRun(output, environment);
        return execute(key, null);
    }

    /** Continues the run {@code journal} recorded, with this command's options parsed from it. */
    public int resume(RunJournal journal, SealKey key) throws IOException, InterruptedException {
        if (journal.contractSealed() != null) {
            contract = key.sealer().unseal(journal.contractSealed());
        }
        return execute(key, journal);
    }

    private int execute(SealKey key, RunJournal resumed) throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ConsoleLogging quiet = ConsoleLogging.quiet()) {
            List<String> problems = new ArrayList<>();
            RunPlan.Ports ports = resumed == null || resumed.sandboxHttpPort() == null ? null
                    : new RunPlan.Ports(resumed.sandboxHttpPort(), resumed.sandboxSftpPort());
            RunPlan plan = plan(problems, key, ports);
            if (!problems.isEmpty()) {
                problems.forEach(p -> err.println("error: " + p));
                return 2;
            }
            return resumed == null ? RunSession.begin(plan, key, RecordedOptions.of(spec.commandLine().getParseResult()), in, out, err)
                    : RunSession.resume(plan, key, resumed, in, out, err);
        }
    }

    /** The options as a plan, or null with every problem in {@code problems} (one line each). */
    private RunPlan plan(List<String> problems, SealKey sealKey, RunPlan.Ports sandboxPorts) throws IOException, InterruptedException {
        boolean local = apiUrl == null;
        if (!local && (contract == null || contract.isBlank())) {
            problems.add("--contract is missing: the upgrade service needs your Odoo Enterprise contract number");
        }
        if (!local && (email == null || email.isBlank())) {
            problems.add("--email is missing: the upgrade service writes to it about this upgrade");
        }
        if (apiCertificate != null && (local || !Files.isReadable(apiCertificate))) {
            problems.add(local ? "--api-certificate goes with --api-url: the run's own sandbox needs none"
                    : "--api-certificate " + apiCertificate + " cannot be read: give the PEM file of the server's certificate or CA");
        }
        DataSize threshold = parseSize(sftpThreshold, problems);
        Files.createDirectories(output);
        Path dumpFile = dump != null ? dump.toAbsolutePath() : databases.database != null || request != null ? null
                : SampleDump.copyTo(output);
        Duration poll = pollInterval != null ? pollInterval : local ? Duration.ofSeconds(2) : Duration.ofMinutes(5);
        StartForm start = new StartForm(dumpFile, databases.database, databases.withFilestore, null, email != null ? email : "operator@example.com",
                target, aim, uploadMethod, timezone, skipTests, databases.restores(), databases.restoreAs, poll, deadline);
        String contractNumber = contract != null && !contract.isBlank() ? contract.trim() : SandboxOptions.DEFAULT_CONTRACT;

        Map<String, Object> variables = start.toVariables();
        if (request != null) { // its key sealed here: in clear, it never enters the engine
            String key = environment.get(StatusCommand.KEY_VARIABLE);
            if (key == null || key.isBlank()) {
                problems.add("--request " + request + " needs its key: set " + StatusCommand.KEY_VARIABLE + " (it is in the platform's mail)");
            } else {
                variables.put(Var.REQUEST_ID, request);
                variables.put(Var.REQUEST_KEY_SEALED, sealKey.sealer().seal(key.trim()));
            }
        }
        ValidInput input = null;
        try {
            input = new InputValidator(contractNumber, threshold == null ? Long.MAX_VALUE : threshold.toBytes(), poll, deadline)
                    .validate(variables);
        } catch (InvalidInputException e) {
            problems.addAll(e.problems());
        }
        if (!local && input != null && input.uploadMethod().equals(Value.METHOD_SFTP) && sftpKnownHosts == null && sftpHostKey == null) {
            problems.add("SFTP needs the server's host key: give --sftp-known-hosts FILE, --sftp-host-key SHA256:…, "
                    + "or --sftp-accept-new with --sftp-known-hosts FILE (or --upload-method https)");
        }
        if (problems.isEmpty() && !local) {
            String unreachable = Preflight.problem(apiUrl, apiCertificate, apiWait, line -> spec.commandLine().getErr().println("note: " + line));
            if (unreachable != null) {
                problems.add(unreachable);
            }
        }
        Map<String, String> workerExtras = new LinkedHashMap<>(notifications.properties(environment, problems));
        if (apiCertificate != null) {
            workerExtras.put("upgrade.api.trusted-certificate", apiCertificate.toAbsolutePath().toString());
        }
        boolean onCluster = cluster || camundaGrpcAddress != null || camundaRestAddress != null;
        return problems.isEmpty() ? new RunPlan(start, variables, input, apiUrl, contractNumber, output, threshold,
                new UpgradeProperties.Sftp(sftpKnownHosts, sftpHostKey, sftpAcceptNew, null), databases.postgres(),
                onCluster ? new RunPlan.Cluster(camundaGrpcAddress, camundaRestAddress) : null, sealKey.key(), sandboxPorts, workerExtras) : null;
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
