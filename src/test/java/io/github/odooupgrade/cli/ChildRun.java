package io.github.odooupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.odooupgrade.run.RunJournal;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code odoo-upgrade run} in a child JVM, started as the command line starts it, watched through its journal and killed
 * where a test says — then {@code resume} in this JVM. Its output goes to {@code run.log} in the test's folder.
 */
final class ChildRun implements AutoCloseable {
    static final Duration STEP = Duration.ofSeconds(90);

    private final Path dir;
    final Path output;
    private Process child;

    ChildRun(Path dir) {
        this.dir = dir;
        this.output = dir.resolve("output");
    }

    /** Starts {@code run --output <output> ARGS}. */
    ChildRun start(List<String> args) throws IOException {
        // SIGINT as a terminal's shell gives it: a JVM started by nohup, or as a background job of a shell without job
        // control, ignores it, and its children would inherit that (coreutils' env puts it back)
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", ProcessHandle.current().info().command().orElse("java"),
                "-cp", classPath(), Main.class.getName(), "run", "--output", output.toString()));
        command.addAll(args);
        child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile()).start();
        return this;
    }

    Process process() {
        return child;
    }

    /**
     * Waits until the journal shows {@code when}, then SIGKILL to the run and to what it started (rsync, ssh), as when
     * the machine or the run's container stops: no shutdown hook, no clean-up, no transfer going on without it.
     */
    RunJournal killAt(Predicate<RunJournal> when) throws Exception {
        awaitRun(when);
        List<ProcessHandle> started = child.descendants().toList();
        child.destroyForcibly().waitFor(); // SIGKILL on Linux
        started.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : started) {
            p.onExit().get();
        }
        return journal().orElseThrow();
    }

    /** Waits until the running run's journal shows {@code when}; says where the run stood, with its output, when it does not. */
    void awaitRun(Predicate<RunJournal> when) {
        try {
            await().atMost(STEP).pollInterval(Duration.ofMillis(20)).until(() -> {
                assertThat(child.isAlive()).as("the run ended before it got there").isTrue();
                return journal().filter(when).isPresent();
            });
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("the run did not get there (journal: " + journal().map(RunJournal::step).orElse("none")
                    + "); its output:\n" + log(), e);
        }
    }

    Outcome resume() {
        return Outcome.main("", "resume", "--output", output.toString());
    }

    Optional<RunJournal> journal() {
        try {
            return RunJournal.read(output);
        } catch (RuntimeException halfWritten) {
            throw new AssertionError("the journal could not be read while the run wrote it: " + halfWritten.getMessage(), halfWritten);
        }
    }

    String log() {
        try {
            return Files.readString(dir.resolve("run.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Nothing left running. */
    @Override
    public void close() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    /** This JVM's class path without empty entries: the JVM reads one as the current folder, where bpmn/ and forms/ are too. */
    private static String classPath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).filter(e -> !e.isBlank())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
