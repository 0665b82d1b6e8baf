package io.github.odooupgrade.run;

import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One run on this machine, new or resumed: the stack started, the instance started with its
 * variables, followed to its end with the journal kept in step. Stopped by Ctrl-C (or any signal
 * that lets the JVM run its shutdown hooks), it says how to continue: the journal is already
 * consistent (each write is atomic) and the transfers' {@code .part} files stay.
 */
public final class RunSession {
    private RunSession() {}

    /** A new run: its journal starts with its options and its contract, sealed. */
    public static int begin(RunPlan plan, SealKey key, List<String> options, BufferedReader in, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        RunJournal journal = RunJournal.begin(options, key.sealer().seal(plan.contract()), key.source());
        if (plan.variables().get(Var.REQUEST_ID) != null) { // an existing request (--request): recorded before anything moves
            journal = journal.at(null, Map.of(Var.REQUEST_ID, plan.variables().get(Var.REQUEST_ID),
                    Var.REQUEST_KEY_SEALED, plan.variables().get(Var.REQUEST_KEY_SEALED)));
        }
        return run(plan, journal, plan.variables(), in, out, err);
    }

    /** A stopped run, continued: the request it made, adopted by the model's "existing request" path. */
    public static int resume(RunPlan plan, SealKey key, RunJournal stopped, BufferedReader in, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        out.println("resume:   the run stopped" + stopped.where() + (stopped.requestId() != null
                ? ": the platform's state of the request decides where it goes on" : "; no request was made yet: it starts again"));
        return run(plan, stopped.again(key.source()), stopped.continuing(plan.variables()), in, out, err);
    }

    private static int run(RunPlan plan, RunJournal journal, Map<String, Object> variables, BufferedReader in, PrintWriter out,
            PrintWriter err) throws InterruptedException {
        try (LocalStack stack = LocalStack.start(plan, out, err)) {
            RunPlan.Ports ports = stack.sandboxPorts();
            JournalKeeper keeper = new JournalKeeper(plan.output(), ports == null ? journal : journal.withSandbox(ports.http(), ports.sftp()));
            out.println(plan.describe());
            out.flush();
            Thread onSignal = new Thread(() -> stopped(plan.output(), err), "run-stopped");
            Runtime.getRuntime().addShutdownHook(onSignal);
            try {
                return new RunFollower(stack.startInstance(variables), new TerminalTasks(in, out), out, err, keeper).follow();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it says what to do
                }
            }
        } catch (LocalStack.ClusterUnreachable e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private static void stopped(Path output, PrintWriter err) {
        err.println();
        err.println("stopped: the run is recorded in " + output + "; continue it with: odoo-upgrade resume --output " + output);
        err.flush();
    }
}
