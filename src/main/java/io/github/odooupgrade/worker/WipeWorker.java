package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Today's platform: deletes its copy of the request's data once the upgraded database is here, when the start asked so. */
@Component
public class WipeWorker {
    private final CurrentRequests current;

    WipeWorker(CurrentRequests current) {
        this.current = current;
    }

    @JobWorker(type = JobType.WIPE)
    public Map<String, Object> wipe(ActivatedJob job) {
        return current.wipe(job, job.getVariablesAsMap());
    }
}
