package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camunda.client.CamundaClient;
import io.github.odooupgrade.engine.EmbeddedEngine;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.Sandbox;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.sandbox.TransferGauge;
import io.github.odooupgrade.secrets.Sealer;
import io.github.odooupgrade.worker.UpgradeApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The fixture of every process test: the real workers (a Spring context) on one embedded Zeebe
 * engine, against one sandbox, over real sockets — the workers reach the engine over gRPC and the
 * sandbox over HTTP/SFTP. Engine and sandbox are shared by all process tests of a JVM (they outlive
 * any one class); each test starts with no sandbox fault armed and leaves none behind, finds its own
 * instances and tasks only, and ends every instance it starts: one it leaves running is cancelled and fails it.
 */
@SpringBootTest(classes = UpgradeApplication.class)
@DirtiesContext // one set of workers on the shared engine at a time
abstract class ProcessTestCase {
    static final Duration RUN = Duration.ofSeconds(60);
    static final Path ROOT;
    static final EmbeddedEngine ENGINE;
    static final Sandbox SANDBOX;
    static final String SEAL_KEY = Sealer.newBase64Key();

    static {
        try {
            ROOT = Files.createTempDirectory("process-tests");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ENGINE = EmbeddedEngine.start();
        // a few hundred milliseconds per platform step: a run polls a few times and ends in seconds
        SANDBOX = Sandbox.start(SandboxOptions.parse("--data-dir", ROOT.resolve("sandbox").toString(), "--http-port", "0",
                "--sftp-port", "0", "--pending", "300ms", "--progress", "600ms", "--test", "600ms"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            SANDBOX.close();
            ENGINE.close();
        }));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("camunda.client.mode", () -> "self-managed");
        r.add("camunda.client.grpc-address", ENGINE::grpcAddress);
        r.add("camunda.client.rest-address", () -> "http://127.0.0.1:1"); // the embedded engine has none
        r.add("camunda.client.prefer-rest-over-grpc", () -> "false");
        r.add("upgrade.api-url", SANDBOX::apiUrl);
        r.add("upgrade.current-api-url", SANDBOX::currentApiUrl);
        r.add("upgrade.seal-key", () -> SEAL_KEY);
        // used when the start form leaves it empty; a class with workers that have none says test.workers-contract= (as a
        // @TestPropertySource: a subclass's own @DynamicPropertySource would be overridden by this one)
        r.add("upgrade.contract", () -> "${test.workers-contract:" + SandboxOptions.DEFAULT_CONTRACT + "}");
        r.add("upgrade.output-dir", () -> ROOT.resolve("output").toString());
        r.add("upgrade.poll-interval", () -> "PT1S");
        r.add("upgrade.retry-backoff", () -> "PT0.2S");
        r.add("upgrade.sftp-threshold", () -> "1MB");
        r.add("upgrade.api.backoff-min", () -> "PT0.05S");
        r.add("upgrade.api.backoff-max", () -> "PT0.2S");
        r.add("upgrade.sftp.known-hosts", () -> ROOT.resolve("sandbox/ssh/known_hosts").toString());
        r.add("upgrade.postgres.host", () -> "127.0.0.1"); // the machine's PostgreSQL (trust auth)
        r.add("upgrade.postgres.user", () -> "postgres");
        r.add("upgrade.postgres.filestore-root", () -> ROOT.resolve("filestore").toString());
    }

    @Autowired
    CamundaClient camunda;

    @TempDir
    Path dumps;

    private final List<ProcessRecords> started = new ArrayList<>();

    @BeforeEach
    @AfterEach
    void noFaults() {
        SANDBOX.faults().reset();
    }

    /** The engine outlives the test: what it left running would wait there for the next test's workers and tasks. */
    @AfterEach
    void nothingLeftRunning() {
        List<String> running = new ArrayList<>();
        for (ProcessRecords run : started) {
            if (!run.ended()) {
                running.add(run.instance() + " (" + run.whereItStands() + ")");
                camunda.newCancelInstanceCommand(run.instance()).send().join();
            }
        }
        started.clear();
        assertThat(running).as("instances this test left running (cancelled now): a test ends what it starts").isEmpty();
        // a transfer still counted in flight would count against the next test's limits
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Stream.of(TransferGauge.Kind.values())
                .filter(k -> SANDBOX.faults().transfers().inFlight(k) > 0)).as("transfers still in flight").isEmpty());
    }

    ProcessRecords start(Map<String, Object> variables) {
        return start(UpgradeProcess.PROCESS_ID, variables);
    }

    ProcessRecords start(String processId, Map<String, Object> variables) {
        long key = camunda.newCreateInstanceCommand().bpmnProcessId(processId).latestVersion()
                .variables(variables).send().join().getProcessInstanceKey();
        ProcessRecords run = new ProcessRecords(ENGINE, key);
        started.add(run);
        return run;
    }

    /** What an operator does in Operate with a run stopped on an incident they will not resolve. */
    void cancel(ProcessRecords run) {
        camunda.newCancelInstanceCommand(run.instance()).send().join();
        await().atMost(RUN).until(run::ended);
    }

    /** What the start form submits. */
    static Map<String, Object> input(Path dump, String aim, String method) {
        Map<String, Object> in = new HashMap<>();
        if (dump != null) {
            in.put(Var.DUMP_FILE, dump.toString());
        }
        in.put(Var.CONTRACT, SandboxOptions.DEFAULT_CONTRACT);
        in.put(Var.EMAIL, "ops@example.com");
        in.put(Var.TARGET, "13.0");
        in.put(Var.AIM, aim);
        in.put(Var.UPLOAD_METHOD, method);
        in.put(Var.SKIP_TESTS, false);
        return in;
    }
}
