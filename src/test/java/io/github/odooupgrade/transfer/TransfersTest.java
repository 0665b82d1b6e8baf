package io.github.odooupgrade.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.odooupgrade.api.CreateParams;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.api.Requests;
import io.github.odooupgrade.api.SftpAccess;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.SandboxFixture;
import io.github.odooupgrade.sandbox.SandboxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Uploads and downloads over the sandbox's real HTTP and SFTP servers, cut at several points. */
class TransfersTest {
    private static final long SIZE = 8_000_000;

    @TempDir
    static Path files;
    @RegisterExtension
    static final SandboxFixture platform = SandboxFixture.perClass("--test", "1h");
    static UpgradeClient client;
    static Path dump;
    static String dumpSha;
    static HostKeyPolicy sandboxHostKey;

    @BeforeAll
    static void start() throws Exception {
        client = new UpgradeClient(UpgradeClientConfig.of(platform.sandbox.apiUrl()).withRetries(4, Duration.ofMillis(10), Duration.ofMillis(50)));
        dump = Dumps.sqlHeadedRandom(files.resolve("shop.sql"), SIZE, 5);
        dumpSha = Dumps.sha256(dump);
        sandboxHostKey = HostKeyPolicy.knownHosts(platform.dataDir.resolve("ssh/known_hosts"));
    }

    /** Records where each attempt started: a new attempt is a progress value lower than the last. */
    static final class Attempts implements TransferProgress {
        final List<Long> starts = new ArrayList<>();
        long last = -1;

        @Override
        public synchronized void update(long done, long total) {
            if (last < 0 || done < last) {
                starts.add(done);
            }
            last = done;
        }
    }

    static SftpTransfer sftp(HostKeyPolicy hostKeys) {
        return new SftpTransfer(hostKeys, Duration.ofSeconds(10), 4, Duration.ofMillis(10), Duration.ofMillis(50));
    }

    static RequestRef draft(String filename) {
        return client.create(new CreateParams(SandboxOptions.DEFAULT_CONTRACT, "ops@example.com", "13.0", "test", filename)).ref();
    }

    static Path stored(RequestRef ref, String name) {
        return platform.sandbox.store().filesDir(ref.id()).resolve(name);
    }

    @ParameterizedTest(name = "cut after {0} bytes")
    @ValueSource(longs = {0, 65_536, 3_000_000, 7_999_000})
    void anHttpsUploadCutAnywhereIsSentAgainWhole(long cutAt) throws Exception {
        RequestRef ref = draft("shop.sql");
        platform.sandbox.faults().cutTransfers(cutAt, 1);
        Attempts attempts = new Attempts();

        client.upload(ref, FileRequestBody.of(dump, attempts));

        assertThat(Dumps.sha256(stored(ref, "shop.sql"))).isEqualTo(dumpSha);
        assertThat(attempts.starts).as("sent twice, from the start each time").containsExactly(0L, 0L);
        assertThat(attempts.last).isEqualTo(SIZE);
    }

    @ParameterizedTest(name = "cut after {0} bytes")
    @ValueSource(longs = {100_000, 3_000_000, 7_900_000})
    void anSftpUploadCutAnywhereResumesWhereItStopped(long cutAt) throws Exception {
        RequestRef ref = draft("shop.sql");
        SshKeyPair key = SshKeyPair.generateEd25519("request " + ref.id());
        SftpAccess access = client.requestSftpAccess(ref, key.publicKey());
        // a resumed attempt that re-sent everything would be cut again by the second cut
        platform.sandbox.faults().cutTransfers(cutAt, 1);
        Attempts attempts = new Attempts();

        sftp(sandboxHostKey).upload(access, key, dump, attempts);

        assertThat(Dumps.sha256(stored(ref, "shop.sql"))).isEqualTo(dumpSha);
        assertThat(attempts.starts).hasSize(2);
        assertThat(attempts.starts.get(1)).as("the second attempt starts where the server stopped").isPositive().isLessThanOrEqualTo(cutAt);
        assertThat(client.status(ref).compressions()).containsExactly("sql");
    }

