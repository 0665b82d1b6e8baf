package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.transfer.FileRequestBody;
import java.io.IOException;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Uploads the dump over HTTPS, streamed from the file. Safe to repeat: an upload replaces the
 * draft's file; once the request has left {@code draft}, a job delivered again only reads the status.
 */
@Component
public class UploadHttpsWorker {
    private final DraftUpload draftUpload;
    private final UpgradeClient client;

    UploadHttpsWorker(DraftUpload draftUpload, UpgradeClient client) {
        this.draftUpload = draftUpload;
        this.client = client;
    }

    @JobWorker(type = JobType.UPLOAD_HTTPS, timeout = 300_000)
    public Map<String, Object> upload(ActivatedJob job) throws IOException {
        return draftUpload.run(job, "HTTPS", (vars, ref, dump, lease) -> client.upload(ref, FileRequestBody.of(dump, lease)));
    }
}
