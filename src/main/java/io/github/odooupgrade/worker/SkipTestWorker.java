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

/** Tells the platform to skip its tests and deliver the upgraded dump at once ({@code delivered}). */
@Component
public class SkipTestWorker {
    private static final Logger log = LoggerFactory.getLogger(SkipTestWorker.class);

    private final UpgradeClient client;
    private final ProcessSecrets secrets;

    SkipTestWorker(UpgradeClient client, ProcessSecrets secrets) {
        this.client = client;
        this.secrets = secrets;
    }

    @JobWorker(type = JobType.SKIP_TEST)
    public Map<String, Object> skipTest(ActivatedJob job) {
        RequestRef ref = secrets.request(job.getVariablesAsMap());
        RequestStatus before = client.status(ref);
        if (before.isDelivered()) {
            log.info("instance {}: request {} is already {}, nothing to skip", job.getProcessInstanceKey(), ref.id(), before.state());
        } else {
            client.skipTest(ref);
            log.info("instance {}: platform tests of request {} skipped", job.getProcessInstanceKey(), ref.id());
        }
        return Map.of(Var.REQUEST_STATE, client.status(ref).state());
    }
}