    @Test
    void anSftpUploadCutTwiceResumesTwice() throws Exception {
        RequestRef ref = draft("shop.sql");
        SshKeyPair key = SshKeyPair.generateEd25519("twice");
        SftpAccess access = client.requestSftpAccess(ref, key.publicKey());
        platform.sandbox.faults().cutTransfers(2_500_000, 2);
        Attempts attempts = new Attempts();

        sftp(sandboxHostKey).upload(access, key, dump, attempts);

        assertThat(Dumps.sha256(stored(ref, "shop.sql"))).isEqualTo(dumpSha);
        // each transfer is cut after 2.5 MB: the second starts at most there, the third at most 2.5 MB further
        assertThat(attempts.starts).hasSize(3);
        assertThat(attempts.starts.get(0)).isZero();
        assertThat(attempts.starts.get(1)).isPositive().isLessThanOrEqualTo(2_500_000);
        assertThat(attempts.starts.get(2)).isGreaterThan(attempts.starts.get(1)).isLessThanOrEqualTo(attempts.starts.get(1) + 2_500_000);
    }

    @Test
    void anSftpUploadOfAFileAlreadyCompleteSendsNothing() throws Exception {
        RequestRef ref = draft("shop.sql");
        SshKeyPair key = SshKeyPair.generateEd25519("done");
        SftpAccess access = client.requestSftpAccess(ref, key.publicKey());
        sftp(sandboxHostKey).upload(access, key, dump, TransferProgress.NONE);
        platform.sandbox.faults().cutTransfers(0, 1); // armed for the next file the server opens
        Attempts attempts = new Attempts();

        sftp(sandboxHostKey).upload(access, key, dump, attempts);

        assertThat(attempts.starts).as("one attempt, already at the end").containsExactly(SIZE);
        assertThat(platform.sandbox.faults().cutPointForNewTransfer()).as("the server opened no file: the cut is still armed").isZero();
        assertThat(Dumps.sha256(stored(ref, "shop.sql"))).isEqualTo(dumpSha);
    }

    /** A request with the dump uploaded over HTTPS, processed and delivered. */
    static RequestStatus delivered(String filename) throws Exception {
        RequestRef ref = draft(filename);
        client.upload(ref, FileRequestBody.of(dump, TransferProgress.NONE));
        client.skipTest(ref);
        client.process(ref);
        RequestStatus s = Requests.awaitEnd(client, ref);
        assertThat(s.state()).isEqualTo("delivered");
        return s;
    }

    @ParameterizedTest(name = "cut after {0} bytes")
    @ValueSource(longs = {0, 1_000_000, 7_999_999})
    void anHttpsDownloadCutAnywhereResumesWithRange(long cutAt) throws Exception {
        RequestStatus done = delivered("shop.sql");
        Path target = files.resolve("upgraded-" + cutAt + ".sql");
        platform.sandbox.faults().cutTransfers(cutAt, 1);

        Downloaded got = new HttpDownload(client.httpClient(), 4, Duration.ofMillis(10), Duration.ofMillis(50))
                .download(done.upgradedDumpUrl(), target, TransferProgress.NONE);

        assertThat(got.file()).isEqualTo(target);
        assertThat(got.size()).isEqualTo(SIZE);
        assertThat(got.sha256()).isEqualTo(dumpSha).isEqualTo(Dumps.sha256(target));
        assertThat(Downloaded.partOf(target)).doesNotExist();
    }

    @Test
    void aDownloadThatNeverCompletesLeavesNothingUnderTheFinalName() throws Exception {
        RequestStatus done = delivered("shop.sql");
        Path target = files.resolve("never.sql");
        platform.sandbox.faults().cutTransfers(1_000_000, -1);
        try {
            assertThatThrownBy(() -> new HttpDownload(client.httpClient(), 2, Duration.ofMillis(5), Duration.ofMillis(10))
                    .download(done.upgradedDumpUrl(), target, TransferProgress.NONE))
                    .isInstanceOf(TransferException.class).hasMessageContaining("/***/upgraded/archive");
        } finally {
            platform.sandbox.faults().cutTransfers(-1, 0);
        }
        assertThat(target).doesNotExist();
        assertThat(Downloaded.partOf(target)).exists();
    }

    /**
     * A server that stops sending half way: the read timeout (kept by the socket for bulk downloads, not by
     * okio's watchdog) ends the attempt as a transient fault, and a later attempt resumes the part file.
     */
    @Test
    void aDownloadThatStallsIsGivenUpAfterTheReadTimeoutAndResumedLater() throws Exception {
        RequestStatus done = delivered("shop.sql");
        Path target = files.resolve("stalled.sql");
        OkHttpClient impatient = client.httpClient().newBuilder().readTimeout(Duration.ofMillis(300)).build();
        platform.sandbox.faults().slowTransfers(1); // a byte a second: every read waits longer than 300 ms
        try {
            TransferException stalled = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> catchThrowableOfType(TransferException.class,
                    () -> new HttpDownload(impatient, 1, Duration.ofMillis(5), Duration.ofMillis(10))
                            .download(done.upgradedDumpUrl(), target, TransferProgress.NONE)));
            assertThat(stalled).as("the stalled download's fault").isNotNull().hasMessageContaining("timed out");
            assertThat(stalled.isTransient()).isTrue();
        } finally {
            platform.sandbox.faults().slowTransfers(-1);
        }
        assertThat(Downloaded.partOf(target)).exists();

