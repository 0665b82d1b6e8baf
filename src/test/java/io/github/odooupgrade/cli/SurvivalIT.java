package io.github.odooupgrade.cli;

import static io.github.odooupgrade.database.LocalPostgres.psql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.odooupgrade.database.LocalPostgres;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.run.RunJournal;
import io.github.odooupgrade.run.SealKey;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.SandboxFixture;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.sandbox.TransferGauge;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import io.github.odooupgrade.secrets.SecretForms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL — its JVM gone, no hook run — at each long step, then {@code resume}:
 * the platform (a sandbox outliving the run, as the real one does) holds exactly one request for it,
 * the upgraded dump arrives whole, a restore leaves no temporary database. The run is a child JVM
 * started as the command line starts it; {@code resume} runs in this one.
 */
class SurvivalIT {
    private static final Duration STEP = ChildRun.STEP;

    @RegisterExtension
    static final SandboxFixture PLATFORM = SandboxFixture.perClass("--pending", "1s", "--progress", "4s", "--test", "1s");

    @TempDir
    Path dir;

    private Path output;
    private ChildRun child;

    @AfterEach
    void noChildLeft() {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void killedWhilePollingItGoesOnPolling() throws Exception {
        Path dump = Dumps.plain(dir, "polling.sql", "15.4");
        PLATFORM.sandbox.faults().holdFilenames(Pattern.compile("polling\\.sql")); // the upgrade goes on until released
        startRun(dump, "--upload-method", "https");
        RunJournal stopped = killAt(j -> "Check the request status".equals(j.step()));

        assertThat(stopped.variables().get(Var.REQUEST_STATE)).isIn("pending", "progress");
        // the upgrade ends once the resumed run has looked the request up and asked its status once more
        PLATFORM.sandbox.faults().releaseHoldAfterStatusAnswers(2);
        Outcome resumed = resume();

        assertUpgradedOnce(resumed, dump);
        assertThat(resumed.out()).contains("> Look up the existing request", "> Check the request status")
                .doesNotContain("> Create the upgrade request", "> Upload the dump");
    }

    @Test
    void killedDuringTheSftpUploadItSendsOnlyWhatThePlatformLacks() throws Exception {
        Path dump = Dumps.sqlHeadedRandom(dir.resolve("big-sftp.sql"), 3_000_000, 7);
        long base = PLATFORM.sandbox.sftp().bytesWritten();
        PLATFORM.sandbox.faults().slowTransfers(1_000_000); // three seconds on the line: the kill lands inside
        startRun(dump, "--upload-method", "sftp");
        killAt(j -> "Upload the dump over SFTP".equals(j.step()) && PLATFORM.sandbox.sftp().bytesWritten() - base > 500_000);
        assertThat(PLATFORM.sandbox.sftp().bytesWritten() - base).isLessThan(Files.size(dump));
        PLATFORM.sandbox.faults().slowTransfers(-1);

        Outcome resumed = resume();

        assertUpgradedOnce(resumed, dump);
        // what the server had stays: the resumed upload writes the rest, not one byte more
        assertThat(PLATFORM.sandbox.sftp().bytesWritten() - base).isEqualTo(Files.size(dump));
        RunJournal journal = RunJournal.read(output).orElseThrow();
        String pair = SealKey.of(journal, output, Map.of()).sealer().unseal(journal.variables().get(Var.SFTP_KEY_SEALED).toString());
        byte[] privateKey = Base64.getDecoder().decode(pair.lines().findFirst().orElseThrow());
        assertThat(SecretForms.foundIn(List.of(Files.readString(output.resolve(RunJournal.FILE)), log(), resumed.out(), resumed.err()),
                SecretForms.ofPrivateKey(privateKey))).as("the SFTP private key in the journal or the output").isNull();
    }

    @Test
    void killedDuringTheHttpsUploadItSendsTheDumpAgainToTheSameRequest() throws Exception {
        Path dump = Dumps.sqlHeadedRandom(dir.resolve("big-https.sql"), 3_000_000, 8);
        PLATFORM.sandbox.faults().slowTransfers(1_000_000);
        startRun(dump, "--upload-method", "https");
        awaitRun(j -> "Upload the dump over HTTPS".equals(j.step()));
        Thread.sleep(1000); // a third of the dump on the line
        killAt(j -> true);
        PLATFORM.sandbox.faults().slowTransfers(-1);

        Outcome resumed = resume();

        assertUpgradedOnce(resumed, dump);
        assertThat(resumed.out()).contains("> Upload the dump over HTTPS").doesNotContain("> Create the upgrade request");
    }

    @Test
    void killedDuringTheDownloadItContinuesThePartFile() throws Exception {
        Path dump = Dumps.sqlHeadedRandom(dir.resolve("big-download.sql"), 3_000_000, 9);
        startRun(dump, "--upload-method", "https");
        awaitRun(j -> "Check the request status".equals(j.step()));
        PLATFORM.sandbox.faults().slowTransfers(1_000_000);
        RunJournal stopped = killAt(j -> "Download the upgraded dump".equals(j.step()) && partSize(j) > 200_000);
        long part = partSize(stopped);
        assertThat(part).isLessThan(Files.size(dump));
        PLATFORM.sandbox.faults().slowTransfers(-1);
        // the platform writes on to the killed run's connection until it finds it closed
        await().atMost(STEP).until(() -> PLATFORM.sandbox.faults().transfers().inFlight(TransferGauge.Kind.DOWNLOAD) == 0);
        long servedBefore = PLATFORM.sandbox.faults().transfers().bytes(TransferGauge.Kind.DOWNLOAD);

        Outcome resumed = resume();

        assertUpgradedOnce(resumed, dump);
        assertThat(resumed.out()).doesNotContain("> Check the request status");
        assertThat(PLATFORM.sandbox.faults().transfers().bytes(TransferGauge.Kind.DOWNLOAD) - servedBefore)
                .as("bytes the platform sent for the resumed download: the rest of the %d-byte part file, not the whole dump", part)
                .isEqualTo(Files.size(dump) - part);
    }

    @Test
    void killedDuringTheRestoreItDropsTheHalfDatabaseAndRestoresAgain() throws Exception {
        String database = "survival_restored";
        psql("postgres", "DROP DATABASE IF EXISTS " + database);
        psql("postgres", "DROP DATABASE IF EXISTS " + database + "_restoring");
        Path bin = slowPsql();
        Path dump = Dumps.plain(dir, "restored.sql", "15.4");
        startRun(dump, "--upload-method", "https", "--restore-as", database, "--postgres-user", "postgres",
                "--postgres-bin-dir", bin.toString());
        killAt(j -> "Restore into a new database".equals(j.step()) && databaseExists(database + "_restoring"));
        Files.delete(bin.resolve("slow")); // the next restore runs at full speed

        try {
            Outcome resumed = resume();

            assertUpgradedOnce(resumed, dump);
            assertThat(databaseExists(database)).isTrue();
            assertThat(databaseExists(database + "_restoring")).as("the temporary database of the killed restore").isFalse();
        } finally {
            psql("postgres", "DROP DATABASE IF EXISTS " + database);
        }
    }

    @Test
    void withItsJournalDeletedTheRequestIsContinuedFromItsNumberAndKey() throws Exception {
        Path dump = Dumps.plain(dir, "journal-lost.sql", "15.4");
        PLATFORM.sandbox.faults().holdFilenames(Pattern.compile("journal-lost\\.sql"));
        startRun(dump, "--upload-method", "https");
        long id = killAt(j -> "Check the request status".equals(j.step())).requestId();
        SandboxFixture.deleteTree(output); // the journal, the seal key, everything
        String key = PLATFORM.sandbox.store().get(id).key; // as the platform's mail gives it
        PLATFORM.sandbox.faults().holdFilenames(null);

        Outcome run = Outcome.of(new RunCommand(Outcome.noInput(), Map.of(StatusCommand.KEY_VARIABLE, key)), "--request", Long.toString(id), "--dump", dump.toString(), "--output", output.toString(),
                "--api-url", PLATFORM.sandbox.apiUrl(), "--contract", SandboxOptions.DEFAULT_CONTRACT, "--email", "ops@example.com",
                "--poll-interval", "1s");

        assertUpgradedOnce(run, dump);
        assertThat(run.out()).contains("> Look up the existing request").doesNotContain("> Create the upgrade request")
                .doesNotContain(key);
    }

    @Test
    void ctrlCStopsTheRunWithOneLineSayingHowToContinue() throws Exception {
        Path dump = Dumps.plain(dir, "interrupted.sql", "15.4");
        PLATFORM.sandbox.faults().holdFilenames(Pattern.compile("interrupted\\.sql"));
        startRun(dump, "--upload-method", "https");
        awaitRun(j -> "Check the request status".equals(j.step()));
        assertThat(ignoresCtrlC(child.process().pid())).as("the run ignores SIGINT").isFalse();

        new ProcessBuilder("kill", "-INT", Long.toString(child.process().pid())).start().waitFor(); // what Ctrl-C sends

        if (!child.process().waitFor(30, TimeUnit.SECONDS)) {
            new ProcessBuilder("kill", "-QUIT", Long.toString(child.process().pid())).start().waitFor(); // its threads, into its log
            Thread.sleep(1000);
            throw new AssertionError("the run did not stop within 30 s of Ctrl-C; its output:\n" + log());
        }
        assertThat(log()).contains("stopped: the run is recorded in " + output + "; continue it with: odoo-upgrade resume --output " + output);
        assertThat(journal().orElseThrow().finished()).isFalse();
        PLATFORM.sandbox.faults().holdFilenames(null);
        assertUpgradedOnce(resume(), dump);
    }

    // --- the run, the kill, the resume

    private Outcome resume() {
        return child.resume();
    }

    private void startRun(Path dump, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--dump", dump.toString(), "--api-url", PLATFORM.sandbox.apiUrl(),
                "--contract", SandboxOptions.DEFAULT_CONTRACT, "--email", "ops@example.com", "--poll-interval", "1s",
                "--sftp-known-hosts", PLATFORM.dataDir.resolve("ssh/known_hosts").toString()));
        args.addAll(List.of(extra));
        child = new ChildRun(dir).start(args);
        output = child.output;
    }

    private RunJournal killAt(Predicate<RunJournal> when) throws Exception {
        return child.killAt(when);
    }

    private void awaitRun(Predicate<RunJournal> when) {
        child.awaitRun(when);
    }

    private void assertUpgradedOnce(Outcome resumed, Path dump) throws IOException {
        assertThat(resumed.exit()).as("resume: %s%s%nthe killed run's output:%n%s", resumed.out(), resumed.err(), log()).isZero();
        List<UpgradeRequest> requests = PLATFORM.sandbox.store().all().stream()
                .filter(r -> r.filename.equals(dump.getFileName().toString())).toList();
        assertThat(requests).as("requests on the platform for this run").hasSize(1);
        long id = requests.get(0).id;
        Path upgraded = output.resolve("request-" + id).resolve("upgraded_" + dump.getFileName());
        assertThat(Dumps.sha256(upgraded)).isEqualTo(Dumps.sha256(dump)); // the sandbox's upgrade returns the dump as it got it
        assertThat(RunJournal.read(output).orElseThrow().finished()).isTrue();
        // the key was in the journal the whole time, sealed: never in clear there, nor in what either run printed
        String journal = Files.readString(output.resolve(RunJournal.FILE));
        assertThat(SecretForms.foundIn(List.of(journal, log(), resumed.out(), resumed.err()), SecretForms.of(requests.get(0).key)))
                .as("the request key in the journal or the output").isNull();
    }

    private Optional<RunJournal> journal() {
        return child.journal();
    }

    private long partSize(RunJournal j) {
        if (j.requestId() == null) {
            return 0;
        }
        Path folder = output.resolve("request-" + j.requestId());
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            Path part = files.filter(f -> f.getFileName().toString().endsWith(".part")).findFirst().orElse(null);
            return part == null ? 0 : Files.size(part);
        } catch (IOException renamedMeanwhile) {
            return 0;
        }
    }

    /** Whether the process ignores SIGINT (Linux's /proc; elsewhere, assumed not): a child keeps what its parent ignored. */
    private static boolean ignoresCtrlC(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return false;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
                .anyMatch(l -> (Long.parseLong(l.substring(7).trim(), 16) & (1L << 1)) != 0); // bit 1: signal 2, SIGINT
    }

    private String log() {
        return child.log();
    }

    private static boolean databaseExists(String name) {
        return "1".equals(psql("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + name + "'"));
    }

    /** The machine's PostgreSQL tools, with a psql that takes its time over a restore while the file {@code slow} is beside it. */
    private Path slowPsql() throws IOException {
        return LocalPostgres.toolsWith(dir.resolve("pgbin"), "sleep 60", "slow");
    }
}
