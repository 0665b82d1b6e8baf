package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import java.io.IOException;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Today's platform: sends the dump with rsync over ssh through a transfer window, with the request's key. An upload cut
 * short goes on, in the next attempt, from what arrived; skipped once the request has left new.
 */
@Component
public class UploadRsyncWorker {
    private final RsyncSteps rsync;

    UploadRsyncWorker(RsyncSteps rsync) {
        this.rsync = rsync;
    }

    @JobWorker(type = JobType.UPLOAD_RSYNC, timeout = 300_000)
    public Map<String, Object> upload(ActivatedJob job) throws IOException {
        return rsync.upload(job, job.getVariablesAsMap());
    }
}
