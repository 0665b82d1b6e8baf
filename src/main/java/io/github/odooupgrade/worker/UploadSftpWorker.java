package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import java.io.IOException;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Uploads the dump over SFTP with the request's key. Resumable: an upload cut short — in this
 * job or in an earlier delivery of it — goes on from the size already on the server.
 */
@Component
public class UploadSftpWorker {
    private final DraftUpload draftUpload;
    private final WorkerConfiguration.Transfers transfers;
    private final ProcessSecrets secrets;

    UploadSftpWorker(DraftUpload draftUpload, WorkerConfiguration.Transfers transfers, ProcessSecrets secrets) {
        this.draftUpload = draftUpload;
        this.transfers = transfers;
        this.secrets = secrets;
    }

    @JobWorker(type = JobType.UPLOAD_SFTP, timeout = 300_000)
    public Map<String, Object> upload(ActivatedJob job) throws IOException {
        return draftUpload.run(job, "SFTP", (vars, ref, dump, lease) ->
                transfers.sftp().upload(RequestSftpAccessWorker.access(vars), secrets.keyPair(vars), dump, lease));
    }
}
