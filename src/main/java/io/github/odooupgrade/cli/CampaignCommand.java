package io.github.odooupgrade.cli;

import io.github.odooupgrade.process.CampaignItems;
import io.github.odooupgrade.process.CampaignProcess;
import io.github.odooupgrade.process.InputValidator.InvalidInputException;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.run.CampaignSession;
import io.github.odooupgrade.run.ConsoleLogging;
import io.github.odooupgrade.run.RunPlan;
import io.github.odooupgrade.run.SealKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code odoo-upgrade campaign}: many databases upgraded side by side by the campaign model, on this
 * machine (the embedded engine, the workers, and a sandbox unless {@code --api-url} names another upgrade
 * API). {@code run}'s options ({@link UpgradeOptions}) are the items' defaults. Every item is checked
 * before anything starts.
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

    @Mixin
    UpgradeOptions upgrade = new UpgradeOptions();

    @Option(names = "--with-filestore", description = "Database items include their Odoo filestore (<filestore-root>/<database>).")
    boolean withFilestore;

    @Option(names = "--restore", description = "Restore each upgraded dump into a new database (default name: <source>_upgraded_<target>).")
    boolean restore;

    @Mixin
    PostgresOptions postgres = new PostgresOptions();

    @Option(names = "--output", defaultValue = "campaign-output", description = "Folder for the results, the summary and the sandbox's data (default: ${DEFAULT-VALUE}).")
    Path output;

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
        UpgradeOptions.Settled settled = upgrade.settle(environment, problems);
        Map<String, Object> defaults = defaults(settled);
        List<?> items;
        CampaignItems.Checked checked = null;
        try {
            if (source.list != null) {
                items = CampaignList.read(source.list, defaults, problems);
            } else {
                Map<String, Object> vars = new HashMap<>(defaults);
                vars.put(CampaignProcess.Var.DUMPS_DIR, source.dumps.toAbsolutePath().toString());
                items = CampaignItems.given(vars);
                items.forEach(i -> defaults.forEach(cast(i)::putIfAbsent));
            }
            if (problems.isEmpty()) { // a list and options that can be read
                checked = CampaignItems.check(items, upgrade.validator(settled));
            }
        } catch (InvalidInputException e) {
            e.problems().forEach(p -> problems.add(source.list != null ? CampaignList.onLine(source.list, p) : p));
            items = List.of();
        }
        if (checked != null) {
            upgrade.checkService(checked.items().stream().map(i -> String.valueOf(i.get(Var.UPLOAD_METHOD))).toList(), problems, err);
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("error: " + p));
            return 2;
        }
        boolean databaseSteps = checked.items().stream().anyMatch(i -> i.get(Var.SOURCE_DATABASE) != null
                || i.get(Var.RESTORE_DATABASE) != null || Boolean.TRUE.equals(i.get(Var.TEST_FIRST)));
        Files.createDirectories(output);
        SealKey key = SealKey.forNewRun(output, environment);
        RunPlan plan = upgrade.plan(settled, null, Map.of(CampaignProcess.Var.ITEMS, items), null, output.toAbsolutePath(),
                databaseSteps ? postgres.postgres() : null, null, key, null);
        spec.commandLine().getOut().println("campaign: " + items.size() + " databases, on "
                + (upgrade.localSandbox() ? "this machine's sandbox" : upgrade.apiUrl));
        try (ConsoleLogging quiet = ConsoleLogging.quiet()) {
            return CampaignSession.run(plan, in, spec.commandLine().getOut(), err);
        }
    }

    /** What an item takes from the options where its line (or the folder) says nothing: the start form of no database yet. */
    private Map<String, Object> defaults(UpgradeOptions.Settled settled) {
        Map<String, Object> d = upgrade.startForm(settled, null, null, withFilestore, restore, null).toVariables();
        if (withFilestore) { // (the form says it only beside a database; here it is the database lines' default)
            d.put(Var.INCLUDE_FILESTORE, true);
        }
        return d;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object item) {
        return (Map<String, Object>) item;
    }
}
