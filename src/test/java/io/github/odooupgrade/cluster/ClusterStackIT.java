package io.github.odooupgrade.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.search.enums.ProcessInstanceState;
import io.github.odooupgrade.cli.WorkersCommand;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.process.UpgradeProcess;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.secrets.Sealer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Cluster mode, whole: docker-compose.yml's Camunda 8.8 orchestration cluster, the workers' and the
 * sandbox's containers (built from the jar this build made), and one upgrade of the sample dump
 * started over the cluster's API and followed to its end. Needs a Docker engine: skipped without
 * one (the project's development machines have none).
 */
@Testcontainers(disabledWithoutDocker = true)
class ClusterStackIT {
    static final Path SAMPLE = Path.of("src/main/resources/sample").toAbsolutePath();

    @Container
    static final ComposeContainer STACK = new ComposeContainer(new File("docker-compose.yml"))
            // free host ports: the file's defaults (8080, 26500, ...) may be taken where this runs
            .withEnv("ORCHESTRATION_GRPC_PORT", freePort())
            .withEnv("ORCHESTRATION_REST_PORT", freePort())
            .withEnv("ORCHESTRATION_MANAGEMENT_PORT", freePort())
            .withEnv("SANDBOX_HTTP_PORT", freePort())
            .withEnv("SANDBOX_SFTP_PORT", freePort())
            .withEnv("UPGRADE_SEALKEY", Sealer.newBase64Key())
            .withEnv("UPGRADE_DUMPS", SAMPLE.toString())
            .withEnv("UPGRADE_POLLINTERVAL", "PT2S")
            .withBuild(true)
            .withExposedService("orchestration", 26500, Wait.forListeningPort().withStartupTimeout(Duration.ofMinutes(5)))
            .withExposedService("orchestration", 8080, Wait.forHttp("/v2/topology").forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(5)))
            .waitingFor("workers", Wait.forLogMessage(".*" + Pattern.quote(WorkersCommand.READY) + ".*", 1)
                    .withStartupTimeout(Duration.ofMinutes(5)));

    private static String freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Integer.toString(s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anUpgradeStartedOnTheClusterRunsToTheUpgradedDump() throws Exception {
        String host = STACK.getServiceHost("orchestration", 8080);
        try (CamundaClient camunda = CamundaClient.newClientBuilder()
                .grpcAddress(URI.create("http://" + host + ":" + STACK.getServicePort("orchestration", 26500)))
                .restAddress(URI.create("http://" + host + ":" + STACK.getServicePort("orchestration", 8080)))
                .build()) {
            long instance = await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> camunda.newCreateInstanceCommand()
                    .bpmnProcessId(UpgradeProcess.PROCESS_ID).latestVersion()
                    .variables(Map.of(Var.DUMP_FILE, "/dumps/odoo-sample.sql", Var.EMAIL, "ops@example.com", Var.TARGET, "13.0",
                            Var.AIM, "test", Var.UPLOAD_METHOD, "https"))
                    .send().join().getProcessInstanceKey(), key -> key > 0);

            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(
                    () -> camunda.newProcessInstanceGetRequest(instance).send().join().getState() == ProcessInstanceState.COMPLETED);

            String sha = camunda.newVariableSearchRequest()
                    .filter(f -> f.processInstanceKey(instance).name(Var.UPGRADED_DUMP_SHA256))
                    .send().join().items().get(0).getValue();
            assertThat(sha).isEqualTo("\"" + Dumps.sha256(SAMPLE.resolve("odoo-sample.sql")) + "\"");
        }
    }
}
