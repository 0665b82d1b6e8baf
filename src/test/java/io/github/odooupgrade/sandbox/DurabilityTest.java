package io.github.odooupgrade.sandbox;

import static io.github.odooupgrade.sandbox.SandboxFixture.auth;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests and files live in the data folder: a restart loses nothing and finishes what was running. */
class DurabilityTest {
    @TempDir
    Path data;
    @TempDir
    Path files;

    @Test
    void aRestartMidUpgradeResumesTheRequestAndKeepsEverything() throws Exception {
        long id;
        String key;
        String hostKey;
        Path dump = Dumps.plain(files, "keep.sql", "14.2");
        try (SandboxFixture first = SandboxFixture.start(data, "--pending", "50ms", "--progress", "2s", "--test", "100ms")) {
            JsonNode r = first.create("keep.sql", "test");
            id = r.path("id").asLong();
            key = r.path("key").asText();
            first.upload(id, key, dump);
            first.get("process", auth(id, key));
            first.awaitState(id, key, "progress");
            hostKey = first.sandbox.sftp().hostKeyFingerprint();
        }

        try (SandboxFixture second = SandboxFixture.start(data, "--pending", "50ms", "--progress", "2s", "--test", "100ms")) {
            JsonNode done = second.awaitState(id, key, "done");

            assertThat(done.path("filename").asText()).isEqualTo("keep.sql");
            assertThat(done.path("postgresql").asText()).isEqualTo("14");
            assertThat(second.download(done.path("upgraded_dump_url").asText(), null).body()).isEqualTo(Files.readAllBytes(dump));
            assertThat(second.sandbox.sftp().hostKeyFingerprint()).as("the host key clients pinned").isEqualTo(hostKey);
            long next = second.create("next.sql", "test").path("id").asLong();
            assertThat(next).as("ids are never reused").isGreaterThan(id);
        }
    }
}
