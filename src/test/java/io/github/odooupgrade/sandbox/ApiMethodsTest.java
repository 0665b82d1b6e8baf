package io.github.odooupgrade.sandbox;

import static io.github.odooupgrade.sandbox.SandboxFixture.auth;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The v1 methods' contract over real HTTP: validation, parameter transports, identity, states. */
class ApiMethodsTest {
    @RegisterExtension
    static final SandboxFixture platform = SandboxFixture.perClass("--contracts", "M123456-abcdef,M999999-other");

    private static List<String> reasons(JsonNode answer) {
        return StreamSupport.stream(answer.path("failures").spliterator(), false).map(f -> f.path("reason").asText()).toList();
    }

    @Test
    void createReportsEveryBadFieldAtOnceInTheSeedsShape() {
        JsonNode answer = platform.get("create", Map.of("contract", "M123456-abcxyz", "email", "not-an-email",
                "target", "5.0", "aim", "fun", "filename", "../etc/passwd"));

        assertThat(reasons(answer)).containsExactlyInAnyOrder("TARGET:INVALID", "AIM:INVALID", "EMAIL:INVALID",
                "FILENAME:INVALID", "CONTRACT:NOT_FOUND");
        JsonNode target = answer.path("failures").get(reasons(answer).indexOf("TARGET:INVALID"));
        assertThat(target.path("message").asText()).isEqualTo("Invalid value \"5.0\"");
        assertThat(target.path("value").asText()).isEqualTo("5.0");
        assertThat(target.path("expected")).extracting(JsonNode::asText).containsExactly("11.0", "12.0", "13.0");
        JsonNode contract = answer.path("failures").get(reasons(answer).indexOf("CONTRACT:NOT_FOUND"));
        assertThat(contract.path("code").asText()).isEqualTo("M123456-abcxyz");
        assertThat(contract.path("message").asText()).isEqualTo("Can not find contract M123456-abcxyz");
        assertThat(answer.has("request")).isFalse();
    }

    @Test
    void createNamesEveryMissingField() {
        JsonNode answer = platform.get("create", Map.of("target", "12.0"));
        assertThat(reasons(answer)).containsExactlyInAnyOrder("CONTRACT:MISSING", "EMAIL:MISSING", "AIM:MISSING", "FILENAME:MISSING");
    }

    @Test
    void createRejectsAnUnknownTimezoneAndKeepsAKnownOne() {
        JsonNode bad = platform.get("create", Map.of("contract", SandboxOptions.DEFAULT_CONTRACT, "email", "a@b.co", "target", "11.0",
                "aim", "test", "filename", "old.dump", "timezone", "Mars/Olympus"));
        assertThat(reasons(bad)).containsExactly("TIMEZONE:INVALID");

        JsonNode ok = platform.create("old.dump", "test", "timezone", "Europe/Brussels");
        assertThat(ok.path("timezone").asText()).isEqualTo("Europe/Brussels");
    }

