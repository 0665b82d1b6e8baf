package io.github.odooupgrade.cli;

import io.github.odooupgrade.run.RunJournal;
import io.github.odooupgrade.run.SealKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code odoo-upgrade resume --output DIR}: continues the run recorded in DIR after it was stopped
 * (killed, Ctrl-C, the machine restarted, an incident). Its options come from the journal; the new
 * instance takes the model's "existing request" path, so the platform's state decides where it goes
 * on — no second request, and no byte the platform holds sent again over SFTP or downloaded again.
 */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continue a run that stopped, from the journal in its --output folder.",
            "Exit codes as for run: 0 upgraded, 1 ended otherwise, 2 nothing to resume or bad input, 3 stopped on an incident."})
public class ResumeCommand implements Callable<Integer> {
    @Option(names = "--output", required = true, description = "The folder of the run to continue (its --output).")
    Path output;

    @Option(names = NotifyOptions.WEBHOOK, paramLabel = "URL", description = "Post the run's messages to this chat webhook, "
            + "as run --notify-webhook did (its URL is not kept in the journal).")
    String webhook;

    @Spec
    CommandSpec spec;

    private final BufferedReader in;
    private final Map<String, String> environment;

    public ResumeCommand() {
        this(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.getenv());
    }

    /** With the terminal's input and the environment given (a test). */
    public ResumeCommand(BufferedReader in, Map<String, String> environment) {
        this.in = in;
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Optional<RunJournal> recorded;
        try {
            recorded = RunJournal.read(output);
        } catch (UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (recorded.isEmpty()) {
            err.println("error: no run is recorded in " + output + " (no " + RunJournal.FILE + "): start one with odoo-upgrade run --output " + output);
            return 2;
        }
        RunJournal journal = recorded.get();
        if (journal.finished()) {
            err.println("error: the run recorded in " + output + " has finished (exit " + journal.exitCode() + "): nothing to continue; "
                    + "odoo-upgrade run --output " + output + " starts a new one");
            return 2;
        }
        if (journal.runOptions().stream().anyMatch(o -> o.equals("--cluster") || o.startsWith("--camunda-"))) {
            err.println("error: that run's instance lives on in the Camunda cluster: follow it in Operate; if it was cancelled there, "
                    + "start the upgrade again from Tasklist with \"Continue an existing request\" (request " + journal.requestId() + ")");
            return 2;
        }
        SealKey key;
        try {
            key = SealKey.of(journal, output, environment);
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        RunCommand run = new RunCommand(in, environment);
        CommandLine cli = new CommandLine(run);
        cli.setOut(spec.commandLine().getOut());
        cli.setErr(err);
        List<String> args = new ArrayList<>(journal.runOptions());
        args.addAll(List.of("--output", output.toString()));
        if (webhook != null) {
            args.addAll(List.of(NotifyOptions.WEBHOOK, webhook));
        }
        cli.parseArgs(args.toArray(String[]::new));
        return run.resume(journal, key);
    }
}
