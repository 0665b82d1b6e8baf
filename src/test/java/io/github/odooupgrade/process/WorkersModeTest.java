package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.github.odooupgrade.cli.WorkersCommand;
import io.github.odooupgrade.engine.EmbeddedEngine;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.Sandbox;
import io.github.odooupgrade.sandbox.SandboxFixture;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.secrets.Sealer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Workers mode as {@code odoo-upgrade workers} starts it (its Spring application and defaults),
 * connected over gRPC to an embedded engine of its own and to a sandbox: runs end, and the
 * management port's {@code /actuator/prometheus} and {@code /actuator/health} say what happened.
 */
class WorkersModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path root;
    private static EmbeddedEngine engine;
    private static Sandbox sandbox;
    private static ConfigurableApplicationContext workers;
    private static int port;
    /** How long the test's workers keep a health answer. */
    private static final Duration HEALTH_KEPT = Duration.ofSeconds(3);

    @BeforeAll
    static void start() throws IOException {
        root = Files.createTempDirectory("workers-mode");
        engine = EmbeddedEngine.start();
        sandbox = Sandbox.start(SandboxOptions.parse("--data-dir", root.resolve("sandbox").toString(), "--http-port", "0",
                "--sftp-port", "0", "--pending", "300ms", "--progress", "600ms", "--test", "600ms"));
        workers = WorkersCommand.application().run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--management.endpoint.health.cache.time-to-live=" + HEALTH_KEPT.toMillis() + "ms", // workers mode keeps it 10 s
                "--spring.mail.host=127.0.0.1", // a mail server that is not there: no part in the workers' health
                "--spring.mail.port=9",
                "--camunda.client.mode=self-managed",
                "--camunda.client.grpc-address=" + engine.grpcAddress(),
                "--camunda.client.rest-address=http://127.0.0.1:1",
                "--camunda.client.prefer-rest-over-grpc=false",
                "--upgrade.api-url=" + sandbox.apiUrl(),
                "--upgrade.api.attempts=1", // a 503 fails the job: the failure is counted
                "--upgrade.seal-key=" + Sealer.newBase64Key(),
                "--upgrade.contract=" + SandboxOptions.DEFAULT_CONTRACT,
                "--upgrade.output-dir=" + root.resolve("output"),
                "--upgrade.poll-interval=PT1S",
                "--upgrade.retry-backoff=PT0.2S",
                "--upgrade.sftp.known-hosts=" + root.resolve("sandbox/ssh/known_hosts"));
        port = ((WebServerApplicationContext) workers).getWebServer().getPort();
    }

    @AfterAll
    static void stop() throws IOException {
        if (workers != null) {
            workers.close();
        }
        sandbox.close();
        engine.close();
        SandboxFixture.deleteTree(root);
    }

    private ProcessRecords start(Map<String, Object> variables) {
        long key = workers.getBean(CamundaClient.class).newCreateInstanceCommand().bpmnProcessId(UpgradeProcess.PROCESS_ID)
                .latestVersion().variables(variables).send().join().getProcessInstanceKey();
        return new ProcessRecords(engine, key);
    }

    @Test
    void anUpgradeIsCountedInPrometheusFormatOnTheManagementPort() throws Exception {
        Path dump = Dumps.plain(root, "counted.sql", "15.4");
        sandbox.faults().failNextCalls(1); // the create request's first call: a 503
        ProcessRecords upgraded = start(ProcessTestCase.input(dump, "test", "https"));
        assertThat(upgraded.awaitEnd(ProcessTestCase.RUN)).isEqualTo(Element.END_UPGRADED);
        Map<String, Object> refusedInput = ProcessTestCase.input(Dumps.plain(root, "refused.sql", "15.4"), "test", "https");
        refusedInput.put(Var.TARGET, "5.0");
        ProcessRecords refused = start(refusedInput);
        assertThat(refused.awaitEnd(ProcessTestCase.RUN)).isEqualTo(Element.END_REQUEST_REJECTED);

        String scrape = get("/actuator/prometheus").body();

        assertThat(sum(scrape, "upgrade_transfer_bytes_total", "direction=\"upload\"", "method=\"https\"")).isEqualTo(Files.size(dump));
        assertThat(sum(scrape, "upgrade_transfer_bytes_total", "direction=\"download\"", "method=\"https\""))
                .isEqualTo(upgraded.variable(Var.UPGRADED_DUMP_SIZE).asDouble());
        assertThat(sum(scrape, "upgrade_transfer_rate_bytes_per_second_count", "direction=\"upload\"")).isEqualTo(1);
        int polls = upgraded.variable(Var.POLL_COUNT).asInt();
        assertThat(polls).isGreaterThan(1);
        assertThat(sum(scrape, "upgrade_status_polls_total")).isEqualTo(polls);
        assertThat(sum(scrape, "upgrade_status_polls_total", "state=\"done\"")).isEqualTo(1);
        assertThat(sum(scrape, "upgrade_platform_state_time_seconds_count")).as("states left while polled").isGreaterThanOrEqualTo(1);
        assertThat(sum(scrape, "upgrade_runs_total", "outcome=\"upgraded\"")).isEqualTo(1);
        assertThat(sum(scrape, "upgrade_runs_total", "outcome=\"rejected\"")).isEqualTo(1);
        assertThat(sum(scrape, "upgrade_job_bpmn_errors_total", "type=\"" + JobType.CREATE_REQUEST + "\"", "code=\"PLATFORM_REJECTED\""))
                .isEqualTo(1);
        assertThat(sum(scrape, "upgrade_job_failures_total", "type=\"" + JobType.CREATE_REQUEST + "\"", "incident=\"false\"")).isEqualTo(1);
        // the starter's own job metrics are kept
        assertThat(sum(scrape, "camunda_job_invocations_total", "action=\"completed\"", "type=\"" + JobType.CHECK_STATUS + "\""))
                .isEqualTo(polls);
    }

    @Test
    void healthSaysWhetherTheCamundaConnectionAndTheUpgradeApiWork() throws Exception {
        HttpResponse<String> up = get("/actuator/health");
        JsonNode health = JSON.readTree(up.body());
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("camundaClient").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("upgradeApi").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").has("mail")).as("a mail server in the workers' health").isFalse();

        sandbox.faults().errorRatePercent(100); // the platform answers every call with 503
        try {
            assertThat(get("/actuator/health").statusCode()).as("the answer of a moment ago, kept").isEqualTo(200);
            HttpResponse<String> down = await().atMost(HEALTH_KEPT.multipliedBy(3)).until(() -> get("/actuator/health"),
                    r -> r.statusCode() != 200);
            JsonNode sick = JSON.readTree(down.body());
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(sick.path("status").asText()).isEqualTo("DOWN");
            assertThat(sick.path("components").path("upgradeApi").path("status").asText()).isEqualTo("DOWN");
            assertThat(sick.path("components").path("upgradeApi").path("details").path("error").asText()).contains("503");
            assertThat(sick.path("components").path("camundaClient").path("status").asText()).isEqualTo("UP");
        } finally {
            sandbox.faults().reset();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of the samples of {@code metric} whose labels include all of {@code labels} (Prometheus text format). */
    private static double sum(String scrape, String metric, String... labels) {
        return scrape.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                .filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
