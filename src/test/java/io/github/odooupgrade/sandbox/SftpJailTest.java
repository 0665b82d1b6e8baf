package io.github.odooupgrade.sandbox;

import static io.github.odooupgrade.sandbox.SandboxFixture.auth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each SFTP account sees exactly one file; every way out is refused. Driven with MINA's SFTP
 * client so each operation's answer can be checked on its own.
 */
class SftpJailTest {
    @TempDir
    static Path files;
    @RegisterExtension
    static final SandboxFixture platform = SandboxFixture.perClass("--test", "1h");
    static SshClient client;
    static KeyPair alice;
    static KeyPair bob;

    @BeforeAll
    static void start() throws Exception {
        client = SshClient.setUpDefaultClient();
        // the sandbox writes its host key where clients can pin it
        client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE,
                platform.dataDir.resolve("ssh").resolve("known_hosts")));
        client.start();
        alice = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        bob = KeyUtils.generateKeyPair("ssh-ed25519", 256);
    }

    @AfterAll
    static void stop() throws IOException {
        client.stop();
    }

    record Access(long id, String key, String user, String sharedFile) {}

    private static Access draftWithSftp(String filename, KeyPair keyPair) throws Exception {
        JsonNode r = platform.create(filename, "test");
        long id = r.path("id").asLong();
        String key = r.path("key").asText();
        JsonNode answer = platform.post("request_sftp_access", Map.of("request", Long.toString(id), "key", key,
                "ssh_keys", "# laptop\n\n" + PublicKeyEntry.toString(keyPair.getPublic()) + " me@laptop\n"));
        assertThat(answer.path("failures")).isEmpty();
        JsonNode access = answer.path("request");
        assertThat(access.path("sftp_port").asInt()).isEqualTo(platform.sandbox.sftpPort());
        assertThat(access.path("hostname").asText()).isEqualTo("127.0.0.1");
        assertThat(access.path("request_id").asLong()).isEqualTo(id);
        assertThat(access.path("sample_command").asText())
                .isEqualTo("sftp -P " + platform.sandbox.sftpPort() + " user_" + id + "@127.0.0.1");
        return new Access(id, key, access.path("sftp_user").asText(), access.path("shared_file").asText());
    }

    private static ClientSession login(String user, KeyPair keyPair) throws IOException {
        ClientSession session = client.connect(user, "127.0.0.1", platform.sandbox.sftpPort())
                .verify(Duration.ofSeconds(10)).getSession();
        session.addPublicKeyIdentity(keyPair);
        session.auth().verify(Duration.ofSeconds(10));
        return session;
    }

    private static void write(SftpClient sftp, String path, byte[] bytes) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(bytes);
        }
    }

    private static void assertRefused(ThrowingRunnable action) {
        assertThatThrownBy(action::run).isInstanceOf(SftpException.class)
                .satisfies(e -> assertThat(((SftpException) e).getStatus())
                        .isIn(SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_NO_SUCH_FILE,
                                SftpConstants.SSH_FX_OP_UNSUPPORTED));
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aDraftAccountWritesAppendsAndSeesOnlyItsSharedFile() throws Exception {
        Access a = draftWithSftp("shop.dump", alice);
        assertThat(a.user()).isEqualTo("user_" + a.id());
        assertThat(a.sharedFile()).isEqualTo("shop.dump");
        byte[] sql = Dumps.plainSql("13.1").getBytes(StandardCharsets.UTF_8);

        try (ClientSession session = login(a.user(), alice); SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            write(sftp, "shop.dump", Arrays.copyOf(sql, 40));
            try (SftpClient.CloseableHandle h = sftp.open("shop.dump", SftpClient.OpenMode.Write, SftpClient.OpenMode.Append)) {
                sftp.write(h, 40, sql, 40, sql.length - 40);
            }
            assertThat(sftp.stat("shop.dump").getSize()).isEqualTo(sql.length);
            List<String> names = StreamSupport.stream(sftp.readDir(".").spliterator(), false)
                    .map(SftpClient.DirEntry::getFilename).filter(n -> !n.equals(".") && !n.equals("..")).toList();
            assertThat(names).containsExactly("shop.dump");
        }
        JsonNode status = platform.status(a.id(), a.key());
        assertThat(status.path("compressions")).extracting(JsonNode::asText).containsExactly("sql");
        assertThat(Files.readAllBytes(platform.sandbox.store().filesDir(a.id()).resolve("shop.dump"))).isEqualTo(sql);
    }

    @Test
    void everyWayOutOfTheJailIsRefused() throws Exception {
        Access a = draftWithSftp("jail.dump", alice);
        Access other = draftWithSftp("secret.dump", bob);
        Files.writeString(platform.sandbox.store().filesDir(other.id()).resolve("secret.dump"), "bob's data");

        try (ClientSession session = login(a.user(), alice); SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            write(sftp, "jail.dump", "x".getBytes());
            assertRefused(() -> write(sftp, "other.dump", "x".getBytes()));
            assertRefused(() -> sftp.read("/etc/passwd").close());
            assertRefused(() -> sftp.read("../request.json").close());
            assertRefused(() -> sftp.read("../../" + other.id() + "/files/secret.dump").close());
            assertRefused(() -> sftp.read("/" + other.id() + "/files/secret.dump").close());
            assertRefused(() -> sftp.mkdir("folder"));
            assertRefused(() -> sftp.rename("jail.dump", "moved.dump"));
            assertRefused(() -> sftp.remove("jail.dump"));
            assertRefused(() -> sftp.symLink("escape", "/etc/passwd"));
            assertRefused(() -> sftp.symLink("jail.dump", "escape"));
            assertRefused(() -> sftp.readLink("jail.dump"));
            // above the root is the root: ".." leads nowhere but back to the one file
            assertThat(sftp.canonicalPath("../../..")).isEqualTo("/");
            List<String> aboveRoot = StreamSupport.stream(sftp.readDir("../..").spliterator(), false)
                    .map(SftpClient.DirEntry::getFilename).filter(n -> !n.equals(".") && !n.equals("..")).toList();
            assertThat(aboveRoot).containsExactly("jail.dump");
        }
        assertThat(Files.readString(platform.sandbox.store().filesDir(other.id()).resolve("secret.dump"))).isEqualTo("bob's data");
        assertThat(Files.exists(platform.sandbox.store().filesDir(a.id()).resolve("other.dump"))).isFalse();
        assertThat(Files.exists(platform.sandbox.store().filesDir(a.id()).resolve("folder"))).isFalse();
    }

    @Test
    void onlyTheRegisteredKeysOfThatRequestLogIn() throws Exception {
        Access a = draftWithSftp("keys.dump", alice);
        Access b = draftWithSftp("keys2.dump", bob);

        assertThatThrownBy(() -> login(a.user(), bob).close()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> login(b.user(), alice).close()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> login("root", alice).close()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> login("user_999999", alice).close()).isInstanceOf(IOException.class);
    }

    @Test
    void noShellNoExecOnlySftp() throws Exception {
        Access a = draftWithSftp("shell.dump", alice);
        Path identity = files.resolve("alice");
        try (OutputStream out = Files.newOutputStream(identity)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(alice, "alice", null, out);
        }
        Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-------"));
        String port = Integer.toString(platform.sandbox.sftpPort());
        String knownHosts = "UserKnownHostsFile=" + platform.dataDir.resolve("ssh/known_hosts");
        String destination = a.user() + "@127.0.0.1";

        // OpenSSH's own client, as a person would try it: the server answers each request with a refusal
        Ran exec = ssh("id\n", "-i", identity.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", knownHosts,
                "-p", port, destination, "id");
        assertThat(exec.exit()).as(exec.output()).isNotZero();
        assertThat(exec.output()).contains("exec request failed").doesNotContain("uid=");
        Ran shell = ssh("id\n", "-T", "-i", identity.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", knownHosts,
                "-p", port, destination);
        assertThat(shell.exit()).as(shell.output()).isNotZero();
        assertThat(shell.output()).contains("shell request failed").doesNotContain("uid=");
        // the same key on the same account still gets its SFTP subsystem
        Ran sftp = ssh("", "-s", "-i", identity.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", knownHosts,
                "-p", port, destination, "sftp");
        assertThat(sftp.output()).doesNotContain("request failed");
    }

    private record Ran(int exit, String output) {}

    private static Ran ssh(String stdin, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("ssh"));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("ssh ended").isTrue();
        return new Ran(p.exitValue(), output);
    }

    @Test
    void whileProcessingNothingIsVisibleAndOnceDoneOnlyTheUpgradedFileReadOnly() throws Exception {
        Access a = draftWithSftp("life.dump", alice);
        byte[] sql = Dumps.plainSql("11.2").getBytes(StandardCharsets.UTF_8);
        try (ClientSession session = login(a.user(), alice); SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            write(sftp, "life.dump", sql);
        }
        platform.get("process", auth(a.id(), a.key()));
        platform.awaitState(a.id(), a.key(), "test");

        assertThatThrownBy(() -> login(a.user(), alice).close()).as("no SFTP while the platform works").isInstanceOf(IOException.class);

        platform.get("skip_test", auth(a.id(), a.key()));
        platform.awaitState(a.id(), a.key(), "delivered");
        try (ClientSession session = login(a.user(), alice); SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            try (InputStream in = sftp.read("upgraded_life.dump")) {
                assertThat(in.readAllBytes()).isEqualTo(sql);
            }
            assertRefused(() -> write(sftp, "upgraded_life.dump", "tamper".getBytes()));
            assertRefused(() -> sftp.read("life.dump").close());
            assertRefused(() -> write(sftp, "life.dump", "late upload".getBytes()));
        }
        assertThat(Files.readAllBytes(platform.sandbox.store().filesDir(a.id()).resolve("upgraded_life.dump"))).isEqualTo(sql);
    }

    @Test
    void sftpAccessForDownloadCanBeAskedOnceDone() throws Exception {
        JsonNode r = platform.create("https.dump", "test");
        long id = r.path("id").asLong();
        String key = r.path("key").asText();
        platform.upload(id, key, Dumps.plain(files, "https.dump", "15.1"));
        platform.get("process", auth(id, key));
        platform.get("skip_test", auth(id, key));
        platform.awaitState(id, key, "delivered");

        JsonNode answer = platform.post("request_sftp_access", Map.of("request", Long.toString(id), "key", key,
                "ssh_keys", PublicKeyEntry.toString(bob.getPublic())));
        assertThat(answer.path("failures")).isEmpty();

        try (ClientSession session = login("user_" + id, bob); SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            try (InputStream in = sftp.read("upgraded_https.dump")) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(Dumps.plainSql("15.1"));
            }
        }
    }
}
