package io.github.odooupgrade.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.Sandbox;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.transfer.Downloaded;
import io.github.odooupgrade.transfer.FileRequestBody;
import io.github.odooupgrade.transfer.HttpDownload;
import io.github.odooupgrade.transfer.TransferProgress;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox over HTTPS with the certificate it makes itself, and the client trusting exactly that
 * certificate: the whole request over TLS with the download's SHA-256 checked; the JDK's trust store
 * refusing it; a host name the certificate does not give refused; the same certificate after a restart.
 */
class TlsTest {
    @TempDir
    Path dir;

    private Sandbox sandbox() {
        return Sandbox.start(SandboxOptions.parse("--data-dir", dir.resolve("sandbox").toString(), "--http-port", "0", "--sftp-port", "0",
                "--tls", "--pending", "100ms", "--progress", "100ms", "--test", "100ms"));
    }

    private static UpgradeClient trusting(Sandbox sandbox, Path certificate) {
        return new UpgradeClient(UpgradeClientConfig.of(sandbox.apiUrl()).withTrustedCertificate(certificate)
                .withRetries(2, Duration.ofMillis(50), Duration.ofMillis(100)));
    }

    @Test
    void aRequestGoesThroughTlsWithTheSandboxsOwnCertificate() throws Exception {
        try (Sandbox sandbox = sandbox()) {
            assertThat(sandbox.apiUrl()).startsWith("https://127.0.0.1:");
            UpgradeClient client = trusting(sandbox, sandbox.certificateFile());
            Path dump = Dumps.plain(dir, "secure.sql", "15.4");

            RequestRef ref = client.create(new CreateParams(SandboxOptions.DEFAULT_CONTRACT, "ops@example.com", "13.0", "test",
                    "secure.sql")).ref();
            client.upload(ref, FileRequestBody.of(dump, TransferProgress.NONE));
            client.skipTest(ref);
            client.process(ref);
            RequestStatus done = await().atMost(Duration.ofSeconds(20)).until(() -> client.status(ref), RequestStatus::isDelivered);

            assertThat(done.upgradedDumpUrl()).startsWith("https://127.0.0.1:");
            Downloaded got = new HttpDownload(client.httpClient(), 2, Duration.ofMillis(50), Duration.ofMillis(100))
                    .download(done.upgradedDumpUrl(), dir.resolve("upgraded_secure.sql"), TransferProgress.NONE);
            assertThat(got.sha256()).isEqualTo(Dumps.sha256(dump));
        }
    }

    @Test
    void aCertificateTheClientDoesNotTrustIsRefusedInOneLineAndNotTriedAgain() {
        try (Sandbox sandbox = sandbox()) {
            UpgradeClient jdkTrust = new UpgradeClient(UpgradeClientConfig.of(sandbox.apiUrl()));

            assertThatThrownBy(() -> jdkTrust.status(new RequestRef(1, "k")))
                    .isInstanceOfSatisfying(UpgradeTechnicalException.class, e -> {
                        assertThat(e.kind()).isEqualTo(UpgradeTechnicalException.Kind.TLS);
                        assertThat(e.isTransient()).isFalse();
                        assertThat(e.getMessage()).startsWith("status: the TLS certificate of https://127.0.0.1:")
                                .contains("is not trusted: give the server's certificate or its CA as a PEM file").doesNotContain("\n");
                    });
        }
    }

    @Test
    void aHostNameTheCertificateDoesNotGiveIsRefused() {
        try (Sandbox sandbox = sandbox()) {
            OkHttpClient viaOtherName = trusting(sandbox, sandbox.certificateFile()).httpClient().newBuilder()
                    .dns(host -> List.of(InetAddress.getLoopbackAddress())).build();
            String url = sandbox.apiUrl().replace("127.0.0.1", "upgrade.invalid") + "/status";

            assertThatThrownBy(() -> {
                try (Response r = viaOtherName.newCall(new Request.Builder().url(url).build()).execute()) {
                    r.code();
                }
            }).isInstanceOf(SSLPeerUnverifiedException.class).hasMessageContaining("upgrade.invalid");
        }
    }

    @Test
    void aRestartedSandboxServesTheSameCertificate() throws Exception {
        String first;
        try (Sandbox sandbox = sandbox()) {
            first = Files.readString(sandbox.certificateFile());
            assertThat(Files.getPosixFilePermissions(sandbox.certificateFile().resolveSibling("private-key.pem")))
                    .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        }
        try (Sandbox again = sandbox()) {
            assertThat(Files.readString(again.certificateFile())).isEqualTo(first);
            trusting(again, again.certificateFile()).probe(); // answers over TLS with the certificate trusted before
        }
    }
}