    @Test
    void createAnswersARequestWithIdKeyAndEverySeedField() {
        JsonNode r = platform.create("db_name.dump", "production", "contract", "M999999-other");

        assertThat(r.path("id").asLong()).isPositive();
        assertThat(r.path("key").asText()).matches("[A-Za-z0-9_-]{22}==");
        assertThat(r.path("state").asText()).isEqualTo("draft");
        assertThat(r.path("aim").asText()).isEqualTo("production");
        assertThat(r.path("filename").asText()).isEqualTo("db_name.dump");
        assertThat(r.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(r.path("elapsed").asText()).isEqualTo("00:00");
        assertThat(r.path("compressions").isArray()).isTrue();
        for (String field : List.of("email", "target", "timezone", "issue_stage", "issue", "status_url", "notes_url",
                "original_sql_url", "original_dump_url", "upgraded_sql_url", "upgraded_dump_url", "modules_url", "filesize",
                "database_uuid", "estimated_time", "processed_at", "filestore", "customer_message", "database_version",
                "postgresql")) {
            assertThat(r.has(field)).as(field).isTrue();
        }
        assertThat(r.path("upgraded_dump_url").asText())
                .isEqualTo("http://127.0.0.1:" + platform.sandbox.httpPort() + "/database/local/" + r.path("id").asLong()
                        + "/" + r.path("key").asText() + "/upgraded/archive");
        assertThat(r.toString()).as("the contract is never answered back").doesNotContain("M999999-other");
    }

    @Test
    void parametersAreReadFromTheQueryAFormBodyOnGetAndAPostBody() {
        JsonNode r = platform.create("a.dump", "test");
        Map<String, String> auth = auth(r.path("id").asLong(), r.path("key").asText());

        assertThat(platform.get("status", auth).path("request").path("id").asLong()).isEqualTo(r.path("id").asLong());
        assertThat(platform.getWithFormBody("status", auth).path("request").path("id").asLong()).isEqualTo(r.path("id").asLong());
        assertThat(platform.post("status", auth).path("request").path("id").asLong()).isEqualTo(r.path("id").asLong());
    }

    @Test
    void aWrongKeyGetsNoDataAndTheSameAnswerAsAnUnknownRequest() {
        JsonNode r = platform.create("b.dump", "test");
        long id = r.path("id").asLong();

        JsonNode wrongKey = platform.get("status", auth(id, "AAAAAAAAAAAAAAAAAAAAAA=="));
        JsonNode unknown = platform.get("status", auth(987654, r.path("key").asText()));

        assertThat(reasons(wrongKey)).containsExactly("REQUEST:NOT_FOUND");
        assertThat(reasons(unknown)).containsExactly("REQUEST:NOT_FOUND");
        assertThat(wrongKey.has("request")).isFalse();
        assertThat(wrongKey.toString()).doesNotContain("b.dump").doesNotContain(r.path("key").asText());
        assertThat(reasons(platform.get("process", Map.of()))).containsExactlyInAnyOrder("REQUEST:MISSING", "KEY:MISSING");
        assertThat(reasons(platform.get("status", Map.of("request", "ten", "key", "x")))).containsExactly("REQUEST:INVALID");
    }

    @Test
    void callsInTheWrongStateAreClearFailuresNeverServerErrors() throws Exception {
        JsonNode r = platform.create("c.dump", "test");
        long id = r.path("id").asLong();
        String key = r.path("key").asText();

        JsonNode early = platform.get("process", auth(id, key));
        assertThat(reasons(early)).containsExactly("DUMP:MISSING");

        platform.upload(id, key, Dumps.plain(platform.dataDir, "c.sql", "12.3"));
        assertThat(platform.get("process", auth(id, key)).path("failures")).isEmpty();

        JsonNode again = platform.get("process", auth(id, key));
        assertThat(reasons(again)).containsExactly("STATE:INVALID");
        assertThat(again.path("failures").get(0).path("value").asText()).isIn("pending", "progress", "test", "done");
        assertThat(again.path("failures").get(0).path("expected")).extracting(JsonNode::asText).containsExactly("draft");

        JsonNode upload = platform.upload(id, key, Dumps.plain(platform.dataDir, "c2.sql", "12.3"));
        assertThat(reasons(upload)).containsExactly("STATE:INVALID");
        assertThat(upload.path("failures").get(0).path("message").asText()).contains("upload needs state \"draft\"");

        platform.awaitState(id, key, "done");
        JsonNode sftp = platform.get("request_sftp_access", Map.of("request", Long.toString(id), "key", key,
                "ssh_keys", "# no key here\n"));
        assertThat(reasons(sftp)).containsExactly("SSH_KEYS:MISSING");
        JsonNode skip = platform.get("skip_test", auth(id, key));
        assertThat(reasons(skip)).containsExactly("STATE:INVALID");
    }

    @Test
    void sshKeysMustBeAnAuthorizedKeysFile() {
        JsonNode r = platform.create("d.dump", "test");
        JsonNode answer = platform.post("request_sftp_access", Map.of("request", r.path("id").asText(),
                "key", r.path("key").asText(), "ssh_keys", "# my keys\n\nssh-ed25519 not-base64!! me@host\n"));
        assertThat(reasons(answer)).containsExactly("SSH_KEYS:INVALID");
        assertThat(answer.path("failures").get(0).path("message").asText()).startsWith("Line 3 of ssh_keys");
    }

    @Test
    void anUnknownMethodIsA404WithFailures() {
        HttpResponse<String> response = platform.send(HttpRequest.newBuilder(URI.create(platform.url("delete_everything"))).build());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("METHOD:UNKNOWN");
    }

    @Test
    void uploadNeedsPost() {
        JsonNode r = platform.create("e.dump", "test");
        JsonNode answer = platform.get("upload", auth(r.path("id").asLong(), r.path("key").asText()));
        assertThat(reasons(answer)).containsExactly("METHOD:NOT_ALLOWED");
    }
}
