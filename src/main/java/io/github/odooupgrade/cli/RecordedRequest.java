package io.github.odooupgrade.cli;

import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.cli.StatusCommand.UnaskableException;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.run.ConsoleLogging;
import io.github.odooupgrade.run.RunJournal;
import io.github.odooupgrade.run.SealKey;
import io.github.odooupgrade.sandbox.Sandbox;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.sandbox.SandboxTls;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The request a run recorded in its folder, asked about where the run asks: its {@code --api-url}, or
 * the run's own sandbox. That sandbox lives inside the run; when the run is not running (its ports are
 * free) it is started on its data for the question — the platform, unlike the operator's machine,
 * does not stop — and stopped again.
 */
final class RecordedRequest {
    private final Path folder;
    private final Map<String, String> environment;
    private final PrintWriter out;

    RecordedRequest(Path folder, Map<String, String> environment, PrintWriter out) {
        this.folder = folder;
        this.environment = environment;
        this.out = out;
    }

    RequestStatus status() {
        RunJournal journal;
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
        String key;
        try {
            key = SealKey.of(journal, folder, environment).sealer().unseal(journal.variables().get(Var.REQUEST_KEY_SEALED).toString());
        } catch (RuntimeException e) {
            throw new UnaskableException("the request key recorded in " + folder + " cannot be opened: " + e.getMessage());
        }
        RequestRef ref = new RequestRef(journal.requestId(), key);
        String api = option(journal.runOptions(), "--api-url");
        if (api != null) {
            String certificate = option(journal.runOptions(), "--api-certificate");
            return StatusCommand.ask(api, certificate == null ? null : Path.of(certificate), ref);
        }
        Path sandboxData = folder.resolve("sandbox");
        Sandbox sandbox;
        try (ConsoleLogging quiet = ConsoleLogging.quiet()) {
            sandbox = Sandbox.start(SandboxOptions.parse("--data-dir", sandboxData.toString(), "--tls",
                    "--http-port", journal.sandboxHttpPort().toString(), "--sftp-port", journal.sandboxSftpPort().toString()));
        } catch (RuntimeException portsTaken) {
            // the run is running: its sandbox answers, with the certificate it keeps in its data
            return StatusCommand.ask("https://127.0.0.1:" + journal.sandboxHttpPort() + "/database/v1",
                    SandboxTls.certificateIn(sandboxData), ref);
        }
        try (sandbox) {
            return StatusCommand.ask(sandbox.apiUrl(), sandbox.certificateFile(), ref);
        }
    }

    private static String option(List<String> runOptions, String name) {
        int i = runOptions.indexOf(name);
        return i >= 0 && i + 1 < runOptions.size() ? runOptions.get(i + 1) : null;
    }
}
