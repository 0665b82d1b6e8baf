package io.github.odooupgrade.worker;

import io.camunda.client.CamundaClient;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.CamundaError;
import io.github.odooupgrade.api.CreateParams;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.api.UpgradeTechnicalException;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Creates the upgrade request. {@code create} is not idempotent — calling it twice makes two
 * requests — and Zeebe delivers a job at least once, so the new request is written into the
 * instance (set variables) the moment the platform answers, before the job completes. A job
 * delivered again (worker crash, timeout) finds {@code requestId} and does not create another.
 * What remains is the few milliseconds between the platform's answer and that write.
 */
@Component
public class CreateRequestWorker {
    private static final Logger log = LoggerFactory.getLogger(CreateRequestWorker.class);

    private final UpgradeClient client;
    private final ProcessSecrets secrets;
    private final CamundaClient camunda;
    private final CurrentRequests current;

    CreateRequestWorker(UpgradeClient client, ProcessSecrets secrets, CamundaClient camunda, CurrentRequests current) {
        this.client = client;
        this.secrets = secrets;
        this.camunda = camunda;
        this.current = current;
    }

    @JobWorker(type = JobType.CREATE_REQUEST)
    public Map<String, Object> create(ActivatedJob job) {
        Map<String, Object> vars = job.getVariablesAsMap();
        if (secrets.hasRequest(vars)) {
            log.info("instance {}: request {} already exists (job delivered again); not creating another",
                    job.getProcessInstanceKey(), vars.get(Var.REQUEST_ID));
            return Map.of();
        }
        RequestStatus created;
        try {
            if (CurrentRequests.current(vars)) {
                return current.create(job, vars);
            }
            created = client.create(new CreateParams(secrets.contract(vars), (String) vars.get(Var.EMAIL),
                    (String) vars.get(Var.TARGET), (String) vars.get(Var.AIM), (String) vars.get(Var.DUMP_NAME),
                    (String) vars.get(Var.TIMEZONE)));
        } catch (UpgradeTechnicalException e) {
            if (e.notHandled()) {
                throw e; // the platform did not act on it (never reached, 503, 429): the job may be tried again
            }
            // a timeout, a reset after sending, a 502 or 504 may hide a request that was created: trying again could make a second
            throw CamundaError.jobError("create may have reached the platform (" + e.getMessage() + "); not tried again "
                    + "automatically, since a second create would make a second request. Check the platform's mail to "
                    + vars.get(Var.EMAIL) + ": if it announces a new request, cancel this instance; if not, retry this job in Operate",
                    null, 0, Duration.ZERO);
        }
        Map<String, Object> out = fresh(Map.of(Var.REQUEST_ID, created.id(), Var.REQUEST_KEY_SEALED, secrets.seal(created.key())));
        camunda.newSetVariablesCommand(job.getProcessInstanceKey()).variables(out).send().join();
        log.info("instance {}: upgrade request {} created", job.getProcessInstanceKey(), created.id());
        return out;
    }

    /** A new request's variables, and none of the last request's (a retry's, a test-first run's test): {@link Var#PER_REQUEST}. */
    static Map<String, Object> fresh(Map<String, Object> request) {
        Map<String, Object> out = new HashMap<>();
        Var.PER_REQUEST.forEach(name -> out.put(name, null));
        out.putAll(request);
        return out;
    }
}
