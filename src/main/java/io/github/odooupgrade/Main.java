package io.github.odooupgrade;

import io.github.odooupgrade.sandbox.SandboxCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The project's single entry point: {@code java -jar odoo-upgrade.jar <command>}. */
@Command(name = "odoo-upgrade", mixinStandardHelpOptions = true, version = "odoo-upgrade 0.1.0",
        description = "Upgrade Odoo databases through the Upgrade API v1, orchestrated by Camunda 8.",
        subcommands = {SandboxCommand.class})
public class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // a bad option or a server that cannot start: one line that says what is wrong, no stack trace
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
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
