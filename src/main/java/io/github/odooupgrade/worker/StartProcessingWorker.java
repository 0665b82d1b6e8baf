package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Asks the platform to process the uploaded dump. {@code process} is never blindly repeated: a job
 * delivered again reads the status first and only calls it while the request is still a draft.
 */
@Component
public class StartProcessingWorker {
    private static final Logger log = LoggerFactory.getLogger(StartProcessingWorker.class);

    private final UpgradeClient client;
    private final ProcessSecrets secrets;
    private final CurrentRequests current;

    StartProcessingWorker(UpgradeClient client, ProcessSecrets secrets, CurrentRequests current) {
        this.client = client;
        this.secrets = secrets;
        this.current = current;
    }

    @JobWorker(type = JobType.START_PROCESSING)
    public Map<String, Object> process(ActivatedJob job) {
        if (CurrentRequests.current(job.getVariablesAsMap())) {
            return current.process(job, job.getVariablesAsMap());
        }
        RequestRef ref = secrets.request(job.getVariablesAsMap());
        RequestStatus before = client.status(ref);
        if (before.isDraft()) {
            client.process(ref);
            log.info("instance {}: processing of request {} requested", job.getProcessInstanceKey(), ref.id());
        } else {
            log.info("instance {}: request {} is already {}, not asking again", job.getProcessInstanceKey(), ref.id(), before.state());
        }
        return Map.of(Var.REQUEST_STATE, client.status(ref).state());
    }
}
