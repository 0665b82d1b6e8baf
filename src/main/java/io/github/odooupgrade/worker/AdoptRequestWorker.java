package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.process.InputValidator.InvalidInputException;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Continues a request made before — by a run that stopped, an instance cancelled in Operate, Odoo's
 * own client — instead of creating one: asks the platform where the request is, and {@code outcome}
 * tells the model's gateway where to enter (draft → the upload, running → the polling, ended → the
 * download or the review). Only reads: a job delivered again asks again.
 */
@Component
public class AdoptRequestWorker {
    private static final Logger log = LoggerFactory.getLogger(AdoptRequestWorker.class);

    private final UpgradeClient client;
    private final ProcessSecrets secrets;
    private final ResultsFolder results;
    private final CurrentRequests current;

    AdoptRequestWorker(UpgradeClient client, ProcessSecrets secrets, ResultsFolder results, CurrentRequests current) {
        this.current = current;
        this.client = client;
        this.secrets = secrets;
        this.results = results;
    }

    @JobWorker(type = JobType.ADOPT_REQUEST)
    public Map<String, Object> adopt(ActivatedJob job) {
        Map<String, Object> vars = job.getVariablesAsMap();
        if (CurrentRequests.current(vars)) {
            return current.adopt(job, vars);
        }
        RequestRef ref = secrets.request(vars);
        RequestStatus s = client.status(ref); // an unknown request or a wrong key: the platform's failure, PLATFORM_REJECTED
        String outcome = s.isDraft() ? Value.DRAFT : StatusVariables.outcome(s);
        Map<String, Object> out = new HashMap<>();
        if (outcome.equals(Value.DRAFT) && vars.get(Var.DUMP_FILE) == null) {
            throw new InvalidInputException(List.of("request " + ref.id() + " is still a draft: the platform has no dump yet; "
                    + "give the dump file (dumpFile) to continue it"));
        }
        log.info("instance {}: continuing request {}, which is {}: {}", job.getProcessInstanceKey(), ref.id(), s.state(),
                next(outcome, vars.get(Var.UPLOAD_METHOD)));
        out.put(Var.REQUEST_STATE, s.state());
        out.put(Var.OUTCOME, outcome);
        out.put(Var.PLATFORM, StatusVariables.platform(s));
        out.put(Var.DETECTED, StatusVariables.detected(s));
        if (vars.get(Var.DUMP_NAME) == null && s.filename() != null) {
            out.put(Var.DUMP_NAME, s.filename()); // the download is named after it
        }
        String notes = outcome.equals(Value.FAILED) ? results.saveNotes(ref, s) : null;
        if (notes != null) {
            ResultsFolder.putReport(out, notes);
        }
        return out;
    }

    private static String next(String outcome, Object method) {
        return switch (outcome) {
            case Value.DRAFT -> Value.METHOD_SFTP.equals(method)
                    ? "the dump goes on over SFTP from the size the server holds"
                    : "the dump is sent again over HTTPS, from its first byte (the v1 upload cannot append)";
            case Value.RUNNING -> "waiting for it";
            case Value.SUCCEEDED -> "downloading the upgraded dump";
            default -> "it ended without an upgrade: its review follows";
        };
    }
}
