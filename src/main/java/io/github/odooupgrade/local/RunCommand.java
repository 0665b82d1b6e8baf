package io.github.odooupgrade.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.camunda.client.CamundaClient;
import io.github.odooupgrade.RootCause;
import io.github.odooupgrade.UpgradeApplication;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.api.UpgradeRejectedException;
import io.github.odooupgrade.api.UpgradeTechnicalException;
import io.github.odooupgrade.process.UpgradeProcess;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.Sandbox;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.service.InputValidator;
import io.github.odooupgrade.service.InputValidator.InvalidInputException;
import io.github.odooupgrade.service.InputValidator.ValidInput;
import io.github.odooupgrade.service.Sealer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
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
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Upgrade one dump end to end on this machine: embedded Zeebe engine + workers + (unless --api-url) the sandbox.")
public class RunCommand implements Callable<Integer> {
    /** The contract the sandbox accepts by default. */
    static final String SANDBOX_CONTRACT = "M123456-abcdef";

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
            + SANDBOX_CONTRACT + "). Stays on the workers, never in the engine.")
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

    @Option(names = "--poll-interval", converter = SandboxOptions.DurationConverter.class,
            description = "Time between status checks (default: 2s with the sandbox, 5m otherwise).")
    Duration pollInterval;

    @Option(names = "--deadline", defaultValue = "2d", converter = SandboxOptions.DurationConverter.class,
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
    public Integer call() throws Exception {
        try (ConsoleLogging quiet = ConsoleLogging.quiet()) {
            return upgrade(spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    private int upgrade(PrintWriter out, PrintWriter err) throws Exception {

        List<String> problems = new ArrayList<>();
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

        Map<String, Object> variables = new HashMap<>();
        if (dumpFile != null) {
            variables.put(Var.DUMP_FILE, dumpFile.toString());
        }
        if (database != null) {
            variables.put(Var.SOURCE_DATABASE, database);
            variables.put(Var.INCLUDE_FILESTORE, withFilestore);
        }
        variables.put(Var.RESTORE, restore || restoreAs != null);
        if (restoreAs != null) {
            variables.put(Var.RESTORE_DATABASE, restoreAs);
        }
        variables.put(Var.EMAIL, email != null ? email : "operator@example.com");
        variables.put(Var.TARGET, target);
        variables.put(Var.AIM, aim);
        variables.put(Var.UPLOAD_METHOD, uploadMethod);
        variables.put(Var.SKIP_TESTS, skipTests);
        variables.put(Var.POLL_INTERVAL, poll.toString());
        variables.put(Var.DEADLINE, deadline.toString());
        if (timezone != null) {
            variables.put(Var.TIMEZONE, timezone);
        }
        String contractNumber = contract != null && !contract.isBlank() ? contract.trim() : SANDBOX_CONTRACT;
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
            String unreachable = preflight(apiUrl);
            if (unreachable != null) {
                problems.add(unreachable);
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("error: " + p));
            return 2;
        }

        boolean onCluster = cluster || camundaGrpcAddress != null || camundaRestAddress != null;
        Sandbox sandbox = null;
        EmbeddedEngine engine = null;
        ConfigurableApplicationContext workers = null;
        try {
            if (local) {
                sandbox = Sandbox.start(SandboxOptions.parse("--data-dir", output.resolve("sandbox").toString(), "--http-port", "0",
                        "--sftp-port", "0"));
                out.println("sandbox:  upgrade API " + sandbox.apiUrl() + ", SFTP port " + sandbox.sftpPort()
                        + " (data in " + output.resolve("sandbox") + ")");
            }
            List<String> camundaArgs;
            if (onCluster) {
                camundaArgs = clusterArgs(err);
                out.println("engine:   the Camunda cluster " + (camundaGrpcAddress != null ? camundaGrpcAddress : "configured by camunda.client.*"));
            } else {
                engine = EmbeddedEngine.start();
                camundaArgs = embeddedArgs(engine);
                out.println("engine:   embedded Zeebe " + EmbeddedEngine.ENGINE_VERSION + " on " + engine.grpcAddress());
            }
            try {
                workers = startWorkers(camundaArgs, local ? sandbox.apiUrl() : apiUrl, contractNumber, threshold,
                        local ? output.resolve("sandbox/ssh/known_hosts") : sftpKnownHosts);
            } catch (RuntimeException e) {
                if (!onCluster) {
                    throw e;
                }
                err.println("error: the workers cannot start against the Camunda cluster: " + RootCause.of(e));
                return 2;
            }
            out.println("upgrade:  " + (input.sourceDatabase() != null ? "database " + input.sourceDatabase()
                    : input.dumpFile() + " (" + input.dumpSize() + " bytes)") + " to " + target + ", aim " + input.aim()
                    + ", upload over " + input.uploadMethod() + (skipTests ? ", platform tests skipped" : "")
                    + (input.restoreDatabase() != null ? ", restore into " + input.restoreDatabase() : ""));
            out.flush();

            CamundaClient camunda = workers.getBean(CamundaClient.class);
            long instance = camunda.newCreateInstanceCommand().bpmnProcessId(UpgradeProcess.PROCESS_ID).latestVersion()
                    .variables(variables).send().join().getProcessInstanceKey();
            var model = RunObserver.model("bpmn/odoo-upgrade.bpmn");
            RunObserver observer = onCluster
                    ? new ClusterObserver(camunda, instance, RunObserver.elementNames(model), RunObserver.processEndEvents(model))
                    : new EmbeddedObserver(engine, instance, RunObserver.elementNames(model));
            return follow(observer, out, err);
        } finally {
            if (workers != null) {
                workers.close();
            }
            if (engine != null) {
                engine.close();
            }
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    private int follow(RunObserver observer, PrintWriter out, PrintWriter err) throws InterruptedException {
        TerminalTasks tasks = new TerminalTasks(in, out);
        while (true) {
            for (RunObserver.Event event : observer.poll()) {
                switch (event) {
                    case RunObserver.Step s -> out.println("> " + s.name());
                    case RunObserver.UserTaskOpened t -> observer.completeUserTask(t.key(), tasks.answer(t.elementId(), observer.variables()));
                    case RunObserver.Incident i -> {
                        err.println("error: the run stopped at \"" + i.elementId() + "\" on an incident: " + i.message());
                        return 3;
                    }
                    case RunObserver.Ended e -> {
                        return summary(e, observer.variables(), out, err);
                    }
                }
                out.flush();
            }
            Thread.sleep(50);
        }
    }

    private int summary(RunObserver.Ended end, Map<String, String> vars, PrintWriter out, PrintWriter err) {
        Map<String, JsonNode> v = new HashMap<>();
        vars.forEach((name, json) -> v.put(name, TerminalTasks.read(json)));
        String id = end.endEventId() == null ? "" : end.endEventId();
        if (id.equals(Element.END_UPGRADED)) {
            out.println();
            out.println("upgraded: " + v.get(Var.UPGRADED_DUMP).asText());
            out.println("  size:   " + v.get(Var.UPGRADED_DUMP_SIZE).asLong() + " bytes");
            out.println("  sha256: " + v.get(Var.UPGRADED_DUMP_SHA256).asText());
            out.println("  notes:  " + (v.containsKey(Var.NOTES_FILE) ? v.get(Var.NOTES_FILE).asText() : "-"));
            if (v.containsKey(Var.RESTORED_DATABASE)) {
                out.println("  restored into database " + v.get(Var.RESTORED_DATABASE).asText()
                        + (v.containsKey(Var.RESTORED_FILESTORE) ? " (filestore " + v.get(Var.RESTORED_FILESTORE).asText() + ")" : ""));
            }
            out.println("  request " + v.get(Var.REQUEST_ID).asText() + " ended " + v.get(Var.REQUEST_STATE).asText()
                    + " after " + v.get(Var.POLL_COUNT).asText() + " status check(s)");
            out.flush();
            return 0;
        }
        String reason = switch (id) {
            case Element.END_INPUT_INVALID -> "the input was refused: " + TerminalTasks.text(v, Var.INPUT_ERRORS);
            case Element.END_REQUEST_REJECTED -> "the upgrade platform refused the request: " + TerminalTasks.text(v, Var.REJECTION);
            case Element.END_APPROVAL_REJECTED -> "the production upgrade was not approved (by " + TerminalTasks.text(v, Var.APPROVER) + ": "
                    + TerminalTasks.text(v, Var.APPROVAL_COMMENT) + ")";
            default -> "the run ended at \"" + end.name() + "\"" + (v.containsKey(Var.REQUEST_STATE)
                    ? " (request " + TerminalTasks.text(v, Var.REQUEST_ID) + " " + TerminalTasks.text(v, Var.REQUEST_STATE) + ")" : "");
        };
        err.println("error: " + reason);
        return 1;
    }

    private static List<String> embeddedArgs(EmbeddedEngine engine) {
        return List.of(
                "--camunda.client.mode=self-managed",
                "--camunda.client.grpc-address=" + engine.grpcAddress(),
                "--camunda.client.rest-address=http://127.0.0.1:1", // the embedded engine has no REST API
                "--camunda.client.prefer-rest-over-grpc=false",
                "--camunda.client.auth.method=none",
                "--upgrade.seal-key=" + Sealer.newBase64Key()); // the engine lives as long as this run, so does the key
    }

    /** The cluster's own configuration (environment, application.yaml) applies; the addresses given here win. */
    private List<String> clusterArgs(PrintWriter err) {
        List<String> args = new ArrayList<>();
        if (camundaGrpcAddress != null || camundaRestAddress != null) {
            args.add("--camunda.client.mode=self-managed");
            if (System.getenv("CAMUNDA_CLIENT_AUTH_METHOD") == null) {
                args.add("--camunda.client.auth.method=none");
            }
        }
        if (camundaGrpcAddress != null) {
            args.add("--camunda.client.grpc-address=" + camundaGrpcAddress);
        }
        if (camundaRestAddress != null) {
            args.add("--camunda.client.rest-address=" + camundaRestAddress);
        }
        if (System.getenv("UPGRADE_SEALKEY") == null) {
            // other workers of the cluster could not open what this run seals: say so
            err.println("warning: UPGRADE_SEALKEY is not set: secrets of this run are sealed with a key only this run knows");
            args.add("--upgrade.seal-key=" + Sealer.newBase64Key());
        }
        return args;
    }

    private ConfigurableApplicationContext startWorkers(List<String> camundaArgs, String api, String contractNumber, DataSize threshold,
            Path knownHosts) {
        List<String> args = new ArrayList<>(camundaArgs);
        args.addAll(List.of(
                "--upgrade.api-url=" + api,
                "--upgrade.contract=" + contractNumber,
                "--upgrade.output-dir=" + output.toAbsolutePath(),
                "--upgrade.sftp-threshold=" + threshold.toBytes() + "B",
                "--spring.main.banner-mode=off",
                "--spring.main.log-startup-info=false"));
        args.addAll(List.of(ConsoleLogging.springArgs()));
        if (knownHosts != null) {
            args.add("--upgrade.sftp.known-hosts=" + knownHosts.toAbsolutePath());
        }
        if (sftpHostKey != null) {
            args.add("--upgrade.sftp.host-key-fingerprint=" + sftpHostKey);
        }
        if (sftpAcceptNew) {
            args.add("--upgrade.sftp.accept-new=true");
        }
        if (database != null || restore || restoreAs != null) {
            args.add("--upgrade.postgres.host=" + postgresHost);
            args.add("--upgrade.postgres.port=" + postgresPort);
            String user = postgresUser != null ? postgresUser : System.getenv().getOrDefault("PGUSER", System.getProperty("user.name"));
            args.add("--upgrade.postgres.user=" + user);
            if (System.getenv("PGPASSWORD") != null) {
                args.add("--upgrade.postgres.password=" + System.getenv("PGPASSWORD"));
            }
            if (postgresBinDir != null) {
                args.add("--upgrade.postgres.bin-dir=" + postgresBinDir.toAbsolutePath());
            }
            if (filestoreRoot != null) {
                args.add("--upgrade.postgres.filestore-root=" + filestoreRoot.toAbsolutePath());
            }
        }
        return new SpringApplicationBuilder(UpgradeApplication.class).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
    }

    /** One line saying why {@code url} is not a usable Upgrade API, or null when it answers like one. */
    static String preflight(String url) {
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

    private static DataSize parseSize(String text, List<String> problems) {
        try {
            return DataSize.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add("--sftp-threshold " + text + " is not a size: write it like 512MB or 2GB");
            return null;
        }
    }
}
