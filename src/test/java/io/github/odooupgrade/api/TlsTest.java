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
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLServerSocket;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox over HTTPS with the certificate it makes itself, and the client trusting exactly that
 * certificate: the whole request over TLS with the download's SHA-256 checked; the JDK's trust store
 * refusing it; a host name the certificate does not give refused; the same certificate after a restart.
 * And an upload's records, as a TLS server of the test's own receives them.
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
    void withACertificateGivenAnotherOneIsRefusedThoughTheJdkWouldNotBeAsked() throws Exception {
        Path other = Files.writeString(dir.resolve("other.pem"), new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1")
                .build().certificatePem());
        try (Sandbox sandbox = sandbox()) {
            UpgradeClient trustingAnother = trusting(sandbox, other);

            assertThatThrownBy(trustingAnother::probe).isInstanceOfSatisfying(UpgradeTechnicalException.class, e -> {
                assertThat(e.kind()).isEqualTo(UpgradeTechnicalException.Kind.TLS);
                assertThat(e.isTransient()).isFalse();
                assertThat(e.getMessage()).contains("the TLS certificate of https://127.0.0.1:").contains("is not trusted")
                        .doesNotContain("\n");
            });
        }
    }

    /** A server whose certificate is trusted but names another host: the client says so in one line, and does not try again. */
    @Test
    void aHostNameTheCertificateDoesNotGiveIsRefusedInOneLine() throws Exception {
        HeldCertificate elsewhere = new HeldCertificate.Builder().addSubjectAlternativeName("upgrade.example").build();
        Path certificate = Files.writeString(dir.resolve("elsewhere.pem"), elsewhere.certificatePem());
        try (SSLServerSocket server = (SSLServerSocket) new HandshakeCertificates.Builder().heldCertificate(elsewhere).build().sslContext()
                .getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            AtomicInteger handshakes = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        handshakes.incrementAndGet();
                        s.getInputStream().read(); // the handshake; the client hangs up after it
                    } catch (Exception e) {
                        // the next one
                    }
                }
            });
            UpgradeClient client = new UpgradeClient(UpgradeClientConfig.of("https://127.0.0.1:" + server.getLocalPort() + "/database/v1")
                    .withTrustedCertificate(certificate).withRetries(3, Duration.ofMillis(5), Duration.ofMillis(10)));

            assertThatThrownBy(() -> client.status(new RequestRef(1, "k"))).isInstanceOfSatisfying(UpgradeTechnicalException.class, e -> {
                assertThat(e.kind()).isEqualTo(UpgradeTechnicalException.Kind.TLS);
                assertThat(e.getMessage()).startsWith("status: the TLS certificate of https://127.0.0.1:" + server.getLocalPort())
                        .contains("is not for that host name: use the name the certificate gives").doesNotContain("\n");
            });
            assertThat(handshakes.get()).as("connections: no second try").isEqualTo(1);
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

    /**
     * okio hands the socket 8 KiB at a time and the JDK's TLS makes a record of every write; the client gathers
     * the writes, so that an upload goes out in records of the most TLS allows (16 KiB), as curl's do. A read of
     * the JDK's TLS gives at most one record's bytes: the largest read of a server reading 64 KiB at a time is
     * the largest record.
     */
    @Test
    void anUploadGoesOutInRecordsOfTheMostTlsAllows() throws Exception {
        HeldCertificate held = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
        Path certificate = Files.writeString(dir.resolve("server.pem"), held.certificatePem());
        Path dump = dir.resolve("records.dump");
        byte[] bytes = new byte[1 << 20];
        new Random(7).nextBytes(bytes);
        Files.write(dump, bytes);
        try (SSLServerSocket server = (SSLServerSocket) new HandshakeCertificates.Builder().heldCertificate(held).build().sslContext()
                .getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            AtomicInteger largest = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    readRequest(s.getInputStream(), largest);
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
                            + "{\"failures\":[]}").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                } catch (Exception e) {
                    // the client's assertion says what went wrong
                }
            });
            UpgradeClient client = new UpgradeClient(UpgradeClientConfig.of("https://127.0.0.1:" + server.getLocalPort() + "/v1")
                    .withTrustedCertificate(certificate).withRetries(1, Duration.ofMillis(5), Duration.ofMillis(10)));

            client.upload(new RequestRef(1, "k"), FileRequestBody.of(dump, TransferProgress.NONE));

            // not okio's 8 KiB segment: 16 KiB, less what the JDK keeps of a record for the TLS 1.3 content type and tag
            assertThat(largest.get()).as("the largest TLS record of the upload").isBetween(16 * 1024 - 64, 16 * 1024);
        }
    }

    /** Reads one request (headers, then Content-Length bytes), keeping the size of its largest read. */
    private static void readRequest(InputStream in, AtomicInteger largest) throws Exception {
        byte[] buffer = new byte[1 << 16];
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        long expected = -1;
        long total = 0;
        while (expected < 0 || total < expected) {
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            largest.accumulateAndGet(n, Math::max);
            total += n;
            if (expected < 0) {
                head.write(buffer, 0, n);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                if (end >= 0 && length.find()) {
                    expected = end + 4 + Long.parseLong(length.group(1));
                }
            }
        }
    }
}
