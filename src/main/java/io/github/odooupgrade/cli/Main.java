package io.github.odooupgrade.cli;

import java.io.BufferedReader;
import io.github.odooupgrade.run.RootCause;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The project's single entry point: {@code java -jar odoo-upgrade.jar <command>}. */
@Command(name = "odoo-upgrade", mixinStandardHelpOptions = true, version = "odoo-upgrade 0.1.0",
        description = "Upgrade Odoo databases through Odoo's upgrade platform (its v1 API or today's), orchestrated by Camunda 8.",
        subcommands = {RunCommand.class, ResumeCommand.class, StatusCommand.class, LogCommand.class, WipeCommand.class, CampaignCommand.class,
            WorkersCommand.class,
            SandboxCommand.class})
public class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return configure(new CommandLine(new Main()));
    }

    /** The same command line, with {@code run}'s user tasks answered from {@code in} (a test). */
    static CommandLine commandLine(BufferedReader in) {
        CommandLine withInput = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == RunCommand.class) {
                    return type.cast(new RunCommand(in, System.getenv()));
                }
                if (type == CampaignCommand.class) {
                    return type.cast(new CampaignCommand(in, System.getenv()));
                }
                return type == ResumeCommand.class ? type.cast(new ResumeCommand(in, System.getenv())) : CommandLine.defaultFactory().create(type);
            }
        });
        return configure(withInput);
    }

    private static CommandLine configure(CommandLine cli) {
        // a bad option or a server that cannot start: one line that says what is wrong, no stack trace
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String cause = RootCause.of(e);
            cmd.getErr().println("error: " + e.getMessage() + (cause.equals(e.getMessage()) ? "" : " (" + cause + ")"));
            return 2;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("error: " + e.getMessage() + " (see: " + cmd.getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        return cli;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
