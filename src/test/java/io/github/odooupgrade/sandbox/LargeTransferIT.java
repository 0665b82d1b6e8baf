package io.github.odooupgrade.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1 GiB through HTTP (curl -T) and through SFTP (OpenSSH sftp) into a sandbox that runs in its own
 * JVM with a 64 MB heap, started the way the README starts it: if either path buffered the
 * dump in memory, the sandbox would die of OutOfMemoryError. sha256 is compared end to end.
 */
class LargeTransferIT {
    private static final long GIB = 1L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static Process sandbox;
    static String apiUrl;
    static int sftpPort;
    static Path dump;
    static String dumpSha;
    static final List<String> sandboxOutput = new ArrayList<>();

    @BeforeAll
    static void startSandboxInItsOwnSmallJvm() throws Exception {
        dump = Dumps.sqlHeadedRandom(work.resolve("large.sql"), GIB, 42);
        dumpSha = Dumps.sha256(dump);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        sandbox = new ProcessBuilder(java, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                "io.github.odooupgrade.cli.Main", "sandbox", "--data-dir", work.resolve("data").toString(),
                "--http-port", "0", "--sftp-port", "0", "--pending", "10ms", "--progress", "10ms", "--test", "10ms")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(sandbox.getInputStream(), StandardCharsets.UTF_8));
        Pattern ready = Pattern.compile("API: (\\S+)\\s+SFTP port: (\\d+)");
        String line;
        while ((line = out.readLine()) != null) {
            sandboxOutput.add(line);
            Matcher m = ready.matcher(line);
            if (m.find()) {
                apiUrl = m.group(1);
                sftpPort = Integer.parseInt(m.group(2));
                break;
            }
        }
        assertThat(apiUrl).as("sandbox output: %s", sandboxOutput).isNotNull();
        Thread.ofVirtual().start(() -> out.lines().forEach(sandboxOutput::add));
    }

    @AfterAll
    static void stop() throws Exception {
        if (sandbox != null) {
            sandbox.destroy();
            sandbox.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static JsonNode create(String filename) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(apiUrl + "/create?contract=M123456-abcdef"
                + "&email=a@b.co&target=13.0&aim=test&filename=" + filename)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return JSON.readTree(body).path("request");
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("cmd.log").toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        return p.exitValue();
    }

    private static Path stored(JsonNode r, String name) {
        return work.resolve("data/requests/" + r.path("id").asText() + "/files/" + name);
    }

    @Test
    void oneGibOverHttpWithASmallHeap() throws Exception {
        JsonNode r = create("large.sql");
        String url = apiUrl + "/upload?key=" + r.path("key").asText() + "&request=" + r.path("id").asText();

        int exit = run("curl", "-sS", "--fail", "-T", dump.toString(), "-X", "POST", "-H", "Content-Type: application/octet-stream",
                "-o", work.resolve("upload.json").toString(), url);

        assertThat(exit).as("curl: %s / sandbox: %s", Files.readString(work.resolve("cmd.log")), sandboxOutput).isZero();
        assertThat(Files.readString(work.resolve("upload.json"))).isEqualTo("{\"failures\":[]}");
        assertThat(sandbox.isAlive()).isTrue();
        assertThat(Dumps.sha256(stored(r, "large.sql"))).isEqualTo(dumpSha);
        Files.delete(stored(r, "large.sql"));
    }

    @Test
    void oneGibOverSftpWithASmallHeap() throws Exception {
        JsonNode r = create("large.sql");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", work.resolve("key").toString());
        String url = apiUrl + "/request_sftp_access?key=" + r.path("key").asText() + "&request=" + r.path("id").asText();
        assertThat(run("curl", "-sS", "--fail", "-o", work.resolve("access.json").toString(), url,
                "-F", "ssh_keys=@" + work.resolve("key.pub"))).isZero();
        assertThat(JSON.readTree(work.resolve("access.json").toFile()).path("failures")).isEmpty();
        Files.writeString(work.resolve("batch"), "put " + dump + " large.sql\n");

        int exit = run("sftp", "-i", work.resolve("key").toString(), "-o", "UserKnownHostsFile=" + work.resolve("data/ssh/known_hosts"),
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-b", work.resolve("batch").toString(),
                "-P", Integer.toString(sftpPort), "user_" + r.path("id").asText() + "@127.0.0.1");

        assertThat(exit).as("sftp: %s / sandbox: %s", Files.readString(work.resolve("cmd.log")), sandboxOutput).isZero();
        assertThat(sandbox.isAlive()).isTrue();
        assertThat(Dumps.sha256(stored(r, "large.sql"))).isEqualTo(dumpSha);
        Files.delete(stored(r, "large.sql"));
    }
}
