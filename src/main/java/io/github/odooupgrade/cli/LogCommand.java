package io.github.odooupgrade.cli;

import io.github.odooupgrade.api.CurrentApiClient;
import io.github.odooupgrade.cli.StatusCommand.UnaskableException;
import io.github.odooupgrade.units.DurationConverter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code odoo-upgrade log}: the upgrade log today's platform keeps for a request, as Odoo's client's {@code log} shows
 * it; {@code --follow} prints what it adds until the request ends, and then exits as {@code status} does.
 */
@Command(name = "log", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print today's upgrade platform's log of a request (what it did to the database).",
            "The request: --output DIR (a run's folder), or its token in the environment variable " + TokenAccess.TOKEN_VARIABLE + ".",
            "Exit codes: 0 printed (with --follow: the request upgraded), 1 with --follow: it ended without an upgrade, "
                + "2 bad input or the platform could not be asked."})
public class LogCommand implements Callable<Integer> {
    @Mixin
    TokenAccess access = new TokenAccess();

    @Option(names = "--from", paramLabel = "BYTE", defaultValue = "0", description = "Start at this byte of the log (default: ${DEFAULT-VALUE}).")
    long from;

    @Option(names = "--follow", description = "Keep printing what the platform adds until the request is done, failed or cancelled.")
    boolean follow;

    @Option(names = "--poll-interval", defaultValue = "5s", converter = DurationConverter.class,
            description = "With --follow: time between two reads (default: ${DEFAULT-VALUE}, as Odoo's client).")
    Duration pollInterval;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    public LogCommand() {
        this(System.getenv());
    }

    /** With the environment given, for a caller (a test) that sets the token itself. */
    public LogCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (from < 0) {
            err.println("error: --from is a byte of the log, 0 or more, not " + from);
            return 2;
        }
        try {
            return access.ask(environment, err, asked -> {
                long offset = from;
                while (true) {
                    // the state first, then the log: what the log had when the request ended is all read
                    CurrentApiClient.Status status = follow ? asked.client().status(asked.ref()) : null;
                    CurrentApiClient.Log chunk = asked.client().logs(asked.ref(), offset);
                    out.print(chunk.text());
                    out.flush();
                    offset = chunk.next();
                    if (status == null) {
                        return 0;
                    }
                    switch (status.outcome()) {
                        case SUCCEEDED:
                            return 0;
                        case FAILED:
                            err.println(asked.name() + " ended without an upgrade: " + status.state()
                                    + (status.reason() == null ? "" : " (" + status.reason() + ")"));
                            return 1;
                        default:
                            sleep(pollInterval);
                    }
                }
            });
        } catch (UnaskableException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnaskableException("interrupted while following the log");
        }
    }
}
