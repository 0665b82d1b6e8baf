package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.worker.JobWorker;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.github.odooupgrade.engine.EmbeddedEngine;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Not a test of the suite (its name keeps it out; bench/engine-backoff.sh runs it): instances one after the
 * other, each with one job that fails once with a back-off, on the embedded engine. Counts the back-offs the
 * engine refused (BackoffRepair) and the instances that did not end within 15 s.
 */
class BackoffSoak {
    @Test
    void everyInstanceEndsThoughTheEngineRefusesSomeBackoffs() throws Exception {
        int instances = Integer.getInteger("soak.instances", 400);
        Duration backoff = Duration.ofMillis(Long.getLong("soak.backoffMillis", 200));
        try (EmbeddedEngine engine = EmbeddedEngine.start();
                CamundaClient client = CamundaClient.newClientBuilder().grpcAddress(URI.create(engine.grpcAddress()))
                        .preferRestOverGrpc(false).build()) {
            client.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess("soak").startEvent()
                    .serviceTask("work", t -> t.zeebeJobType("soak-work")).endEvent().done(), "soak.bpmn").send().join();
            try (JobWorker worker = client.newWorker().jobType("soak-work").handler((jobs, job) -> {
                if (job.getRetries() == 3) {
                    jobs.newFailCommand(job).retries(2).retryBackoff(backoff).errorMessage("once").send().join();
                } else {
                    jobs.newCompleteCommand(job).send().join();
                }
            }).open()) {
                int stuck = 0;
                long slowest = 0;
                for (int i = 0; i < instances; i++) {
                    long start = System.nanoTime();
                    ProcessRecords run = new ProcessRecords(engine, client.newCreateInstanceCommand().bpmnProcessId("soak")
                            .latestVersion().send().join().getProcessInstanceKey());
                    boolean ended;
                    while (!(ended = run.ended()) && System.nanoTime() - start < Duration.ofSeconds(15).toNanos()) {
                        Thread.sleep(20);
                    }
                    stuck += ended ? 0 : 1;
                    slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
                }
                long refused = engine.records().stream().filter(r -> r.getRecordType() == RecordType.COMMAND_REJECTION
                        && r.getValueType() == ValueType.JOB && r.getIntent() == JobIntent.RECUR_AFTER_BACKOFF).count();
                System.out.printf("soak: instances %d, back-off %d ms, back-offs refused %d, instances not ended within 15 s %d, slowest %d ms%n",
                        instances, backoff.toMillis(), refused, stuck, slowest);
                assertThat(stuck).isZero();
            }
        }
    }
}
