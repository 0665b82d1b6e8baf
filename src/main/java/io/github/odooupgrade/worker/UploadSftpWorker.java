package io.github.odooupgrade.worker;

import io.camunda.client.CamundaClient;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.service.ProcessSecrets;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Uploads the dump over SFTP with the request's key. Resumable: an upload cut short — in this
 * job or in an earlier delivery of it — goes on from the size already on the server.
 */
@Component
public class UploadSftpWorker {
    private final UpgradeClient client;
    private final ProcessSecrets secrets;
    private final WorkerConfiguration.Transfers transfers;
    private final CamundaClient camunda;
    private final UpgradeProperties props;

    public UploadSftpWorker(UpgradeClient client, ProcessSecrets secrets, WorkerConfiguration.Transfers transfers,
            CamundaClient camunda, UpgradeProperties props) {
        this.client = client;
        this.secrets = secrets;
        this.transfers = transfers;
        this.camunda = camunda;
        this.props = props;
    }

    @JobWorker(type = JobType.UPLOAD_SFTP, timeout = 300_000)
    public Map<String, Object> upload(ActivatedJob job) {
        return JobFailures.guard(job, props.retryBackoff(), () -> {
            Map<String, Object> vars = job.getVariablesAsMap();
            RequestRef ref = secrets.request(vars);
            return DraftUpload.run(client, ref, job, () -> {
                Path dump = Path.of((String) vars.get(Var.DUMP_FILE));
                JobLease lease = JobLease.start(camunda, job, props.transferLease(), "SFTP upload of " + dump.getFileName());
                transfers.sftp().upload(RequestSftpAccessWorker.access(vars), secrets.keyPair(vars), dump, lease);
            });
        });
    }
}
