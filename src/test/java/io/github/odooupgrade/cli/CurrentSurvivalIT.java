package io.github.odooupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * On today's platform, a run killed with SIGKILL during the rsync upload, the polling and the rsync download, then
 * {@code resume}: one request on the platform, the dump there whole, the upgraded dump here equal to the platform's, and
 * a transfer goes on from what arrived rather than from the start.
 */
class CurrentSurvivalIT {
    @RegisterExtension
    static final SandboxFixture PLATFORM = SandboxFixture.perClass("--pending", "1s", "--progress", "3s");

    @TempDir
    Path dir;

    private ChildRun run;
    private int requestsBefore;

    @AfterEach
    void noChildLeft() {
        PLATFORM.sandbox.faults().slowTransfers(-1);
        PLATFORM.sandbox.faults().holdFilenames(null);
        if (run != null) {
            run.close();
        }
    }

    @Test
    void killedDuringTheRsyncUploadItGoesOnFromWhatArrived() throws Exception {
        Path dump = Dumps.sqlWithRows(dir.resolve("upload.sql"), 3_000_000, 11);
        long sentBefore = sent(TransferGauge.Kind.RSYNC_UPLOAD);
        PLATFORM.sandbox.faults().slowTransfers(1_000_000); // three seconds on the line: the kill lands inside
        start(dump);
        run.killAt(j -> "Upload the dump with rsync".equals(j.step()) && sent(TransferGauge.Kind.RSYNC_UPLOAD) - sentBefore > 1_200_000);
        PLATFORM.sandbox.faults().slowTransfers(-1);

        Outcome resumed = run.resume();

        UpgradeRequest request = upgradedOnce(resumed);
        assertThat(Dumps.sha256(PLATFORM.sandbox.store().dataDir(request.id).resolve("origin.sql"))).isEqualTo(Dumps.sha256(dump));
        assertThat(sent(TransferGauge.Kind.RSYNC_UPLOAD) - sentBefore).as("bytes both uploads sent: what arrived is not sent again")
                .isLessThan(Files.size(dump) + 600_000);
        assertThat(resumed.out()).contains("> Upload the dump with rsync").doesNotContain("> Create the upgrade request");
    }

    @Test
    void killedWhilePollingItGoesOnPolling() throws Exception {
        Path dump = Dumps.plain(dir, "polling.sql", "15.4");
        PLATFORM.sandbox.faults().holdFilenames(Pattern.compile("^origin\\.sql$")); // the upgrade goes on until released
        start(dump);
        RunJournal stopped = run.killAt(j -> "Check the request status".equals(j.step()));
        assertThat(stopped.variables().get(Var.REQUEST_STATE)).isIn("pending", "progress");
        PLATFORM.sandbox.faults().releaseHoldAfterStatusAnswers(2);

        Outcome resumed = run.resume();

        upgradedOnce(resumed);
        assertThat(resumed.out()).contains("> Look up the existing request", "> Check the request status")
                .doesNotContain("> Create the upgrade request", "> Upload the dump");
    }

    @Test
    void killedDuringTheRsyncDownloadItGoesOnFromWhatArrived() throws Exception {
        Path dump = Dumps.sqlWithRows(dir.resolve("download.sql"), 6_000_000, 12);
        start(dump);
        run.awaitRun(j -> "Check the request status".equals(j.step()));
        PLATFORM.sandbox.faults().slowTransfers(1_000_000);
        long servedBefore = sent(TransferGauge.Kind.DOWNLOAD);
        run.killAt(j -> "Download the upgraded dump".equals(j.step()) && sent(TransferGauge.Kind.DOWNLOAD) - servedBefore > 1_500_000);
        long servedFirst = sent(TransferGauge.Kind.DOWNLOAD) - servedBefore;
        PLATFORM.sandbox.faults().slowTransfers(-1);
        // the platform writes on to the killed run's connection until it finds it closed
        await().atMost(ChildRun.STEP).until(() -> PLATFORM.sandbox.faults().transfers().inFlight(TransferGauge.Kind.DOWNLOAD) == 0);
        long servedAfterKill = sent(TransferGauge.Kind.DOWNLOAD);

        Outcome resumed = run.resume();

        UpgradeRequest request = upgradedOnce(resumed);
        Path platformCopy = PLATFORM.sandbox.store().dataDir(request.id).resolve("upgraded.dump");
        Path here = run.output.resolve("request-" + request.id).resolve("upgraded.dump");
        assertThat(Dumps.filesWithSha256(here)).isEqualTo(Dumps.filesWithSha256(platformCopy));
        long whole = bytes(platformCopy);
        assertThat(sent(TransferGauge.Kind.DOWNLOAD) - servedAfterKill)
                .as("bytes served for the resumed download (%d of %d served before the kill)", servedFirst, whole)
                .isLessThan(whole - 800_000);
    }

    // --- the run, the kill, the resume

    private void start(Path dump) throws IOException {
        requestsBefore = PLATFORM.sandbox.store().all().size();
        run = new ChildRun(dir).start(List.of("--platform", "current", "--dump", dump.toString(), "--api-url",
                PLATFORM.sandbox.currentApiUrl(), "--contract", SandboxOptions.DEFAULT_CONTRACT, "--poll-interval", "1s"));
    }

    private static long sent(TransferGauge.Kind kind) {
        return PLATFORM.sandbox.faults().transfers().bytes(kind);
    }

    /** The resumed run upgraded the one request the killed run made; the token and the SSH key in clear nowhere. */
    private UpgradeRequest upgradedOnce(Outcome resumed) throws IOException {
        assertThat(resumed.exit()).as("resume: %s%s%nthe killed run's output:%n%s", resumed.out(), resumed.err(), run.log()).isZero();
        List<UpgradeRequest> made = PLATFORM.sandbox.store().all().stream().skip(requestsBefore).toList();
        assertThat(made).as("requests on the platform for this run").hasSize(1);
        RunJournal journal = run.journal().orElseThrow();
        assertThat(journal.finished()).isTrue();
        String pair = SealKey.of(journal, run.output, Map.of()).sealer().unseal(journal.variables().get(Var.SSH_KEY_SEALED).toString());
        byte[] privateKey = Base64.getDecoder().decode(pair.lines().findFirst().orElseThrow());
        List<String> seen = List.of(Files.readString(run.output.resolve(RunJournal.FILE)), run.log(), resumed.out(), resumed.err());
        assertThat(SecretForms.foundIn(seen, SecretForms.of(made.get(0).token))).as("the token").isNull();
        assertThat(SecretForms.foundIn(seen, SecretForms.ofPrivateKey(privateKey))).as("the request's SSH private key").isNull();
        return made.get(0);
    }


    private static long bytes(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
