package io.github.odooupgrade.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.github.odooupgrade.engine.EmbeddedEngine;
import java.net.URI;
import java.time.Duration;
import java.util.List;
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

    @Test
    void whileBytesMoveTheJobStaysWithItsWorkerAndComesBackWhenTheyStop() throws Exception {
        client.newCreateInstanceCommand().bpmnProcessId("transfer").latestVersion().send().join();
        Duration lease = Duration.ofSeconds(1);
        ActivatedJob job = await().atMost(Duration.ofSeconds(10)).until(() -> activate(lease), j -> j != null);
        JobLease jobLease = JobLease.start(client, job, lease, "test transfer");

        // three leases long, progress every 100 ms: a second worker never gets the job
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        long done = 0;
        while (System.nanoTime() < end) {
            jobLease.update(done += 1_000_000, 100_000_000);
            assertThat(activate(lease)).as("handed to a second worker while bytes were moving").isNull();
            Thread.sleep(100);
        }

        // the transfer stalls (the worker died): within about one lease the job is handed out again
        ActivatedJob again = await().atMost(Duration.ofSeconds(5)).until(() -> activate(lease), j -> j != null);
        assertThat(again.getKey()).isEqualTo(job.getKey());
    }

    private static ActivatedJob activate(Duration timeout) {
        List<ActivatedJob> jobs = client.newActivateJobsCommand().jobType("slow-transfer").maxJobsToActivate(1).timeout(timeout)
                .requestTimeout(Duration.ofMillis(10)).send().join().getJobs();
        return jobs.isEmpty() ? null : jobs.get(0);
    }
}
