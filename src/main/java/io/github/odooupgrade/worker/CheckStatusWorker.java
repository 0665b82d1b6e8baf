package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.service.ProcessSecrets;
import io.github.odooupgrade.transfer.HttpDownload;
import io.github.odooupgrade.api.TransferProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One turn of the polling loop: reads the status, sets {@code outcome} (running / succeeded /
 * failed — a state this worker does not know counts as running) for the model's gateway. When the
 * upgrade failed, the platform's report is saved next to the results, for the person who reviews
 * it (its URL embeds the request key, so it is not put in a variable).
 */
@Component
public class CheckStatusWorker {
    private static final Logger log = LoggerFactory.getLogger(CheckStatusWorker.class);

    private final UpgradeClient client;
    private final ProcessSecrets secrets;
    private final HttpDownload download;
    private final UpgradeProperties props;

    public CheckStatusWorker(UpgradeClient client, ProcessSecrets secrets, HttpDownload download, UpgradeProperties props) {
        this.client = client;
        this.secrets = secrets;
        this.download = download;
        this.props = props;
    }

    @JobWorker(type = JobType.CHECK_STATUS)
    public Map<String, Object> check(ActivatedJob job) {
        return JobFailures.guard(job, props.retryBackoff(), () -> {
            Map<String, Object> vars = job.getVariablesAsMap();
            RequestRef ref = secrets.request(vars);
            RequestStatus s = client.status(ref);
            int polls = vars.get(Var.POLL_COUNT) instanceof Number n ? n.intValue() + 1 : 1;
            String outcome = switch (s.outcome()) {
                case RUNNING -> Value.RUNNING;
                case SUCCEEDED -> Value.SUCCEEDED;
                case FAILED -> Value.FAILED;
            };
            log.info("instance {}: request {} is {} (elapsed {}, estimated {}), poll {}", job.getProcessInstanceKey(), ref.id(),
                    s.state(), s.elapsed(), s.estimatedTime(), polls);
            Map<String, Object> out = new HashMap<>();
            out.put(Var.REQUEST_STATE, s.state());
            out.put(Var.OUTCOME, outcome);
            out.put(Var.PLATFORM, StatusVariables.platform(s));
            out.put(Var.POLL_COUNT, polls);
            if (outcome.equals(Value.FAILED) && s.notesUrl() != null) {
                out.put(Var.NOTES_FILE, saveNotes(ref, s));
            }
            return out;
        });
    }

    private String saveNotes(RequestRef ref, RequestStatus s) {
        Path notes = props.outputDir().resolve("request-" + ref.id()).resolve("notes.html").toAbsolutePath();
        try {
            Files.createDirectories(notes.getParent());
            return download.download(s.notesUrl(), notes, TransferProgress.NONE).file().toString();
        } catch (RuntimeException | IOException e) {
            // the review can go on without it; say so where the reviewer looks
            log.warn("the report of failed request {} could not be saved: {}", ref.id(), e.getMessage());
            return null;
        }
    }
}
