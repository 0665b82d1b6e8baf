package io.github.odooupgrade.cli;

import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.cli.StatusCommand.UnaskableException;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.run.ConsoleLogging;
import io.github.odooupgrade.run.RunJournal;
import io.github.odooupgrade.run.SealKey;
import io.github.odooupgrade.sandbox.Sandbox;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.sandbox.SandboxTls;
import io.github.odooupgrade.secrets.Sealer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The request a run recorded in its folder, asked about where the run asks: its {@code --api-url}, or
 * the run's own sandbox. That sandbox lives inside the run; when the run is not running (its ports are
 * free) it is started on its data for the question — the platform, unlike the operator's machine,
 * does not stop — and stopped again.
 */
final class RecordedRequest {
    private final Path folder;
    private final Map<String, String> environment;
    private final RunJournal journal;

    /** The run recorded in {@code folder}, said in one line on {@code out}; refused in one line when there is none or it made no request. */
    RecordedRequest(Path folder, Map<String, String> environment, PrintWriter out) {
        this.folder = folder;
        this.environment = environment;
        try {
            journal = RunJournal.read(folder).orElseThrow(() -> new UnaskableException("no run is recorded in " + folder
                    + " (no " + RunJournal.FILE + ")"));
        } catch (UncheckedIOException e) {
            throw new UnaskableException(e.getMessage());
        }
        out.println("run:       " + (journal.finished() ? "finished, exit " + journal.exitCode()
                : "unfinished (odoo-upgrade resume --output " + folder + " continues it)") + ", last step \"" + journal.step()
                + "\", recorded " + journal.updatedAt());
        if (journal.requestId() == null) {
            throw new UnaskableException("the run in " + folder + " made no request before it stopped: there is nothing to ask the platform");
        }
    }

    /** Whether the run spoke today's API (its {@code --platform current}). */
    boolean current() {
        return Value.PLATFORM_CURRENT.equals(option(journal.runOptions(), "--platform"));
    }

    Path folder() {
        return folder;
    }

    long id() {
        return journal.requestId();
    }

    /** The request's secret: v1's key or today's token, unsealed from the journal. */
    String secret() {
        try {
            return sealer().unseal(journal.variables().get(Var.REQUEST_KEY_SEALED).toString());
        } catch (RuntimeException e) {
            throw new UnaskableException("the request key recorded in " + folder + " cannot be opened: " + e.getMessage());
        }
    }

    /** The contract the run was given, or null when it recorded none (its sandbox's). */
    String contract() {
        return journal.contractSealed() == null ? null : sealer().unseal(journal.contractSealed());
    }

    /** v1's status of the request. */
    RequestStatus status() {
        RequestRef ref = new RequestRef(id(), secret());
        return ask((api, certificate) -> StatusCommand.ask(api, certificate, ref));
    }

    /** {@code question} asked of the run's API (its URL for the run's platform, the certificate to trust or null). */
    <T> T ask(BiFunction<String, Path, T> question) {
        String api = option(journal.runOptions(), "--api-url");
        if (api != null) {
            String certificate = option(journal.runOptions(), "--api-certificate");
            return question.apply(api, certificate == null ? null : Path.of(certificate));
        }
        Path sandboxData = folder.resolve("sandbox");
        Sandbox sandbox;
        try (ConsoleLogging quiet = ConsoleLogging.quiet()) {
            sandbox = Sandbox.start(SandboxOptions.parse("--data-dir", sandboxData.toString(), "--tls",
                    "--http-port", journal.sandboxHttpPort().toString(), "--sftp-port", journal.sandboxSftpPort().toString()));
        } catch (RuntimeException portsTaken) {
            // the run is running: its sandbox answers, with the certificate it keeps in its data
            String running = "https://127.0.0.1:" + journal.sandboxHttpPort();
            return question.apply(current() ? running : running + "/database/v1", SandboxTls.certificateIn(sandboxData));
        }
        try (sandbox) {
            return question.apply(current() ? sandbox.currentApiUrl() : sandbox.apiUrl(), sandbox.certificateFile());
        }
    }

    private Sealer sealer() {
        return SealKey.of(journal, folder, environment).sealer();
    }

    private static String option(List<String> runOptions, String name) {
        int i = runOptions.indexOf(name);
        return i >= 0 && i + 1 < runOptions.size() ? runOptions.get(i + 1) : null;
    }
}
