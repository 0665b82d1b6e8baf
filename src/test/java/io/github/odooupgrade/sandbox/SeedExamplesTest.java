package io.github.odooupgrade.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed document's bash examples, run as written (base URL, host and port aside) with real
 * curl, jq and OpenSSH sftp against the sandbox. Needs curl, jq and openssh-client (.ci/setup).
 */
class SeedExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    @RegisterExtension
    static final SandboxFixture platform = SandboxFixture.perClass();

    @BeforeAll
    static void start() throws Exception {
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", work.resolve("id_ed25519").toString())
                .inheritIO().start();
        assertThat(keygen.waitFor()).isZero();
        Files.copy(work.resolve("id_ed25519.pub"), work.resolve("authorized_keys"));
    }

    record Run(int exit, String out) {}

    /** Runs a bash script in the work folder with the seed's variables set. */
    private static Run bash(String script, Map<String, String> vars) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -o pipefail\n" + script).directory(work.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.putAll(vars);
        env.put("BASE", platform.sandbox.apiUrl());
        env.put("SFTP_PORT", Integer.toString(platform.sandbox.sftpPort()));
        // the sandbox's host key, pinned: sftp verifies it and never asks
        env.put("SSH_OPTS", "-i " + work.resolve("id_ed25519") + " -o UserKnownHostsFile=" + platform.dataDir.resolve("ssh/known_hosts")
                + " -o StrictHostKeyChecking=yes -o BatchMode=yes");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static final String CREATE = """
            CONTRACT=M123456-abcdef
            AIM=test
            EMAIL=john.doe@example.com
            CREATE_URL="${BASE}/create"
            URL_PARAMS="contract=${CONTRACT}&aim=${AIM}&target=${TARGET}&email=${EMAIL}&filename=${FILENAME}"
            curl -sS "${CREATE_URL}?${URL_PARAMS}" > create_result.json

            # check for failures
            failures=$(cat create_result.json | jq -r '.failures[]')
            if [ "$failures" != "" ]; then
              echo $failures | jq -r '.'
              exit 1
            fi
            """;

    private static JsonNode created() throws IOException {
        return JSON.readTree(work.resolve("create_result.json").toFile()).path("request");
    }

    @Test
    void createThenTheFailureCheckOfTheSeedScript() throws Exception {
        Run bad = bash(CREATE, Map.of("TARGET", "5.0", "FILENAME", "db_name.dump"));
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).contains("TARGET:INVALID").contains("\"expected\"");

        Run ok = bash(CREATE, Map.of("TARGET", "12.0", "FILENAME", "db_name.dump"));
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(created().path("state").asText()).isEqualTo("draft");
    }

    @Test
    void httpsUploadProcessStatusAndDownloadWithCurl() throws Exception {
        Path dump = Dumps.pgDumpCustom(work);
        Files.move(dump, work.resolve("openchs.70.cdump"));
        assertThat(bash(CREATE, Map.of("TARGET", "13.0", "FILENAME", "openchs.70.cdump")).exit()).isZero();
        JsonNode r = created();
        Map<String, String> vars = new HashMap<>(Map.of("KEY", r.path("key").asText(), "REQUEST_ID", r.path("id").asText()));

        // the seed writes `curl -H $HEADER`, which word-splits the header; quoted here as intended
        Run upload = bash("""
                UPLOAD_URL="${BASE}/upload"
                DUMPFILE="openchs.70.cdump"
                URL_PARAMS="key=${KEY}&request=${REQUEST_ID}"
                HEADER="Content-Type: application/octet-stream"
                curl -sS -H "$HEADER" --data-binary "@${DUMPFILE}" "${UPLOAD_URL}?${URL_PARAMS}"
                """, vars);
        assertThat(upload.out()).isEqualTo("{\"failures\":[]}");

        Run process = bash("""
                PROCESS_URL="${BASE}/process"
                URL_PARAMS="key=${KEY}&request=${REQUEST_ID}"
                curl -sS "${PROCESS_URL}?${URL_PARAMS}"
                """, vars);
        assertThat(process.out()).isEqualTo("{\"failures\":[]}");

        platform.awaitState(r.path("id").asLong(), r.path("key").asText(), "done");
        Run download = bash("""
                STATUS_URL="${BASE}/status"
                URL_PARAMS="key=${KEY}&request=${REQUEST_ID}"
                curl -sS "${STATUS_URL}?${URL_PARAMS}" > status.json
                jq -r .request.state status.json
                curl -sS -o upgraded.dump "$(jq -r .request.upgraded_dump_url status.json)"
                pg_restore --list upgraded.dump > /dev/null && echo restorable
                """, vars);
        assertThat(download.out()).as(download.out()).isEqualTo("done\nrestorable\n");
        assertThat(Dumps.sha256(work.resolve("upgraded.dump"))).isEqualTo(Dumps.sha256(work.resolve("openchs.70.cdump")));
    }

    @Test
    void sftpUploadInterruptedThenResumedWithPutA() throws Exception {
        Path dump = Dumps.sqlHeadedRandom(work.resolve("big.sql"), 8_000_000, 11);
        assertThat(bash(CREATE, Map.of("TARGET", "12.0", "FILENAME", "big.sql")).exit()).isZero();
        JsonNode r = created();
        Map<String, String> vars = Map.of("KEY", r.path("key").asText(), "REQUEST_ID", r.path("id").asText(),
                "USER", "user_" + r.path("id").asText());

        Run access = bash("""
                REQUEST_SFTP_ACCESS_URL="${BASE}/request_sftp_access"
                SSH_KEYS=authorized_keys
                URL_PARAMS="key=${KEY}&request=${REQUEST_ID}"

                curl -sS "${REQUEST_SFTP_ACCESS_URL}?${URL_PARAMS}" -F ssh_keys=@${SSH_KEYS} > request_sftp_result.json

                # check for failures
                failures=$(cat request_sftp_result.json | jq -r '.failures[]')
                if [ "$failures" != "" ]; then
                  echo $failures | jq -r '.'
                  exit 1
                fi
                jq -r '.request | "\\(.sftp_user) \\(.shared_file)"' request_sftp_result.json
                """, vars);
        assertThat(access.exit()).as(access.out()).isZero();
        assertThat(access.out().trim()).isEqualTo("user_" + r.path("id").asText() + " big.sql");

        platform.sandbox.faults().cutTransfers(3_000_000, 1);
        Run cut = bash("echo \"put " + dump + " big.sql\" | sftp ${SSH_OPTS} -b - -P ${SFTP_PORT} ${USER}@127.0.0.1", vars);
        assertThat(cut.exit()).as("the first put is cut: %s", cut.out()).isNotZero();
        Path onServer = platform.sandbox.store().filesDir(r.path("id").asLong()).resolve("big.sql");
        assertThat(Files.size(onServer)).isBetween(1L, 3_000_000L);

        // a resume sends only the rest: a second cut at 6 MB would stop a full 8 MB re-send
        platform.sandbox.faults().cutTransfers(6_000_000, 1);
        Run resumed = bash("echo \"put -a " + dump + " big.sql\" | sftp ${SSH_OPTS} -b - -P ${SFTP_PORT} ${USER}@127.0.0.1", vars);
        assertThat(resumed.exit()).as(resumed.out()).isZero();
        assertThat(Dumps.sha256(onServer)).isEqualTo(Dumps.sha256(dump));

        Run listing = bash("echo \"ls -l big.sql\" | sftp ${SSH_OPTS} -b - -P ${SFTP_PORT} ${USER}@127.0.0.1", vars);
        assertThat(listing.out()).contains(Long.toString(Files.size(dump))).contains("big.sql");

        bash("curl -sS \"${BASE}/process?key=${KEY}&request=${REQUEST_ID}\"", vars);
        platform.awaitState(r.path("id").asLong(), r.path("key").asText(), "done");
        Run get = bash("echo \"get upgraded_big.sql " + work.resolve("got.sql") + "\" | sftp ${SSH_OPTS} -b - -P ${SFTP_PORT} ${USER}@127.0.0.1", vars);
        assertThat(get.exit()).as(get.out()).isZero();
        assertThat(Dumps.sha256(work.resolve("got.sql"))).isEqualTo(Dumps.sha256(dump));
    }

    @Test
    void aChangedHostKeyIsRefusedBySftp() throws Exception {
        assertThat(bash(CREATE, Map.of("TARGET", "12.0", "FILENAME", "pinned.sql")).exit()).isZero();
        JsonNode r = created();
        platform.post("request_sftp_access", Map.of("request", r.path("id").asText(), "key", r.path("key").asText(),
                "ssh_keys", Files.readString(work.resolve("authorized_keys"))));
        Path wrongKnownHosts = work.resolve("known_hosts_other");
        Files.writeString(wrongKnownHosts, "[127.0.0.1]:" + platform.sandbox.sftpPort()
                + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");

        Run refused = bash("echo ls | sftp -i " + work.resolve("id_ed25519") + " -o UserKnownHostsFile=" + wrongKnownHosts
                + " -o StrictHostKeyChecking=yes -o BatchMode=yes -b - -P ${SFTP_PORT} user_" + r.path("id").asText() + "@127.0.0.1", Map.of());

        assertThat(refused.exit()).isNotZero();
        assertThat(refused.out()).containsIgnoringCase("host key");
    }
}
