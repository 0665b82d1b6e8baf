package io.github.odooupgrade.cli;

import io.github.odooupgrade.process.CampaignItems;
import io.github.odooupgrade.process.CampaignProcess;
import io.github.odooupgrade.process.InputValidator;
import io.github.odooupgrade.process.InputValidator.InvalidInputException;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.run.CampaignSession;
import io.github.odooupgrade.run.ConsoleLogging;
import io.github.odooupgrade.run.RunPlan;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.util.unit.DataSize;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code odoo-upgrade campaign}: many databases upgraded side by side by the campaign model, on this
 * machine (the embedded engine, the workers, a sandbox). Every item is checked before anything starts.
 */
@Command(name = "campaign", mixinStandardHelpOptions = true,
        description = {"Upgrade many databases side by side on this machine: one approval for the production items, a summary at the end.",
            "--list FILE.csv: a header line, then one database per line; columns: dump, database, with_filestore, target, aim, "
                    + "upload_method, skip_tests, restore_as, email (an empty cell takes the option below).",
            "Exit codes: 0 every item upgraded, 1 not every one, 2 bad input, 3 stopped on an incident."})
public class CampaignCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--list", paramLabel = "FILE.csv", description = "The databases, one per line (see above).")
        Path list;

        @Option(names = "--dumps", paramLabel = "DIR", description = "Every dump in this folder, with the options below.")
        Path dumps;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--target", defaultValue = "13.0", description = "Odoo version to upgrade to (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--aim", defaultValue = "test", description = "test or production (default: ${DEFAULT-VALUE}).")
    String aim;

    @Option(names = "--upload-method", defaultValue = "auto", description = "auto, https or sftp (default: ${DEFAULT-VALUE}).")
    String uploadMethod;

    @Option(names = "--skip-tests", description = "Skip the platform's tests.")
    boolean skipTests;

    @Option(names = "--email", defaultValue = "operator@example.com", description = "Address the platform writes to (default: ${DEFAULT-VALUE}).")
    String email;

    @Option(names = "--output", defaultValue = "campaign-output", description = "Folder for the results, the summary and the sandbox's data (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--poll-interval", defaultValue = "2s", converter = DurationConverter.class, description = "Time between status checks (default: ${DEFAULT-VALUE}).")
    Duration pollInterval;

    @Option(names = "--sftp-threshold", defaultValue = "512MB", description = "auto uses SFTP for dumps at least this big (default: ${DEFAULT-VALUE}).")
    String sftpThreshold;

    @Spec
    CommandSpec spec;

    private final BufferedReader in;
    private final Map<String, String> environment;

    public CampaignCommand() {
        this(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.getenv());
    }

    /** With the terminal's input and the environment given (a test). */
    public CampaignCommand(BufferedReader in, Map<String, String> environment) {
        this.in = in;
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        List<String> problems = new ArrayList<>();
        DataSize threshold = RunCommand.parseSize(sftpThreshold, problems);
        Map<String, Object> shared = new HashMap<>();
        shared.put(Var.EMAIL, email);
        shared.put(Var.TARGET, target);
        shared.put(Var.AIM, aim);
        shared.put(Var.UPLOAD_METHOD, uploadMethod);
        shared.put(Var.SKIP_TESTS, skipTests);
        List<?> items;
        try {
            if (source.list != null) {
                items = CampaignList.read(source.list, shared, problems);
            } else {
                Map<String, Object> vars = new HashMap<>(shared);
                vars.put(CampaignProcess.Var.DUMPS_DIR, source.dumps.toAbsolutePath().toString());
                items = CampaignItems.given(vars);
            }
            if (problems.isEmpty()) { // a list and a threshold that can be read
                items.forEach(i -> cast(i).put(Var.POLL_INTERVAL, pollInterval.toString()));
                CampaignItems.check(items, new InputValidator(SandboxOptions.DEFAULT_CONTRACT, threshold.toBytes(), pollInterval,
                        Duration.ofDays(2)));
            }
        } catch (InvalidInputException e) {
            e.problems().forEach(p -> problems.add(source.list != null ? CampaignList.onLine(source.list, p) : p));
            items = List.of();
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("error: " + p));
            return 2;
        }
        Files.createDirectories(output);
        SealKey key = SealKey.forNewRun(output, environment);
        RunPlan plan = new RunPlan(null, Map.of(CampaignProcess.Var.ITEMS, items), null, null, SandboxOptions.DEFAULT_CONTRACT,
                output.toAbsolutePath(), threshold, new UpgradeProperties.Sftp(null, null, false, null), null, null, key.key(), null, Map.of());
        spec.commandLine().getOut().println("campaign: " + items.size() + " databases, on this machine's sandbox");
        try (ConsoleLogging quiet = ConsoleLogging.quiet()) {
            return CampaignSession.run(plan, in, spec.commandLine().getOut(), err);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object item) {
        return (Map<String, Object>) item;
    }
}
