package io.github.odooupgrade.cli;

import io.github.odooupgrade.process.InputValidator.InvalidInputException;
import io.github.odooupgrade.process.StartForm;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.process.ValidInput;
import io.github.odooupgrade.run.ConsoleLogging;
import io.github.odooupgrade.run.RunJournal;
import io.github.odooupgrade.run.RunPlan;
import io.github.odooupgrade.run.RunSession;
import io.github.odooupgrade.run.SampleDump;
import io.github.odooupgrade.run.SealKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
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
            + "own client) instead of creating one; its key from the environment variable " + StatusCommand.KEY_VARIABLE
            + " (with --platform current, its token from " + TokenAccess.TOKEN_VARIABLE + ").")
    Long request;

    @Mixin
    DatabaseOptions databases = new DatabaseOptions();

    @Mixin
    UpgradeOptions upgrade = new UpgradeOptions();

    @Option(names = "--output", defaultValue = "upgrade-output", description = "Folder for the results (and the sandbox's data; default: ${DEFAULT-VALUE}).")
    Path output;

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
    /** A resumed run's contract, as its journal kept it: the database is not asked again. */
    private String resumedContract;

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
            upgrade.contract = key.sealer().unseal(journal.contractSealed());
            resumedContract = upgrade.contract;
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
        if (databases.database != null && upgrade.current() && resumedContract == null) {
            upgrade.contractFromDatabase(databases.enterpriseCode(), spec.commandLine().getErr());
        }
        UpgradeOptions.Settled settled = upgrade.settle(environment, problems);
        Files.createDirectories(output);
        Path dumpFile = dump != null ? dump.toAbsolutePath() : databases.database != null || request != null ? null
                : SampleDump.copyTo(output);
        StartForm start = upgrade.startForm(settled, dumpFile, databases.database, databases.withFilestore, databases.restores(),
                databases.restoreAs);

        Map<String, Object> variables = start.toVariables();
        if (request != null) { // its key sealed here: in clear, it never enters the engine
            String variable = upgrade.current() ? TokenAccess.TOKEN_VARIABLE : StatusCommand.KEY_VARIABLE;
            String key = environment.get(variable);
            if (key == null || key.isBlank()) {
                problems.add("--request " + request + " needs its " + (upgrade.current() ? "token: set " + variable + " (Odoo's upgrade client printed it)"
                        : "key: set " + variable + " (it is in the platform's mail)"));
            } else {
                variables.put(Var.REQUEST_ID, request);
                variables.put(Var.REQUEST_KEY_SEALED, sealKey.sealer().seal(key.trim()));
            }
        }
        ValidInput input = null;
        try {
            input = upgrade.validator(settled).validate(variables);
        } catch (InvalidInputException e) {
            problems.addAll(e.problems());
        }
        upgrade.checkService(input == null ? List.of() : List.of(input.uploadMethod()), problems, spec.commandLine().getErr());
        boolean onCluster = cluster || camundaGrpcAddress != null || camundaRestAddress != null;
        return problems.isEmpty() ? upgrade.plan(settled, start, variables, input, output, databases.postgres(upgrade.testFirst),
                onCluster ? new RunPlan.Cluster(camundaGrpcAddress, camundaRestAddress) : null, sealKey, sandboxPorts) : null;
    }
}
