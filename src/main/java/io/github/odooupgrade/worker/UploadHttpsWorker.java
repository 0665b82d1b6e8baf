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
 * Uploads the dump over HTTPS, streamed from the file. Safe to repeat: an upload replaces the
 * draft's file; once the request has left {@code draft}, a job delivered again only reads the status.
 */
@Component
public class UploadHttpsWorker {
    private final UpgradeClient client;
    private final ProcessSecrets secrets;
    private final CamundaClient camunda;
    private final UpgradeProperties props;

    public UploadHttpsWorker(UpgradeClient client, ProcessSecrets secrets, CamundaClient camunda, UpgradeProperties props) {
        this.client = client;
        this.secrets = secrets;
        this.camunda = camunda;
        this.props = props;
    }

    @JobWorker(type = JobType.UPLOAD_HTTPS, timeout = 300_000)
    public Map<String, Object> upload(ActivatedJob job) {
        return JobFailures.guard(job, props.retryBackoff(), () -> {
            Map<String, Object> vars = job.getVariablesAsMap();
            RequestRef ref = secrets.request(vars);
            return DraftUpload.run(client, ref, job, () -> {
                Path dump = Path.of((String) vars.get(Var.DUMP_FILE));
                JobLease lease = JobLease.start(camunda, job, props.transferLease(), "HTTPS upload of " + dump.getFileName());
                client.upload(ref, dump, lease);
            });
        });
    }
}
