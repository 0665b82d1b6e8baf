package io.github.odooupgrade.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Today's API's calls and answers: their shape (result, result.error, JSON-RPC errors), the refusals that change
 * nothing, the states and what the sandbox's options and faults do to them, wipe, and v1 beside it on the same
 * port. (The transfers themselves, with rsync over ssh: CurrentTransfersTest and RsyncJailTest.)
 */
class CurrentApiTest {
    @RegisterExtension
    static final SandboxFixture PLATFORM = SandboxFixture.perClass("--pending", "200ms", "--progress", "300ms");

    @TempDir
    Path dir;

    private CurrentClient odoo;

    @BeforeEach
    void client() throws Exception {
        odoo = new CurrentClient(PLATFORM.sandbox.currentApiUrl(), dir.resolve("odoo"));
    }

    private Map<String, Object> createParams() throws Exception {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("contract", SandboxOptions.DEFAULT_CONTRACT);
        p.put("target", "18.0");
        p.put("aim", "test");
        p.put("actuator", "cli");
        p.put("env_vars", java.util.List.of("ODOO_UPGRADE_X=1"));
        p.put("ssh_key", odoo.publicKey());
        p.put("api_version", "0.2");
        return p;
    }

    /** A request with a dump under /data (put there as the transfers do: CurrentTransfersTest sends them with rsync). */
    private String requestWithDump(String dumpName) throws Exception {
        JsonNode created = odoo.create(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test");
        Files.writeString(PLATFORM.sandbox.store().dataDir(created.get("request_id").asLong()).resolve(dumpName), Dumps.plainSql("15.4"));
        return created.get("token").asText();
    }

    @Test
    void createAnswersTheRequestItsTokenAndWhereToGoOnAndIgnoresWhatItDoesNotKnow() throws Exception {
        Map<String, Object> p = createParams();
        p.put("a_parameter_of_2030", "ignored");

        JsonNode answer = odoo.call("create", p);

        assertThat(answer.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(answer.get("id").asText()).isEqualTo("not_used");
        JsonNode result = answer.get("result");
        assertThat(result.get("token").asText()).hasSize(32).matches("[A-Za-z0-9_-]+");
        assertThat(result.get("assigned_host_uri").asText()).isEqualTo("127.0.0.1:" + PLATFORM.sandbox.httpPort());
        UpgradeRequest stored = PLATFORM.sandbox.store().get(result.get("request_id").asLong());
        assertThat(stored.isCurrent()).isTrue();
        assertThat(stored.envVars).containsExactly("ODOO_UPGRADE_X=1");
        assertThat(odoo.result("status", Map.of("token", result.get("token").asText())).get("status").asText()).isEqualTo("new");
    }

    @Test
    void badInputAtCreateIsRefusedInASentenceAndCreatesNothing() throws Exception {
        int before = PLATFORM.sandbox.store().all().size();
        Map<String, String> bad = Map.of("contract", "M999999-nope", "target", "5.0", "aim", "prod", "ssh_key", "ssh-rsa not-a-key");
        Map<String, String> said = Map.of(
                "contract", "The contract M99**** is not valid for an upgrade",
                "target", "The target version 5.0 is not available; choose one of 17.0, 18.0, 19.0.",
                "aim", "The aim prod is not known; it is test or production.",
                "ssh_key", "ssh_key is not an OpenSSH public key");
        for (var field : bad.entrySet()) {
            Map<String, Object> p = createParams();
            p.put(field.getKey(), field.getValue());
            assertThat(odoo.refusal("create", p)).as(field.getKey()).startsWith(said.get(field.getKey()));
        }
        assertThat(PLATFORM.sandbox.store().all()).hasSize(before);
    }

    @Test
    void aCallThatIsNotJsonRpcOrLacksAParameterIsAJsonRpcErrorSayingWhat() throws Exception {
        HttpResponse<String> notJson = post("create", "contract=M123456");
        JsonNode parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(notJson.body());
        assertThat(parsed.path("error").path("data").path("message").asText()).startsWith("the body is not JSON");
        assertThat(notJson.headers().firstValue("Content-Length")).isPresent();

        JsonNode missing = odoo.call("status", Map.of());
        assertThat(missing.path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(missing.path("error").path("data").path("message").asText()).contains("the parameter token is missing");

        JsonNode unknown = odoo.call("upgrade_now", Map.of("token", "x"));
        assertThat(unknown.path("error").path("data").path("message").asText()).contains("there is no call upgrade_now here");
    }

    private HttpResponse<String> post(String call, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(PLATFORM.sandbox.currentApiUrl() + "/upgrade/request/" + call))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnknownTokenAndCallsInTheWrongStateAreRefused() throws Exception {
        assertThat(odoo.refusal("status", Map.of("token", "not-a-token"))).isEqualTo("No upgrade request has this token.");
        String token = odoo.create(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test").get("token").asText();

        assertThat(odoo.refusal("process", Map.of("token", token))).startsWith("No dump was uploaded: send it first, as /data/origin.sql");
        assertThat(odoo.refusal("transfer/start", Map.of("token", token, "transfer_type", "sideways")))
                .isEqualTo("transfer_type sideways is not known; it is upload or download.");

        String processed = requestWithDump("origin.sql");
        odoo.result("process", Map.of("token", processed));
        assertThat(odoo.refusal("process", Map.of("token", processed))).startsWith("The request is already ");
        assertThat(odoo.refusal("transfer/start", Map.of("token", processed, "transfer_type", "upload")))
                .startsWith("The dump can be uploaded only while the request is new; it is ");
    }

    @Test
    void twoDumpsUnderDataAreRefusedWithTheirNames() throws Exception {
        String token = requestWithDump("origin.sql");
        Files.writeString(PLATFORM.sandbox.store().dataDir(PLATFORM.sandbox.store().findByToken(token).orElseThrow().id)
                .resolve("origin.sql.gz"), "x");

        assertThat(odoo.refusal("process", Map.of("token", token)))
                .isEqualTo("Several dumps were uploaded (origin.sql, origin.sql.gz): keep one.");
    }

    @Test
    void aRequestGoesThroughPendingAndProgressToDoneAndAHeldOneStaysInProgress() throws Exception {
        String token = requestWithDump("origin.sql");
        PLATFORM.sandbox.faults().holdFilenames(Pattern.compile("^origin\\.sql$"));

        assertThat(odoo.result("process", Map.of("token", token)).get("is_pg_version_compatible").asBoolean()).isTrue();
        assertThat(odoo.result("status", Map.of("token", token)).get("status").asText()).isEqualTo("pending");
        Thread.sleep(1500); // well past pending and progress
        assertThat(odoo.result("status", Map.of("token", token)).get("status").asText()).as("held").isEqualTo("progress");

        PLATFORM.sandbox.faults().releaseHoldAfterStatusAnswers(2); // as a client killed while polling asks again
        assertThat(odoo.result("status", Map.of("token", token)).get("status").asText()).isEqualTo("progress");
        assertThat(odoo.result("status", Map.of("token", token)).get("status").asText()).isEqualTo("progress");
        JsonNode done = odoo.awaitEnd(token, Duration.ofSeconds(30));
        assertThat(done.get("status").asText()).isEqualTo("done");
        assertThat(done.has("reason")).isFalse();
        assertThat(done.has("archived")).isFalse();
    }

    @Test
    void aFailingPatternFailsTheUpgradeWithAReasonAndTheCompatibilityFaultIsAnswered() throws Exception {
        String token = requestWithDump("origin.sql");
        PLATFORM.sandbox.faults().failFilenames(Pattern.compile("origin"));
        PLATFORM.sandbox.faults().pgIncompatible(true);

        assertThat(odoo.result("process", Map.of("token", token)).get("is_pg_version_compatible").asBoolean()).isFalse();
        JsonNode failed = odoo.awaitEnd(token, Duration.ofSeconds(30));

        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("reason").asText()).startsWith("The upgrade of your database failed");
    }

    @Test
    void wipeDeletesTheDataAndTheStatusThenSaysArchived() throws Exception {
        String token = requestWithDump("origin.sql");
        long id = PLATFORM.sandbox.store().findByToken(token).orElseThrow().id;

        assertThat(odoo.refusal("wipe", Map.of("token", token, "contract", "M000000-other")))
                .startsWith("This token's request belongs to another contract");
        JsonNode wiped = odoo.result("wipe", Map.of("token", token, "contract", SandboxOptions.DEFAULT_CONTRACT));

        assertThat(wiped.get("wiped").get(0).asLong()).isEqualTo(id);
        assertThat(wiped.get("failed")).isEmpty();
        try (var files = Files.list(PLATFORM.sandbox.store().dataDir(id))) {
            assertThat(files).isEmpty();
        }
        JsonNode status = odoo.result("status", Map.of("token", token));
        assertThat(status.get("archived").asBoolean()).isTrue();
        assertThat(status.get("status").asText()).isEqualTo("cancelled");
        assertThat(odoo.refusal("transfer/start", Map.of("token", token, "transfer_type", "upload")))
                .startsWith("The request's data was deleted (archived)");
    }

    @Test
    void aWipeDuringTheUpgradeIsNeverSeenCancelledButNotArchived() throws Exception {
        PLATFORM.sandbox.faults().holdFilenames(Pattern.compile("^origin\\.sql$"));
        try {
            String token = requestWithDump("origin.sql");
            odoo.result("process", Map.of("token", token));
            await(token, "progress");
            // a client polling all along: each answer either still runs or is cancelled and archived, never between
            var seen = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
            var polling = new java.util.concurrent.CountDownLatch(1);
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread poller = Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        JsonNode s = odoo.result("status", Map.of("token", token));
                        seen.add(s.get("status").asText() + (s.path("archived").asBoolean() ? "+archived" : ""));
                        polling.countDown();
                    }
                } catch (Exception e) {
                    seen.add("error: " + e);
                }
            });

            assertThat(polling.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            odoo.result("wipe", Map.of("token", token, "contract", SandboxOptions.DEFAULT_CONTRACT));
            Thread.sleep(100);
            stop.set(true);
            poller.join(10_000);

            assertThat(seen).contains("progress", "cancelled+archived").containsOnly("progress", "cancelled+archived");
        } finally {
            PLATFORM.sandbox.faults().holdFilenames(null);
        }
    }

