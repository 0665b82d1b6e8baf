package io.github.odooupgrade.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an rsync window of today's API lets a client do, tried with the real OpenSSH ssh and rsync as Odoo's client
 * runs them: rsync into /data and nothing else — no shell, no other command, no path outside /data, no link that
 * points out, no other request's key, no other user, no forwarding, and nothing once the window is closed.
 */
class RsyncJailTest {
    @RegisterExtension
    static final SandboxFixture PLATFORM = SandboxFixture.perClass();

    @TempDir
    Path dir;

    private CurrentClient odoo;
    private String token;
    private long requestId;
    private int port;

    @BeforeEach
    void anUploadWindow() throws Exception {
        odoo = new CurrentClient(PLATFORM.sandbox.currentApiUrl(), dir.resolve("odoo"));
        var created = odoo.create(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test");
        token = created.get("token").asText();
        requestId = created.get("request_id").asLong();
        port = odoo.startTransfer(token, "upload");
        Files.writeString(odoo.dir.resolve("db.sql"), Dumps.plainSql("15.4"));
    }

    private Path data() {
        return PLATFORM.sandbox.store().dataDir(requestId);
    }

    private CurrentClient.Run ssh(String... command) throws Exception {
        return odoo.run(List.of(odoo.ssh(port, odoo.key).split(" ")).stream().collect(java.util.stream.Collectors.collectingAndThen(
                java.util.stream.Collectors.toList(), words -> {
                    words.add("odoo@127.0.0.1");
                    words.addAll(List.of(command));
                    return words;
                })));
    }

    @Test
    void theRsyncOfOdoosClientGetsIn() throws Exception {
        CurrentClient.Run up = odoo.upload(port, odoo.dir.resolve("db.sql"), "origin.sql");

        assertThat(up.exit()).as(up.output()).isZero();
        assertThat(data().resolve("origin.sql")).hasContent(Dumps.plainSql("15.4"));
    }

    @Test
    void aShellIsRefused() throws Exception {
        CurrentClient.Run shell = ssh("-T"); // no command: a shell
        assertThat(shell.exit()).as(shell.output()).isNotZero();
        assertThat(shell.output()).doesNotContain("root");
    }

    @Test
    void anyCommandButRsyncIsRefused() throws Exception {
        CurrentClient.Run ls = ssh("ls", "/");

        assertThat(ls.exit()).isNotZero();
        assertThat(ls.output()).contains("only rsync runs here").doesNotContain("proc").doesNotContain("etc");
    }

    @Test
    void aPathWithDotDotOrOutsideDataIsRefused() throws Exception {
        for (String path : List.of("/data/../origin.sql", "/data/x/../../escaped.sql", "/etc/escaped.sql", "/escaped.sql", "escaped.sql")) {
            CurrentClient.Run up = odoo.run(List.of("rsync", "-are", odoo.ssh(port, odoo.key), "db.sql", "odoo@127.0.0.1:" + path));
            assertThat(up.exit()).as("rsync to %s: %s", path, up.output()).isNotZero();
        }
        try (var files = Files.walk(PLATFORM.sandbox.store().remoteDir(requestId))) {
            assertThat(files.map(p -> PLATFORM.sandbox.store().remoteDir(requestId).relativize(p).toString()).toList())
                    .as("what the request's folder holds").containsExactlyInAnyOrder("", "data");
        }
        assertThat(Path.of("/etc/escaped.sql")).doesNotExist();
    }

    @Test
    void aLinkSentPointsNowhereAndFailsTheUpgrade() throws Exception {
        Files.createSymbolicLink(odoo.dir.resolve("link.sql"), Path.of("/etc/hostname"));

        CurrentClient.Run up = odoo.run(List.of("rsync", "-are", odoo.ssh(port, odoo.key), "link.sql", "odoo@127.0.0.1:/data/origin.sql"));

        assertThat(up.exit()).as(up.output()).isZero();
        assertThat(Files.readSymbolicLink(data().resolve("origin.sql")).toString()).as("stored, munged").startsWith("/rsyncd-munged/");
        CurrentClient.Run follow = odoo.run(List.of("rsync", "-aLe", odoo.ssh(port, odoo.key), "odoo@127.0.0.1:/data/origin.sql", "back.sql"));
        assertThat(follow.exit()).as("reading through it").isNotZero();
        assertThat(odoo.dir.resolve("back.sql")).doesNotExist();
        odoo.result("transfer/stop", Map.of("token", token));
        odoo.result("process", Map.of("token", token));
        var end = odoo.awaitEnd(token, Duration.ofSeconds(30));
        assertThat(end.get("status").asText()).isEqualTo("failed");
        assertThat(end.get("reason").asText()).contains("origin.sql holds a symbolic link");
    }

    @Test
    void anotherRequestsKeyOrAnotherUserIsNotLetIn() throws Exception {
        CurrentClient other = new CurrentClient(PLATFORM.sandbox.currentApiUrl(), dir.resolve("other"));
        other.create(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test"); // a request of its own, with its own key

        CurrentClient.Run wrongKey = odoo.run(List.of("rsync", "-are", odoo.ssh(port, other.key), "db.sql", "odoo@127.0.0.1:/data/origin.sql"));
        CurrentClient.Run wrongUser = odoo.run(List.of("rsync", "-are", odoo.ssh(port, odoo.key), "db.sql", "root@127.0.0.1:/data/origin.sql"));

        assertThat(wrongKey.exit()).isNotZero();
        assertThat(wrongKey.output()).contains("Permission denied");
        assertThat(wrongUser.exit()).isNotZero();
        assertThat(wrongUser.output()).contains("Permission denied");
        assertThat(data().resolve("origin.sql")).doesNotExist();
    }

    @Test
    void noForwardingThroughTheWindow() throws Exception {
        CurrentClient.Run forward = ssh("-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:22");

        assertThat(forward.exit()).isNotZero();
        assertThat(forward.output()).containsIgnoringCase("forwarding failed");
    }

    @Test
    void aDownloadIsRefusedInAnUploadWindowAndWhileTheRequestIsNew() throws Exception {
        CurrentClient.Run read = odoo.run(List.of("rsync", "-are", odoo.ssh(port, odoo.key), "odoo@127.0.0.1:/data/", "copy/"));
        assertThat(read.exit()).isNotZero();
        assertThat(read.output()).contains("this window takes uploads only");
        assertThat(odoo.refusal("transfer/start", Map.of("token", token, "transfer_type", "download")))
                .isEqualTo("The upgraded database can be downloaded only once the request is done; it is new.");
    }

    @Test
    void aClosedWindowTakesNoConnection() throws Exception {
        odoo.result("transfer/stop", Map.of("token", token));

        CurrentClient.Run up = odoo.upload(port, odoo.dir.resolve("db.sql"), "origin.sql");

        assertThat(up.exit()).isNotZero();
        assertThat(up.output()).contains("Connection refused");
        assertThat(data().resolve("origin.sql")).doesNotExist();
    }

    @Test
    void aWindowWithoutAConnectionClosesAfterTheIdleTime(@TempDir Path otherData) throws Exception {
        try (SandboxFixture quick = SandboxFixture.start(otherData, "--transfer-idle", "1s")) {
            CurrentClient client = new CurrentClient(quick.sandbox.currentApiUrl(), dir.resolve("quick"));
            String t = client.create(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test").get("token").asText();
            int p = client.startTransfer(t, "upload");
            assertThat(accepts(p)).isTrue();

            // a connection, even one that only knocks, is activity: look less often than the idle time
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(1500)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> !accepts(p));
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
