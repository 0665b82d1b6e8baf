package io.github.odooupgrade.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import picocli.CommandLine;

/** A command run in this JVM the way the command line runs it: its exit code and what it printed. */
record Outcome(int exit, String out, String err) {

    /** {@code odoo-upgrade ARGS} through {@link Main}; {@code stdin} answers the user tasks of run and resume. */
    static Outcome main(String stdin, String... args) {
        return of(Main.commandLine(new BufferedReader(new StringReader(stdin))), args);
    }

    /** One command, built by the test (with its own environment, say). */
    static Outcome of(Object command, String... args) {
        return of(new CommandLine(command), args);
    }

    private static Outcome of(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    /** No terminal input. */
    static BufferedReader noInput() {
        return new BufferedReader(new StringReader(""));
    }
}
