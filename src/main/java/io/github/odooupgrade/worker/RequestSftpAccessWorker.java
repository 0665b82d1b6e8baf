package io.github.odooupgrade.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.SftpAccess;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.transfer.SshKeyPair;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Generates an ed25519 key pair for this request and registers its public half with
 * {@code request_sftp_access}. Repeating it registers a fresh key in place of the last one; the
 * private half travels sealed.
 */
@Component
public class RequestSftpAccessWorker {
    private static final Logger log = LoggerFactory.getLogger(RequestSftpAccessWorker.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UpgradeClient client;
    private final ProcessSecrets secrets;

    RequestSftpAccessWorker(UpgradeClient client, ProcessSecrets secrets) {
        this.client = client;
        this.secrets = secrets;
    }

    @JobWorker(type = JobType.REQUEST_SFTP_ACCESS)
    public Map<String, Object> requestAccess(ActivatedJob job) {
        RequestRef ref = secrets.request(job.getVariablesAsMap());
        SshKeyPair key = SshKeyPair.generateEd25519("odoo-upgrade request " + ref.id());
        SftpAccess access = client.requestSftpAccess(ref, key.publicKey() + "\n");
        log.info("instance {}: SFTP access for request {}: {}@{}:{} file {}", job.getProcessInstanceKey(), ref.id(),
                access.sftpUser(), access.hostname(), access.sftpPort(), access.sharedFile());
        return Map.of(Var.SFTP_ACCESS, JSON.convertValue(access, Map.class), Var.SFTP_KEY_SEALED, secrets.sealKeyPair(key));
    }

    /** The access this task wrote, for the tasks that use it. */
    static SftpAccess access(Map<String, Object> vars) {
        Object access = vars.get(Var.SFTP_ACCESS);
        if (access == null) {
            throw new IllegalStateException("this run has no SFTP access (" + Var.SFTP_ACCESS + " missing): request it first");
        }
        return JSON.convertValue(access, SftpAccess.class);
    }
}
