package io.github.odooupgrade.sandbox;

import static io.github.odooupgrade.sandbox.SandboxFixture.auth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The faults other components are tested against: 5xx answers, cut transfers, failing upgrades. */
class FaultInjectionTest {
    @TempDir
    Path data;
    @TempDir
    Path files;
    SandboxFixture platform;

    @BeforeEach
    void start() {
        platform = SandboxFixture.start(data);
    }

    @AfterEach
    void stop() {
        platform.close();
    }

    @Test
    void theNextCallsCanBeAnswered503WithABodyThatIsNotJson() {
        platform.sandbox.faults().failNextCalls(2);
        HttpRequest create = HttpRequest.newBuilder(URI.create(platform.url("create?contract=x"))).build();

        HttpResponse<String> first = platform.send(create);
        HttpResponse<String> second = platform.send(create);
        HttpResponse<String> third = platform.send(create);

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.body()).startsWith("<html>");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(platform.sandbox.store().all()).as("a 503 created nothing").isEmpty();
    }

    @Test
    void anErrorRateOf100AnswersEveryCall503() {
        platform.close();
        platform = SandboxFixture.start(data, "--error-rate", "100");
        for (int i = 0; i < 5; i++) {
            assertThat(platform.send(HttpRequest.newBuilder(URI.create(platform.url("status"))).build()).statusCode()).isEqualTo(503);
        }
    }

    @Test
    void aCutHttpUploadLeavesNoFileAndARetrySucceeds() throws Exception {
        JsonNode r = platform.create("cut.sql", "test");
        long id = r.path("id").asLong();
        String key = r.path("key").asText();
        Path dump = Dumps.sqlHeadedRandom(files.resolve("cut.sql"), 3_000_000, 1);
        platform.sandbox.faults().cutTransfers(1_000_000, 1);

        assertThatThrownBy(() -> platform.upload(id, key, dump)).isInstanceOf(UncheckedIOException.class);

        JsonNode afterCut = platform.status(id, key);
        assertThat(afterCut.path("state").asText()).isEqualTo("draft");
        assertThat(afterCut.path("filesize").isNull()).as("no half file poses as the dump").isTrue();
        try (var left = Files.list(platform.sandbox.store().filesDir(id))) {
            assertThat(left).isEmpty();
        }
        try (var parts = Files.list(platform.sandbox.store().incomingDir(id))) {
            assertThat(parts).as("the part file is removed").isEmpty();
        }

        assertThat(platform.upload(id, key, dump).path("failures")).isEmpty();
        assertThat(platform.status(id, key).path("compressions")).extracting(JsonNode::asText).containsExactly("sql");
        assertThat(Dumps.sha256(platform.sandbox.store().filesDir(id).resolve("cut.sql"))).isEqualTo(Dumps.sha256(dump));
    }

    @Test
    void anUploadShorterThanAnnouncedIsNotKept() throws Exception {
        JsonNode r = platform.create("short.sql", "test");
        long id = r.path("id").asLong();
        HttpURLConnection c = (HttpURLConnection) URI.create(platform.url("upload") + "?" + SandboxFixture.form(auth(id,
                r.path("key").asText()))).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(10_000);
        c.setRequestProperty("Content-Type", "application/octet-stream");
        OutputStream out = c.getOutputStream();
        out.write(Dumps.plainSql("15.2").getBytes());
        out.flush();
        Path incoming = platform.sandbox.store().incomingDir(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> count(incoming) == 1); // the server is writing its part file
        c.disconnect(); // the client dies mid-body

        // the server's own signal that it gave up: its part file is gone
        await().atMost(Duration.ofSeconds(10)).until(() -> count(incoming) == 0);
        assertThat(platform.status(id, r.path("key").asText()).path("filesize").isNull()).isTrue();
        assertThat(count(platform.sandbox.store().filesDir(id))).as("nothing kept under the shared name").isZero();
    }

    private static long count(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void aCutDownloadResumesWithRangeToTheSameBytes() throws Exception {
        JsonNode r = platform.create("dl.sql", "test");
        long id = r.path("id").asLong();
        String key = r.path("key").asText();
        Path dump = Dumps.sqlHeadedRandom(files.resolve("dl.sql"), 2_000_000, 2);
        platform.upload(id, key, dump);
        platform.get("process", auth(id, key));
        String url = platform.awaitState(id, key, "done").path("upgraded_dump_url").asText();
        platform.sandbox.faults().cutTransfers(700_000, 1);

        byte[] first = readUntilCut(url);
        assertThat(first.length).isEqualTo(700_000);
        HttpResponse<byte[]> rest = platform.download(url, "bytes=" + first.length + "-");

        byte[] whole = Files.readAllBytes(dump);
        assertThat(rest.statusCode()).isEqualTo(206);
        byte[] joined = Arrays.copyOf(first, first.length + rest.body().length);
        System.arraycopy(rest.body(), 0, joined, first.length, rest.body().length);
        assertThat(joined).isEqualTo(whole);
    }

    /** Reads what arrives before the server drops the connection. */
    private static byte[] readUntilCut(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream in = c.getInputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                got.write(buffer, 0, n);
            }
            throw new AssertionError("the download was not cut");
        } catch (IOException expected) {
            return got.toByteArray();
        }
    }

    @Test
    void aCutSftpUploadKeepsWhatArrivedForAResume() throws Exception {
        var keys = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        JsonNode r = platform.create("sftp.sql", "test");
        long id = r.path("id").asLong();
        platform.post("request_sftp_access", Map.of("request", Long.toString(id), "key", r.path("key").asText(),
                "ssh_keys", PublicKeyEntry.toString(keys.getPublic())));
        byte[] dump = Files.readAllBytes(Dumps.sqlHeadedRandom(files.resolve("sftp.sql"), 1_000_000, 3));
        platform.sandbox.faults().cutTransfers(300_000, 1);

        try (SshClient client = SshClient.setUpDefaultClient()) {
            client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE,
                    data.resolve("ssh").resolve("known_hosts")));
            client.start();
            assertThatThrownBy(() -> {
                try (ClientSession s = session(client, id, keys); SftpClient sftp = SftpClientFactory.instance().createSftpClient(s);
                        OutputStream out = sftp.write("sftp.sql")) {
                    for (int off = 0; off < dump.length; off += 32768) {
                        out.write(dump, off, Math.min(32768, dump.length - off));
                    }
                }
            }).isInstanceOf(IOException.class);

            Path onServer = platform.sandbox.store().filesDir(id).resolve("sftp.sql");
            long kept = Files.size(onServer);
            assertThat(kept).isPositive().isLessThanOrEqualTo(300_000);
            assertThat(Files.readAllBytes(onServer)).isEqualTo(Arrays.copyOf(dump, (int) kept));

            try (ClientSession s = session(client, id, keys); SftpClient sftp = SftpClientFactory.instance().createSftpClient(s);
                    SftpClient.CloseableHandle h = sftp.open("sftp.sql", SftpClient.OpenMode.Write, SftpClient.OpenMode.Append)) {
                sftp.write(h, kept, dump, (int) kept, dump.length - (int) kept);
            }
            assertThat(Files.readAllBytes(onServer)).isEqualTo(dump);
        }
    }

    private ClientSession session(SshClient client, long id, java.security.KeyPair keys) throws IOException {
        ClientSession s = client.connect("user_" + id, "127.0.0.1", platform.sandbox.sftpPort()).verify(Duration.ofSeconds(5)).getSession();
        s.addPublicKeyIdentity(keys);
        s.auth().verify(Duration.ofSeconds(5));
        return s;
    }
}
