package io.github.odooupgrade.worker;

import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** What both upload workers do around the transfer itself. */
@Component
final class DraftUpload {
    private static final Logger log = LoggerFactory.getLogger(DraftUpload.class);

    /** Sends the dump; {@code lease} keeps the job while bytes move and reports progress. */
    interface Transfer {
        void send(Map<String, Object> vars, RequestRef ref, Path dump, JobLease lease) throws IOException;
    }

    private final UpgradeClient client;
    private final ProcessSecrets secrets;
    private final JobLeases leases;
    private final UpgradeMetrics metrics;

    DraftUpload(UpgradeClient client, ProcessSecrets secrets, JobLeases leases, UpgradeMetrics metrics) {
        this.client = client;
        this.secrets = secrets;
        this.leases = leases;
        this.metrics = metrics;
    }

    /**
     * Sends the dump while the request is still a draft — a job delivered again after the platform
     * moved on skips it — then answers what the platform found in the dump.
     */
    Map<String, Object> run(ActivatedJob job, String how, Transfer transfer) throws IOException {
        Map<String, Object> vars = job.getVariablesAsMap();
        RequestRef ref = secrets.request(vars);
        Map<String, Object> out = new HashMap<>();
        if (client.status(ref).isDraft()) {
            Path dump = Path.of((String) vars.get(Var.DUMP_FILE));
            long began = System.nanoTime();
            transfer.send(vars, ref, dump, leases.start(job, how + " upload of " + dump.getFileName()));
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            metrics.transferred(UpgradeMetrics.Direction.UPLOAD, how.toLowerCase(Locale.ROOT), Files.size(dump), took);
            out.put(Var.PHASE_SECONDS, PhaseTimes.plus(vars, PhaseTimes.UPLOAD, took));
        } else {
            log.info("instance {}: request {} has left draft, the dump is already there", job.getProcessInstanceKey(), ref.id());
        }
        RequestStatus after = client.status(ref);
        out.put(Var.DETECTED, StatusVariables.detected(after));
        out.put(Var.REQUEST_STATE, after.state());
        return out;
    }
}
