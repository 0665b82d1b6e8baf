package io.github.odooupgrade.cli;

import static io.github.odooupgrade.sandbox.SandboxFixture.auth;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.run.RunJournal;
import io.github.odooupgrade.run.SealKey;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.SandboxFixture;
import io.github.odooupgrade.secrets.SecretForms;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code odoo-upgrade status}: the platform's view of a request, nothing started, the key never shown. */
class StatusCommandTest {
    @TempDir
    static Path files;
    @RegisterExtension
    static final SandboxFixture platform = SandboxFixture.perClass();

    /** A request with its dump uploaded and processing asked for. */
    private static JsonNode processed(String filename) throws Exception {
        JsonNode r = platform.create(filename, "test");
        platform.upload(r.path("id").asLong(), r.path("key").asText(), Dumps.plain(files, filename, "15.4"));
        platform.get("process", auth(r.path("id").asLong(), r.path("key").asText()));
        return r;
    }

    private static Outcome statusOf(JsonNode r) {
        return Outcome.of(new StatusCommand(Map.of(StatusCommand.KEY_VARIABLE, r.path("key").asText())), "--request", r.path("id").asText(),
                "--api-url", platform.sandbox.apiUrl());
    }

    @Test
    void anUpgradedRequestShowsWhatCanBeDownloadedWithItsKeyRedacted() throws Exception {
        JsonNode r = processed("shown.sql");
        platform.awaitState(r.path("id").asLong(), r.path("key").asText(), "done");

        Outcome o = statusOf(r);

        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.out()).contains("request:   " + r.path("id").asText() + " (target 12.0, aim test, file shown.sql)",
                "state:     done - upgraded", "PostgreSQL 15, [sql]");
        assertThat(o.out()).containsPattern(Pattern.compile("upgraded:  http://127\\.0\\.0\\.1:\\d+/database/local/\\d+/\\*\\*\\*/upgraded/archive"));
        assertThat(SecretForms.foundIn(List.of(o.out(), o.err()), SecretForms.of(r.path("key").asText()))).isNull();
    }

    @Test
    void theExitCodeSaysRunningOrEndedWithoutAnUpgrade() throws Exception {
        platform.sandbox.faults().holdFilenames(Pattern.compile("held"));
        JsonNode held = processed("held.sql");
        platform.awaitState(held.path("id").asLong(), held.path("key").asText(), "progress");
        Outcome running = statusOf(held);
        assertThat(running.exit()).isEqualTo(4);
        assertThat(running.out()).contains("state:     progress - still running").doesNotContain("upgraded:");

        platform.sandbox.faults().failFilenames(Pattern.compile("broken"));
        JsonNode failed = processed("broken.sql");
        platform.awaitState(failed.path("id").asLong(), failed.path("key").asText(), "failed");
        Outcome ended = statusOf(failed);
        assertThat(ended.exit()).isEqualTo(1);
        assertThat(ended.out()).contains("state:     failed - ended without an upgrade", "message:   ");
    }

    @Test
    void aMissingKeyOrAnUnknownRequestIsOneLineAndExitTwo() {
        Outcome noKey = Outcome.of(new StatusCommand(Map.of()), "--request", "1", "--api-url", platform.sandbox.apiUrl());
        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.err()).isEqualTo("error: the request's key is missing: set UPGRADE_REQUEST_KEY (it is in the platform's mail and URLs)\n");

        Outcome unknown = Outcome.of(new StatusCommand(Map.of(StatusCommand.KEY_VARIABLE, "not-its-key")), "--request", "999999", "--api-url",
                platform.sandbox.apiUrl());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: the upgrade API does not know request 999999 with that key").doesNotContain("not-its-key");
        assertThat(unknown.err().lines()).hasSize(1);
    }

    @Test
    void aRunsFolderNamesItsRequestWhoseKeyComesSealedFromItsJournal(@TempDir Path run) throws Exception {
        JsonNode r = processed("journaled.sql");
        platform.awaitState(r.path("id").asLong(), r.path("key").asText(), "done");
        SealKey key = SealKey.forNewRun(run, Map.of());
        RunJournal.begin(List.of("--api-url", platform.sandbox.apiUrl()), null, key.source()).at("Check the request status",
                Map.of(Var.REQUEST_ID, r.path("id").asLong(), Var.REQUEST_KEY_SEALED, key.sealer().seal(r.path("key").asText())))
                .write(run);

        Outcome o = Outcome.of(new StatusCommand(Map.of()), "--output", run.toString());

        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.out()).contains("run:       unfinished (odoo-upgrade resume --output " + run + " continues it), last step "
                + "\"Check the request status\"", "request:   " + r.path("id").asText(), "state:     done - upgraded");
        assertThat(SecretForms.foundIn(List.of(o.out(), o.err()), SecretForms.of(r.path("key").asText()))).isNull();
    }

    @Test
    void aFolderWithoutARunOrWithoutARequestIsOneLineAndExitTwo(@TempDir Path run) {
        Outcome none = Outcome.of(new StatusCommand(Map.of()), "--output", run.toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("error: no run is recorded in " + run);

        RunJournal.begin(List.of(), null, SealKey.FILE_SOURCE).at("Validate the input", Map.of()).write(run);
        Outcome early = Outcome.of(new StatusCommand(Map.of()), "--output", run.toString());
        assertThat(early.exit()).isEqualTo(2);
        assertThat(early.err()).contains("made no request before it stopped");

        Outcome both = Outcome.of(new StatusCommand(Map.of()), "--output", run.toString(), "--request", "1");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("one of them");
    }
}
