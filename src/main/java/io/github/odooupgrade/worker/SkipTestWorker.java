package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.service.ProcessSecrets;
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
    private final UpgradeProperties props;

    public SkipTestWorker(UpgradeClient client, ProcessSecrets secrets, UpgradeProperties props) {
        this.client = client;
        this.secrets = secrets;
        this.props = props;
    }

    @JobWorker(type = JobType.SKIP_TEST)
    public Map<String, Object> skipTest(ActivatedJob job) {
        return JobFailures.guard(job, props.retryBackoff(), () -> {
            RequestRef ref = secrets.request(job.getVariablesAsMap());
            String state = client.status(ref).state();
            if (state.equals("done") || state.equals("delivered")) {
                log.info("instance {}: request {} is already {}, nothing to skip", job.getProcessInstanceKey(), ref.id(), state);
            } else {
                client.skipTest(ref);
                log.info("instance {}: platform tests of request {} skipped", job.getProcessInstanceKey(), ref.id());
            }
            return Map.of(Var.REQUEST_STATE, client.status(ref).state());
        });
    }
}
