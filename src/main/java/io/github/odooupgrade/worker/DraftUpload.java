package io.github.odooupgrade.worker;

import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What both upload workers do around the transfer itself. */
final class DraftUpload {
    private static final Logger log = LoggerFactory.getLogger(DraftUpload.class);

    private DraftUpload() {}

    /**
     * Runs {@code upload} while the request is still a draft — a job delivered again after the
     * platform moved on skips it — then answers what the platform found in the dump.
     */
    static Map<String, Object> run(UpgradeClient client, RequestRef ref, ActivatedJob job, Runnable upload) {
        if (!"draft".equals(client.status(ref).state())) {
            log.info("instance {}: request {} has left draft, the dump is already there", job.getProcessInstanceKey(), ref.id());
        } else {
            upload.run();
        }
        RequestStatus after = client.status(ref);
        return Map.of(Var.DETECTED, StatusVariables.detected(after), Var.REQUEST_STATE, after.state());
    }
}
