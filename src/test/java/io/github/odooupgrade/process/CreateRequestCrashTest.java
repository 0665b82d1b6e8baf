package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.worker.CreateRequestWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Zeebe delivers a job at least once. Here the create worker "crashes" after the platform created
 * the request and before the job is completed; the job times out and comes back. The real worker
 * code handles both deliveries (its Spring subscription is switched off so the test can hold the
 * job), every other task runs on the normal workers — and the platform ends up with one request.
 */
@TestPropertySource(properties = "camunda.client.worker.override.upgrade-create-request.enabled=false")
class CreateRequestCrashTest extends ProcessTestCase {



    @Autowired
    CreateRequestWorker createWorker;


    @Test
    void aWorkerCrashBetweenCreateAndCompletionCreatesOneRequest() throws Exception {
        Path dump = Dumps.plain(dumps, "crash-once.sql", "15.4");
        ProcessRecords run = start(input(dump, "test", "https"));

        ActivatedJob first = activate(Duration.ofSeconds(2));
        createWorker.create(first); // the request is created... and the worker dies before completing the job
        long created = requestsNamed("crash-once.sql");
        assertThat(created).isEqualTo(1);

        ActivatedJob again = activate(Duration.ofSeconds(30)); // handed out again once the first lease ran out
        assertThat(again.getKey()).isEqualTo(first.getKey());
        Map<String, Object> result = createWorker.create(again);
        camunda.newCompleteCommand(again.getKey()).variables(result).send().join();

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(requestsNamed("crash-once.sql")).as("one request on the platform").isEqualTo(1);
        assertThat(SANDBOX.store().get(run.variable(Var.REQUEST_ID).asLong()).state.wire()).isEqualTo("done");
    }

    private ActivatedJob activate(Duration timeout) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<ActivatedJob> jobs = camunda.newActivateJobsCommand().jobType(JobType.CREATE_REQUEST).maxJobsToActivate(1)
                    .timeout(timeout).requestTimeout(Duration.ofSeconds(1)).send().join().getJobs();
            return jobs.isEmpty() ? null : jobs.get(0);
        }, j -> j != null);
    }

    private static long requestsNamed(String filename) {
        return SANDBOX.store().all().stream().filter(r -> r.filename.equals(filename)).count();
    }
}
