package io.github.odooupgrade.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import io.github.odooupgrade.engine.EmbeddedEngine;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A long transfer keeps its job: while progress is reported the lease is extended; when it stops, the job comes back. */
class JobLeaseTest {
    static EmbeddedEngine engine;
    static CamundaClient client;

    @BeforeAll
    static void start() {
        engine = EmbeddedEngine.start();
        client = CamundaClient.newClientBuilder().grpcAddress(URI.create(engine.grpcAddress())).preferRestOverGrpc(false).build();
        client.newDeployResourceCommand()
                .addProcessModel(Bpmn.createExecutableProcess("transfer").startEvent()
                        .serviceTask("move", t -> t.zeebeJobType("slow-transfer")).endEvent().done(), "transfer.bpmn")
                .send().join();
    }

    @AfterAll
    static void stop() {
        client.close();
        engine.close();
    }

    /**
     * Time is moved by the test, the engine's and the lease's together, so nothing depends on how
     * fast this machine is: a lease of 10 minutes, progress every 4 minutes for an hour.
     */
    @Test
    void whileBytesMoveTheJobStaysWithItsWorkerAndComesBackWhenTheyStop() throws Exception {
        client.newCreateInstanceCommand().bpmnProcessId("transfer").latestVersion().send().join();
        Duration lease = Duration.ofMinutes(10);
        Duration step = Duration.ofMinutes(4);
        ActivatedJob job = await().atMost(Duration.ofSeconds(10)).until(() -> activate(lease), j -> j != null);
        AtomicLong now = new AtomicLong();
        JobLease jobLease = JobLease.start(client, job, lease, "test transfer", now::get);
        awaitTimeoutUpdates(job, 1);

        long done = 0;
        for (int i = 1; i <= 15; i++) { // an hour: six leases
            now.addAndGet(step.toNanos());
            engine.increaseTime(step);
            jobLease.update(done += 1_000_000, 100_000_000);
            awaitTimeoutUpdates(job, 1 + i); // each step is more than a third of the lease: each extends it
            assertThat(activate(lease)).as("handed to a second worker while bytes were moving (minute %d)", i * 4).isNull();
        }

        // the transfer stalls (the worker died): one lease later the job is handed out again
        engine.increaseTime(lease.plusMinutes(1));
        ActivatedJob again = await().atMost(Duration.ofSeconds(30)).until(() -> activate(lease), j -> j != null);
        assertThat(again.getKey()).isEqualTo(job.getKey());
    }

    /**
     * Operate and a campaign's terminal see how far a transfer is: its task's own variable, set when the
     * whole percent moved and at most once a second (time moved by the test), never on the instance.
     */
    @Test
    void progressIsSetOnTheTransfersTaskWhenThePercentMovesAtMostOnceASecond() throws Exception {
        long instance = client.newCreateInstanceCommand().bpmnProcessId("transfer").latestVersion().send().join().getProcessInstanceKey();
        ActivatedJob job = await().atMost(Duration.ofSeconds(10)).until(() -> activate(Duration.ofMinutes(10)),
                j -> j != null && j.getProcessInstanceKey() == instance); // (not the other test's job)
        AtomicLong now = new AtomicLong();
        long total = 1_000_000;
        JobLease lease = JobLease.start(client, job, Duration.ofMinutes(10), "test transfer", now::get);
        try {
            lease.update(0, total); // shown: the transfer began
            now.addAndGet(Duration.ofMillis(500).toNanos());
            lease.update(100_000, total); // 10 %, half a second later: not yet
            now.addAndGet(Duration.ofMillis(1000).toNanos());
            lease.update(200_000, total); // 20 %, 1.5 s after the last shown
            now.addAndGet(Duration.ofSeconds(2).toNanos());
            lease.update(200_500, total); // still 20 %: nothing new
            now.addAndGet(Duration.ofMillis(1100).toNanos());
            lease.update(total, total); // 100 %

            await().atMost(Duration.ofSeconds(10)).until(() -> progressOf(job.getElementInstanceKey()).size() >= 3);
            Thread.sleep(200); // (a fourth, sent wrongly, would have arrived by now)
            assertThat(progressOf(job.getElementInstanceKey())).containsExactly(
                    "{\"percent\":0,\"bytes\":0,\"total\":1000000}",
                    "{\"percent\":20,\"bytes\":200000,\"total\":1000000}",
                    "{\"percent\":100,\"bytes\":1000000,\"total\":1000000}");
            assertThat(engine.variables(instance)).as("the instance's own variables").doesNotContainKey(Var.TRANSFER_PROGRESS);
        } finally {
            client.newCompleteCommand(job.getKey()).send().join(); // (its lease would run out in the other test's time)
        }
    }

    /** The values the variable {@code transferProgress} took in the scope {@code elementInstance}, in order. */
    private static List<String> progressOf(long elementInstance) {
        return StreamSupport.stream(engine.records().spliterator(), false)
                .filter(r -> r.getValueType() == ValueType.VARIABLE && r.getRecordType() == RecordType.EVENT)
                .map(r -> (VariableRecordValue) r.getValue())
                .filter(v -> v.getScopeKey() == elementInstance && v.getName().equals(Var.TRANSFER_PROGRESS))
                .map(VariableRecordValue::getValue).toList();
    }

    /** Waits until the engine has taken {@code count} timeout updates of the job (they are sent without waiting). */
    private static void awaitTimeoutUpdates(ActivatedJob job, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> StreamSupport.stream(engine.records().spliterator(), false)
                .filter(r -> r.getKey() == job.getKey() && r.getIntent() == JobIntent.TIMEOUT_UPDATED).count() >= count);
    }

    private static ActivatedJob activate(Duration timeout) {
        List<ActivatedJob> jobs = client.newActivateJobsCommand().jobType("slow-transfer").maxJobsToActivate(1).timeout(timeout)
                .requestTimeout(Duration.ofMillis(10)).send().join().getJobs();
        return jobs.isEmpty() ? null : jobs.get(0);
    }
}