        Attempts attempts = new Attempts();
        Downloaded got = new HttpDownload(impatient, 1, Duration.ofMillis(5), Duration.ofMillis(10))
                .download(done.upgradedDumpUrl(), target, attempts);
        assertThat(got.sha256()).isEqualTo(dumpSha);
        assertThat(attempts.starts).as("resumed where the stalled one stopped").singleElement().asString().isNotEqualTo("0");
    }

    @Test
    void anSftpDownloadCutResumesAndIsVerified() throws Exception {
        RequestStatus done = delivered("shop.sql");
        SshKeyPair key = SshKeyPair.generateEd25519("dl");
        SftpAccess access = client.requestSftpAccess(done.ref(), key.publicKey());
        Path target = files.resolve("sftp-upgraded.sql");
        platform.sandbox.faults().cutTransfers(3_000_000, 1);

        Downloaded got = sftp(sandboxHostKey).download(access, key, target, TransferProgress.NONE);

        assertThat(got.sha256()).isEqualTo(dumpSha);
        assertThat(got.size()).isEqualTo(SIZE);
        assertThat(Downloaded.partOf(target)).doesNotExist();
    }

    @Test
    void aChangedHostKeyIsRefusedWhateverThePolicy() throws Exception {
        RequestRef ref = draft("shop.sql");
        SshKeyPair key = SshKeyPair.generateEd25519("hk");
        SftpAccess access = client.requestSftpAccess(ref, key.publicKey());
        Path otherKnownHosts = files.resolve("known_hosts_other");
        Files.writeString(otherKnownHosts, "[127.0.0.1]:" + access.sftpPort()
                + " ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOGWQmILQXOMbhVZNoXbUqq8n23A8WTk5MmEuo5A/qxycR7ORqlWrQNs//GhAU8Dlchr2wUQqRHl3mJceKS+Ink=\n");

        for (HostKeyPolicy policy : new HostKeyPolicy[] {HostKeyPolicy.knownHosts(otherKnownHosts), HostKeyPolicy.acceptNew(otherKnownHosts),
                HostKeyPolicy.pinned("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")}) {
            assertThatThrownBy(() -> sftp(policy).upload(access, key, dump, TransferProgress.NONE))
                    .isInstanceOfSatisfying(TransferException.class, e -> {
                        assertThat(e.isTransient()).as("not retried").isFalse();
                        assertThat(e.getMessage()).contains("host key is not the trusted one");
                    });
        }
        assertThat(stored(ref, "shop.sql")).doesNotExist();
    }

    @Test
    void thePinnedFingerprintAndTrustOnFirstUseConnectToTheRightServer() throws Exception {
        RequestRef ref = draft("shop.sql");
        SshKeyPair key = SshKeyPair.generateEd25519("pin");
        SftpAccess access = client.requestSftpAccess(ref, key.publicKey());

        sftp(HostKeyPolicy.pinned(platform.sandbox.sftp().hostKeyFingerprint())).upload(access, key, dump, TransferProgress.NONE);
        assertThat(Dumps.sha256(stored(ref, "shop.sql"))).isEqualTo(dumpSha);

        Path fresh = files.resolve("tofu/known_hosts");
        sftp(HostKeyPolicy.acceptNew(fresh)).upload(access, key, dump, TransferProgress.NONE);
        assertThat(Files.readString(fresh)).contains("ecdsa-sha2-nistp256");
        sftp(HostKeyPolicy.knownHosts(fresh)).upload(access, key, dump, TransferProgress.NONE);
    }

    @Test
    void aKeyTheServiceDoesNotKnowIsRefusedWithoutRetrying() {
        RequestRef ref = draft("shop.sql");
        SftpAccess access = client.requestSftpAccess(ref, SshKeyPair.generateEd25519("registered").publicKey());

        assertThatThrownBy(() -> sftp(sandboxHostKey).upload(access, SshKeyPair.generateEd25519("stranger"), dump, TransferProgress.NONE))
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.isTransient()).isFalse());
    }
}
