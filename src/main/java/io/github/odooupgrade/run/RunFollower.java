package io.github.odooupgrade.run;

import java.io.PrintWriter;
import java.util.Map;

/**
 * Follows a run to its end at the terminal: a line per step, the user tasks asked there, and the
 * exit code — 0 upgraded, 1 ended otherwise, 3 stopped on an incident — keeping the run's journal
 * in step as it goes.
 */
public final class RunFollower {
    /** Variables change within a step too: read every two seconds between steps (on a cluster, each read is a search request). */
    private static final long VARIABLES_EVERY = 2_000_000_000L;

    private final RunObserver observer;
    private final TerminalTasks tasks;
    private final PrintWriter out;
    private final PrintWriter err;
    private final JournalKeeper journal;
    private long lastRead;

    public RunFollower(RunObserver observer, TerminalTasks tasks, PrintWriter out, PrintWriter err, JournalKeeper journal) {
        this.observer = observer;
        this.tasks = tasks;
        this.out = out;
        this.err = err;
        this.journal = journal;
    }

    public int follow() throws InterruptedException {
        int exit = followToEnd();
        journal.observe(null, observer.variables());
        journal.end(exit);
        return exit;
    }

    private int followToEnd() throws InterruptedException {
        while (true) {
            String step = null;
            boolean stepped = false;
            for (RunObserver.Event event : observer.poll()) {
                switch (event) {
                    case RunObserver.Step s -> {
                        out.println("> " + s.name());
                        step = s.name();
                        stepped = true;
                    }
                    case RunObserver.UserTaskOpened t -> {
                        // recorded before a person is waited for, which may take hours
                        Map<String, String> vars = record(step);
                        stepped = false;
                        observer.completeUserTask(t.key(), tasks.answer(t.elementId(), vars));
                    }
                    case RunObserver.Incident i -> {
                        err.println("error: the run stopped at \"" + i.elementId() + "\" on an incident: " + i.message());
                        return 3;
                    }
                    case RunObserver.Ended e -> {
                        return new RunSummary(observer.variables(), out, err).print(e);
                    }
                }
                out.flush();
            }
            if (stepped || System.nanoTime() - lastRead >= VARIABLES_EVERY) { // between steps: e.g. the request id
                record(step);
            }
            Thread.sleep(50);
        }
    }

    /** The journal brought up to date: one read of the instance's variables (answered, for a user task's prompt). */
    private Map<String, String> record(String step) {
        Map<String, String> vars = observer.variables();
        journal.observe(step, vars);
        lastRead = System.nanoTime();
        return vars;
    }
}
