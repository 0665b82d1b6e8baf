package io.github.odooupgrade.sandbox;

import static io.github.odooupgrade.sandbox.SandboxFixture.auth;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** draft → pending → progress → test → done; skip_test → delivered; failed; cancelled. */
class LifecycleTest {
    @TempDir
    Path data;
    @TempDir
    Path files;
    SandboxFixture platform;

    @BeforeEach
    void start() {
        platform = SandboxFixture.start(data, "--pending", "300ms", "--progress", "400ms", "--test", "400ms");
    }

    @AfterEach
    void stop() {
        platform.close();
    }

    /**
     * Waits for {@code last}, then answers every state the request went through, in order, as the
     * platform recorded them (its history): nothing depends on polling fast enough to see each one.
     */
    private List<String> states(long id, String key, String last) {
        platform.awaitState(id, key, last);
        return platform.sandbox.store().get(id).history.stream().map(t -> t.state().wire()).toList();
    }

    @Test
    void aProcessedRequestGoesThroughEveryStateToDone() throws Exception {
        JsonNode r = platform.create("db.sql", "test");
        long id = r.path("id").asLong();
        String key = r.path("key").asText();
        platform.upload(id, key, Dumps.plain(files, "db.sql", "9.4.26"));

        assertThat(platform.get("process", auth(id, key)).path("failures")).isEmpty();

        assertThat(states(id, key, "done")).containsExactly("draft", "pending", "progress", "test", "done");
        JsonNode done = platform.status(id, key);
        assertThat(done.path("issue_stage").asText()).isEqualTo("done");
        assertThat(done.path("postgresql").asText()).isEqualTo("9.4");
        assertThat(done.path("customer_message").isNull()).isTrue();
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        LocalDateTime created = LocalDateTime.parse(done.path("created_at").asText(), format);
        LocalDateTime processed = LocalDateTime.parse(done.path("processed_at").asText(), format);
        assertThat(processed).isAfterOrEqualTo(created);
        assertThat(done.path("elapsed").asText()).matches("\\d\\d:\\d\\d");
        assertThat(done.path("estimated_time").asText()).matches("\\d\\d:\\d\\d");
    }

    @Test
    void skipTestDeliversWithoutPlatformTesting() throws Exception {
        JsonNode r = platform.create("skip.sql", "test");
        long id = r.path("id").asLong();
        String key = r.path("key").asText();
        platform.upload(id, key, Dumps.plain(files, "skip.sql", "15.4"));
        platform.get("process", auth(id, key));

        assertThat(platform.get("skip_test", auth(id, key)).path("failures")).isEmpty();

        assertThat(states(id, key, "delivered")).containsExactly("draft", "pending", "progress", "delivered");
        assertThat(platform.get("skip_test", auth(id, key)).path("failures")).as("idempotent once delivered").isEmpty();
    }

    @Test
    void skipTestDuringTestingDeliversAtOnce() throws Exception {
        platform.close();
        platform = SandboxFixture.start(data, "--pending", "50ms", "--progress", "50ms", "--test", "1h");
        JsonNode r = platform.create("slowtest.sql", "test");
        long id = r.path("id").asLong();
        String key = r.path("key").asText();
        platform.upload(id, key, Dumps.plain(files, "slowtest.sql", "15.4"));
        platform.get("process", auth(id, key));
        platform.awaitState(id, key, "test");

        platform.get("skip_test", auth(id, key));

        assertThat(platform.awaitState(id, key, "delivered", "done").path("state").asText()).isEqualTo("delivered");
    }

    @Test
    void anUpgradeThatFailsEndsFailedWithAMessageForTheCustomer() throws Exception {
        platform.sandbox.faults().failFilenames(Pattern.compile("broken"));
        JsonNode r = platform.create("broken_db.sql", "test");
        long id = r.path("id").asLong();
        String key = r.path("key").asText();
        platform.upload(id, key, Dumps.plain(files, "x.sql", "15.4"));
        platform.get("process", auth(id, key));

        JsonNode failed = platform.awaitState(id, key, "failed", "done");

        assertThat(failed.path("state").asText()).isEqualTo("failed");
        assertThat(failed.path("customer_message").asText()).contains("upgrade of your database failed");
        assertThat(platform.download(failed.path("upgraded_dump_url").asText(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void aHeldUpgradeStaysInProgressUntilReleased() throws Exception {
        platform.sandbox.faults().holdFilenames(Pattern.compile("endless"));
        JsonNode r = platform.create("endless_db.sql", "test");
        long id = r.path("id").asLong();
        String key = r.path("key").asText();
        platform.upload(id, key, Dumps.plain(files, "y.sql", "15.4"));
        platform.get("process", auth(id, key));
        platform.awaitState(id, key, "progress");

        Thread.sleep(1000); // several times the configured progress step
        assertThat(platform.status(id, key).path("state").asText()).isEqualTo("progress");

        platform.sandbox.faults().holdFilenames(null);
        assertThat(platform.awaitState(id, key, "done", "failed").path("state").asText()).isEqualTo("done");
    }

    @Test
    void aFileThatIsNotADumpFailsAtUploadEnd() throws Exception {
        JsonNode r = platform.create("photo.jpg", "test");
        long id = r.path("id").asLong();
        String key = r.path("key").asText();

        platform.upload(id, key, Dumps.random(files.resolve("photo.jpg"), 4096, 7));

        JsonNode status = platform.status(id, key);
        assertThat(status.path("state").asText()).isEqualTo("failed");
        assertThat(status.path("customer_message").asText()).contains("neither a pg_dump archive nor a SQL dump");
    }

    @Test
    void thePlatformCanCancelAnAbandonedRequest() {
        JsonNode r = platform.create("gone.dump", "test");
        long id = r.path("id").asLong();

        platform.sandbox.cancel(id, "Cancelled by the customer.");

        JsonNode status = platform.status(id, r.path("key").asText());
        assertThat(status.path("state").asText()).isEqualTo("cancelled");
        assertThat(status.path("customer_message").asText()).isEqualTo("Cancelled by the customer.");
    }

    @Test
    void aDraftUntouchedForTheExpiryTimeIsCancelled() {
        platform.close();
        platform = SandboxFixture.start(data, "--draft-expiry", "300ms");
        JsonNode r = platform.create("forgotten.dump", "test");

        JsonNode status = platform.awaitState(r.path("id").asLong(), r.path("key").asText(), "cancelled");

        assertThat(status.path("customer_message").asText()).contains("nothing happened to it");
    }
}
