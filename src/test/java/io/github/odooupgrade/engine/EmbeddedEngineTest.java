package io.github.odooupgrade.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The adapter over zeebe-process-test's engine: loopback gateway, native user tasks completed without Tasklist. */
class EmbeddedEngineTest {
    static EmbeddedEngine engine;
    static CamundaClient client;

    @BeforeAll
    static void start() {
        engine = EmbeddedEngine.start();
        client = CamundaClient.newClientBuilder()
                .grpcAddress(URI.create(engine.grpcAddress()))
                .preferRestOverGrpc(false)
                .build();
        BpmnModelInstance model = Bpmn.createExecutableProcess("approve")
                .startEvent()
                .userTask("decide").zeebeUserTask()
                .endEvent("approved")
                .done();
        client.newDeployResourceCommand().addProcessModel(model, "approve.bpmn").send().join();
    }

    @AfterAll
    static void stop() {
        client.close();
        engine.close();
    }

    @Test
    void aNativeUserTaskIsListedAndCompletedWithTheFormsVariables() {
        long instance = client.newCreateInstanceCommand().bpmnProcessId("approve").latestVersion()
                .variables(Map.of("requestId", 7)).send().join().getProcessInstanceKey();

        EmbeddedEngine.OpenUserTask task = await().atMost(Duration.ofSeconds(10)).until(
                () -> engine.openUserTasks().stream().filter(t -> t.processInstanceKey() == instance).findFirst().orElse(null),
                t -> t != null);
        assertThat(task.elementId()).isEqualTo("decide");

        engine.completeUserTask(task.key(), Map.of("approval", "approve", "approvalComment", "go"));

        await().atMost(Duration.ofSeconds(10)).until(() -> completed(instance));
        assertThat(variable(instance, "approval")).isEqualTo("\"approve\"");
        assertThat(variable(instance, "approvalComment")).isEqualTo("\"go\"");
        assertThat(engine.openUserTasks()).noneMatch(t -> t.processInstanceKey() == instance);
    }

    @Test
    void completingAnUnknownTaskIsRejectedByTheEngineNotSilentlyAccepted() {
        engine.completeUserTask(123456789L, Map.of());

        await().atMost(Duration.ofSeconds(10)).until(() -> records().anyMatch(r -> r.getValueType() == ValueType.USER_TASK
                && r.getRecordType() == RecordType.COMMAND_REJECTION && r.getKey() == 123456789L
                && r.getIntent() == UserTaskIntent.COMPLETE));
    }

    @Test
    void theGatewayListensOnLoopbackOnly() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), engine.port()), 2000);
            assertThat(s.isConnected()).isTrue();
        }
        // Linux routes all of 127.0.0.0/8 to the loopback interface: a server bound to every interface
        // answers on 127.0.0.2 too, one bound to 127.0.0.1 refuses it at once (no other host is involved)
        InetAddress otherLoopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
        try (Socket s = new Socket()) {
            assertThatThrownBy(() -> s.connect(new InetSocketAddress(otherLoopback, engine.port()), 2000))
                    .as("the gateway is bound to 127.0.0.1 only")
                    .isInstanceOf(ConnectException.class)
                    .hasMessageContaining("refused");
        }
    }

    @Test
    void theEngineKeepsProcessingWhileItsLogIsReadAndWrittenAtOnce() throws Exception {
        BpmnModelInstance pass = Bpmn.createExecutableProcess("pass").startEvent().endEvent("passed").done();
        client.newDeployResourceCommand().addProcessModel(pass, "pass.bpmn").send().join();
        // what a run does: instances started over gRPC while the log is read over and over (the run's observer)
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        client.newCreateInstanceCommand().bpmnProcessId("pass").latestVersion().send().join();
                    }
                }));
            }
            work.add(threads.submit(() -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (work.stream().limit(3).anyMatch(f -> !f.isDone()) && System.nanoTime() < deadline) {
                    records().count();
                }
            }));
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        long started = client.newCreateInstanceCommand().bpmnProcessId("pass").latestVersion().send().join().getProcessInstanceKey();
        await().atMost(Duration.ofSeconds(10)).until(() -> records().anyMatch(r -> r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED
                && r.getValue() instanceof ProcessInstanceRecordValue v && v.getProcessInstanceKey() == started
                && v.getBpmnElementType() == BpmnElementType.PROCESS));
    }

    /**
     * The engine's own fault, brought about on purpose: with its clock stopped in the last millisecond of a failed
     * job's back-off, the engine's check sends the job back and the engine refuses it ("no such job was found"), and
     * nothing of the engine's asks again. Once the clock has moved on, BackoffRepair's command hands it out.
     */
    @Test
    void aBackoffTheEngineRefusesInItsLastMillisecondIsAskedAgainOnceItIsOver() {
        BpmnModelInstance work = Bpmn.createExecutableProcess("retry").startEvent().serviceTask("work", t -> t.zeebeJobType("retried"))
                .endEvent().done();
        client.newDeployResourceCommand().addProcessModel(work, "retry.bpmn").send().join();
        long start = System.currentTimeMillis();
        engine.pinClock(start);
        try {
            long instance = client.newCreateInstanceCommand().bpmnProcessId("retry").latestVersion().send().join().getProcessInstanceKey();
            long job = await().atMost(Duration.ofSeconds(10)).until(() -> activated(instance), j -> j != null);
            client.newFailCommand(job).retries(2).retryBackoff(Duration.ofSeconds(1)).errorMessage("fails once").send().join();

            engine.pinClock(start + 1000); // the back-off's last millisecond
            await().atMost(Duration.ofSeconds(10)).until(() -> records().anyMatch(r -> r.getKey() == job
                    && r.getRecordType() == RecordType.COMMAND_REJECTION && r.getIntent() == JobIntent.RECUR_AFTER_BACKOFF
                    && r.getRejectionReason().contains("no such job was found")));
            assertThat(activated(instance)).as("the job refused its return").isNull();

            engine.pinClock(start + 1001);
            assertThat(await().atMost(Duration.ofSeconds(10)).until(() -> activated(instance), j -> j != null)).isEqualTo(job);
        } finally {
            engine.releaseClock();
        }
    }

    /** The key of a job of type "retried" of this instance, activated now; null when there is none to activate. */
    private static Long activated(long instance) {
        return client.newActivateJobsCommand().jobType("retried").maxJobsToActivate(5).requestTimeout(Duration.ofMillis(300)).send().join()
                .getJobs().stream().filter(j -> j.getProcessInstanceKey() == instance).map(j -> j.getKey()).findFirst().orElse(null);
    }

    @Test
    void theAdapterIsPinnedToTheEngineOnTheClasspath() {
        assertThat(io.camunda.zeebe.process.test.engine.EngineFactory.class.getPackage().getImplementationVersion())
                .isEqualTo(EmbeddedEngine.ENGINE_VERSION);
    }

    private static Stream<Record<?>> records() {
        return StreamSupport.stream(engine.records().spliterator(), false);
    }

    private static boolean completed(long instance) {
        return records().anyMatch(r -> r.getValueType() == ValueType.PROCESS_INSTANCE
                && r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED
                && ((ProcessInstanceRecordValue) r.getValue()).getBpmnElementType() == BpmnElementType.PROCESS
                && r.getKey() == instance);
    }

    private static String variable(long instance, String name) {
        return records().filter(r -> r.getValueType() == ValueType.VARIABLE)
                .map(r -> (VariableRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == instance && v.getName().equals(name))
                .reduce((a, b) -> b).map(VariableRecordValue::getValue).orElse(null);
    }
}
