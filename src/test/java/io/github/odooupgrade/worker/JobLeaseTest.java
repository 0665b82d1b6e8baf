package io.github.odooupgrade.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.github.odooupgrade.engine.EmbeddedEngine;
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