    private void await(String token, String state) throws Exception {
        for (int i = 0; i < 100 && !odoo.result("status", Map.of("token", token)).get("status").asText().equals(state); i++) {
            Thread.sleep(100);
        }
        assertThat(odoo.result("status", Map.of("token", token)).get("status").asText()).isEqualTo(state);
    }

    @Test
    void anOverloadedPlatformAnswers503WithALength() throws Exception {
        PLATFORM.sandbox.faults().failNextCalls(1);

        HttpResponse<String> busy = post("status", "{\"jsonrpc\":\"2.0\",\"params\":{\"token\":\"x\"},\"id\":1}");

        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Content-Length")).isPresent();
    }

    @Test
    void theLogOfAnUnknownTokenIsNotFoundAndAnEmptyOneHasALengthOfZero() throws Exception {
        HttpResponse<String> unknown = odoo.logs("not-a-token", 0);
        assertThat(unknown.statusCode()).isEqualTo(404);

        String token = odoo.create(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test").get("token").asText();
        HttpResponse<String> empty = odoo.logs(token, 0);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.headers().firstValue("Content-Length")).hasValue("0");
    }

    @Test
    void v1ServesBesideItOnTheSamePortAndNeitherSeesTheOthersRequests() throws Exception {
        String token = odoo.create(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test").get("token").asText();
        UpgradeRequest current = PLATFORM.sandbox.store().findByToken(token).orElseThrow();

        JsonNode v1 = PLATFORM.get("create", Map.of("contract", SandboxOptions.DEFAULT_CONTRACT, "email", "ops@example.com",
                "target", "13.0", "aim", "test", "filename", "db.sql"));
        assertThat(v1.get("failures")).isEmpty();
        Map<String, String> asV1 = new HashMap<>(Map.of("request", Long.toString(current.id), "key", current.key));
        assertThat(PLATFORM.get("status", asV1).get("failures").get(0).get("reason").asText()).isEqualTo("REQUEST:NOT_FOUND");
    }

    @Test
    void aRestartedSandboxKnowsTheTokenAndFinishesTheUpgrade(@TempDir Path data) throws Exception {
        String token;
        try (SandboxFixture first = SandboxFixture.start(data, "--pending", "200ms", "--progress", "300ms")) {
            CurrentClient client = new CurrentClient(first.sandbox.currentApiUrl(), dir.resolve("restart"));
            JsonNode created = client.create(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test");
            token = created.get("token").asText();
            Files.writeString(first.sandbox.store().dataDir(created.get("request_id").asLong()).resolve("origin.sql"), Dumps.plainSql("15.4"));
            first.sandbox.faults().holdFilenames(Pattern.compile("origin"));
            client.result("process", Map.of("token", token));
        }
        try (SandboxFixture again = SandboxFixture.start(data, "--pending", "200ms", "--progress", "300ms")) {
            CurrentClient client = new CurrentClient(again.sandbox.currentApiUrl(), dir.resolve("restart"));
            assertThat(client.awaitEnd(token, Duration.ofSeconds(30)).get("status").asText()).isEqualTo("done");
        }
    }
}
