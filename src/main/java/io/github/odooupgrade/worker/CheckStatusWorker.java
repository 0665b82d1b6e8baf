package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One turn of the polling loop: reads the status, sets {@code outcome} (running / succeeded /
 * failed — a state this worker does not know counts as running) for the model's gateway. When the
 * upgrade failed, the platform's report is saved with the results, for the person who reviews it.
 */
@Component
public class CheckStatusWorker {
    private static final Logger log = LoggerFactory.getLogger(CheckStatusWorker.class);

    private final UpgradeClient client;
    private final ProcessSecrets secrets;
    private final ResultsFolder results;
    private final UpgradeMetrics metrics;
    private final CurrentRequests current;

    CheckStatusWorker(UpgradeClient client, ProcessSecrets secrets, ResultsFolder results, UpgradeMetrics metrics, CurrentRequests current) {
        this.current = current;
        this.client = client;
        this.secrets = secrets;
        this.results = results;
        this.metrics = metrics;
    }

    @JobWorker(type = JobType.CHECK_STATUS)
    public Map<String, Object> check(ActivatedJob job) throws java.io.IOException {
        Map<String, Object> vars = job.getVariablesAsMap();
        if (CurrentRequests.current(vars)) {
            return current.check(job, vars);
        }
        RequestRef ref = secrets.request(vars);
        RequestStatus s = client.status(ref);
        int polls = vars.get(Var.POLL_COUNT) instanceof Number n ? n.intValue() + 1 : 1;
        String outcome = StatusVariables.outcome(s);
        log.info("instance {}: request {} is {} (elapsed {}, estimated {}), poll {}", job.getProcessInstanceKey(), ref.id(),
                s.state(), s.elapsed(), s.estimatedTime(), polls);
        Map<String, Object> out = new HashMap<>();
        out.put(Var.REQUEST_STATE, s.state());
        out.put(Var.OUTCOME, outcome);
        out.put(Var.PLATFORM, StatusVariables.platform(s));
        out.put(Var.POLL_COUNT, polls);
        metrics.polled(s.state());
        PhaseTimes.stateSeen(vars, s.state(), out, metrics);
        String notes = outcome.equals(Value.FAILED) ? results.saveNotes(ref, s) : null;
        if (notes != null) {
            ResultsFolder.putReport(out, notes);
        }
        return out;
    }
}
