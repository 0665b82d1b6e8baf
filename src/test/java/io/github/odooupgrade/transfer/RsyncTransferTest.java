package io.github.odooupgrade.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.odooupgrade.api.CurrentApiClient;
import io.github.odooupgrade.api.CurrentRef;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.SandboxFixture;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.sandbox.TransferGauge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** rsync over ssh to and from the sandbox's windows, as the workers run it: the window's trust only, progress, a cut resumed. */
class RsyncTransferTest {
    @RegisterExtension
    static final SandboxFixture PLATFORM = SandboxFixture.perClass();

    @TempDir
    Path dir;

    private final CurrentApiClient client = new CurrentApiClient(UpgradeClientConfig.of(PLATFORM.sandbox.currentApiUrl()));
    private final RsyncTransfer rsync = new RsyncTransfer(Duration.ofSeconds(30));
    private SshKeyPair key;
    private CurrentRef ref;

    @BeforeEach
    void aNewRequest() {
        key = SshKeyPair.generateEd25519("rsync test");
        ref = client.create(new CurrentApiClient.CreateParams(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test", List.of(), key.publicKey()))
                .ref();
    }

    private RsyncTransfer.Window window(String type) {
        CurrentApiClient.Window w = client.startTransfer(ref, type);
        return new RsyncTransfer.Window("127.0.0.1", w.sshPort(), w.knownHosts());
    }

    private Path data() {
        return PLATFORM.sandbox.store().dataDir(ref.id());
    }

    @Test
    void aFileGoesUpWithItsProgressAndAFolderAsItsContent() throws Exception {
        Path dump = Dumps.sqlHeadedRandom(dir.resolve("shop.sql"), 3_000_000, 11);
        List<Long> seen = new ArrayList<>();

        rsync.upload(dump, "origin.sql", window("upload"), key.privateKey(), (done, total) -> {
            assertThat(total).isEqualTo(3_000_000);
            seen.add(done);
        });

        assertThat(Dumps.sha256(data().resolve("origin.sql"))).isEqualTo(Dumps.sha256(dump));
        assertThat(seen).isNotEmpty().isSorted().last().isEqualTo(3_000_000L);
        Path folder = Files.createDirectories(dir.resolve("db.dir"));
        Files.writeString(folder.resolve("toc.dat"), "toc");
        Files.writeString(folder.resolve("3001.dat.gz"), "data");
        rsync.upload(folder, "origin.dump", window("upload"), key.privateKey(), TransferProgress.NONE);
        assertThat(data().resolve("origin.dump/toc.dat")).hasContent("toc");
        assertThat(data().resolve("origin.dump/3001.dat.gz")).hasContent("data");
    }

    @Test
    void aCutUploadGoesOnFromWhatArrived() throws Exception {
        Path dump = Dumps.sqlHeadedRandom(dir.resolve("big.sql"), 4_000_000, 12);
        RsyncTransfer.Window window = window("upload");
        PLATFORM.sandbox.faults().cutTransfers(2_000_000, 1);

        assertThatThrownBy(() -> rsync.upload(dump, "origin.sql", window, key.privateKey(), TransferProgress.NONE))
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.isTransient()).isTrue());
        long before = PLATFORM.sandbox.faults().transfers().bytes(TransferGauge.Kind.RSYNC_UPLOAD);

        rsync.upload(dump, "origin.sql", window, key.privateKey(), TransferProgress.NONE);

        assertThat(Dumps.sha256(data().resolve("origin.sql"))).isEqualTo(Dumps.sha256(dump));
        assertThat(PLATFORM.sandbox.faults().transfers().bytes(TransferGauge.Kind.RSYNC_UPLOAD) - before)
                .as("bytes the second run sent: the rest, not the whole").isLessThan(3_000_000);
    }

    @Test
    void aCutDownloadKeepsNothingUnderTheFinalNameAndTheNextGoesOnFromWhatArrived() throws Exception {
        CurrentApiClient.Window w = upgraded();
        Path big = Dumps.random(Files.createDirectories(data().resolve("filestore/ab")).resolve("big.bin"), 8_000_000, 13);
        RsyncTransfer.Window window = new RsyncTransfer.Window("127.0.0.1", w.sshPort(), w.knownHosts());
        Path into = dir.resolve("upgraded");
        PLATFORM.sandbox.faults().cutTransfers(6_000_000, 1);

        assertThatThrownBy(() -> rsync.download(List.of("filestore"), into, window, key.privateKey(), TransferProgress.NONE))
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.isTransient()).isTrue());
        assertThat(into.resolve("filestore/ab/big.bin")).as("a half file under the final name").doesNotExist();
        long before = PLATFORM.sandbox.faults().transfers().bytes(TransferGauge.Kind.DOWNLOAD);

        rsync.download(List.of("filestore"), into, window, key.privateKey(), TransferProgress.NONE);

        assertThat(Dumps.sha256(into.resolve("filestore/ab/big.bin"))).isEqualTo(Dumps.sha256(big));
        assertThat(PLATFORM.sandbox.faults().transfers().bytes(TransferGauge.Kind.DOWNLOAD) - before)
                .as("bytes the second run fetched: the rest, not the whole (what was in ssh's buffers at the cut is fetched again)")
                .isLessThan(7_000_000);
        try (var files = Files.walk(into)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).doesNotContain(".rsync-partial");
        }
    }

    @Test
    void aServerThatIsNotTheWindowsIsRefusedForGood() throws Exception {
        Path dump = Dumps.plain(dir, "db.sql", "15.4");
        RsyncTransfer.Window real = window("upload");
        String otherKey = "[127.0.0.1]:" + real.port() + " " + SshKeyPair.generateEd25519("x").publicKey().replaceFirst(" x$", "") + "\n";
        RsyncTransfer.Window lying = new RsyncTransfer.Window(real.host(), real.port(), otherKey);

        assertThatThrownBy(() -> rsync.upload(dump, "origin.sql", lying, key.privateKey(), TransferProgress.NONE))
                .isInstanceOfSatisfying(TransferException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("Host key verification failed").doesNotContain("\n");
                });
        assertThat(data().resolve("origin.sql")).doesNotExist();
    }

    @Test
    void aDownloadBringsWhatThereIs() throws Exception {
        CurrentApiClient.Window w = upgraded();
        Path into = dir.resolve("upgraded");

        rsync.download(List.of(w.dumpName(), "filestore", "upgrade-report.html", "upgrade.log"), into,
                new RsyncTransfer.Window("127.0.0.1", w.sshPort(), w.knownHosts()), key.privateKey(), TransferProgress.NONE);

        assertThat(into.resolve(w.dumpName()).resolve("toc.dat")).exists();
        assertThat(into.resolve("filestore")).isDirectory();
        assertThat(into.resolve("upgrade.log")).content().contains("done: upgraded.dump");
    }

    /** The request, upgraded, with its download window open. */
    private CurrentApiClient.Window upgraded() throws Exception {
        Files.writeString(data().resolve("origin.sql"), Dumps.plainSql("15.4"));
        client.process(ref);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> client.status(ref).outcome() == CurrentApiClient.Outcome.SUCCEEDED);
        return client.startTransfer(ref, "download");
    }
}
