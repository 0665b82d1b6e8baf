package io.github.odooupgrade.cli;

import io.github.odooupgrade.api.ApiFailure;
import io.github.odooupgrade.api.CurrentApiClient;
import io.github.odooupgrade.api.UpgradeRejectedException;
import io.github.odooupgrade.cli.StatusCommand.UnaskableException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code odoo-upgrade wipe}: today's platform deletes its copy of a request's data (the dump sent, the upgraded one).
 * An upgrade under way is cancelled by it. The contract proves the right to; it is the run's, or {@code --contract}.
 */
@Command(name = "wipe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ask today's upgrade platform to delete its copy of a request's data (an upgrade under way is cancelled).",
            "The request: --output DIR (a run's folder), or its token in the environment variable " + TokenAccess.TOKEN_VARIABLE + ".",
            "Exit codes: 0 deleted, 1 the platform refused or could not delete it, 2 bad input or the platform could not be asked."})
public class WipeCommand implements Callable<Integer> {
    @Mixin
    TokenAccess access = new TokenAccess();

    @Option(names = "--contract", description = "The Odoo Enterprise contract the request was made with (default with --output: the run's).")
    String contract;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    public WipeCommand() {
        this(System.getenv());
    }

    /** With the environment given, for a caller (a test) that sets the token itself. */
    public WipeCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return access.ask(environment, out, asked -> {
                String given = contract != null && !contract.isBlank() ? contract.trim() : asked.recordedContract();
                if (given == null) {
                    throw new UnaskableException("--contract is missing: the platform deletes a request's data only for the contract "
                            + "it was made with");
                }
                CurrentApiClient.Wiped w;
                try {
                    w = asked.client().wipe(asked.ref(), given);
                } catch (UpgradeRejectedException e) {
                    err.println("the platform refused to delete the data of " + asked.name() + ": "
                            + e.failures().stream().map(ApiFailure::describe).collect(Collectors.joining("; ")));
                    return 1;
                }
                if (w.failed().isEmpty() && !w.wiped().isEmpty()) {
                    out.println("the platform deleted its copy of " + asked.name());
                    return 0;
                }
                err.println("the platform could not delete the data of " + asked.name() + " (it answered: deleted " + w.wiped()
                        + ", not deleted " + w.failed() + "): ask Odoo's support");
                return 1;
            });
        } catch (UnaskableException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }
}
