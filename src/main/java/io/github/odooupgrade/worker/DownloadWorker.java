package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.transfer.Downloaded;
import io.github.odooupgrade.transfer.HttpDownload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Downloads the upgraded dump — over SFTP when the dump went up that way, else over HTTPS — and
 * the platform's report into the request's results folder. Resumable (a {@code .part} file); the
 * final name appears only once the file is complete, and a {@code .sha256} beside it marks a
 * finished download, so a job delivered again after that does not fetch it twice.
 */
@Component
public class DownloadWorker {
    private static final Logger log = LoggerFactory.getLogger(DownloadWorker.class);

    private final UpgradeClient client;
    private final ProcessSecrets secrets;
    private final HttpDownload http;
    private final WorkerConfiguration.Transfers transfers;
    private final JobLeases leases;
    private final ResultsFolder results;
    private final UpgradeMetrics metrics;
    private final RsyncSteps rsync;

    DownloadWorker(UpgradeClient client, ProcessSecrets secrets, HttpDownload http, WorkerConfiguration.Transfers transfers,
            JobLeases leases, ResultsFolder results, UpgradeMetrics metrics, RsyncSteps rsync) {
        this.rsync = rsync;
        this.metrics = metrics;
        this.client = client;
        this.secrets = secrets;
        this.http = http;
        this.transfers = transfers;
        this.leases = leases;
        this.results = results;
    }

    @JobWorker(type = JobType.DOWNLOAD, timeout = 300_000)
    public Map<String, Object> download(ActivatedJob job) throws IOException {
        Map<String, Object> vars = job.getVariablesAsMap();
        if (CurrentRequests.current(vars)) {
            return rsync.download(job, vars);
        }
        RequestRef ref = secrets.request(vars);
        Path target = results.of(ref).resolve("upgraded_" + vars.get(Var.DUMP_NAME));
        Path shaFile = target.resolveSibling(target.getFileName() + ".sha256");
        RequestStatus s = client.status(ref);
        Downloaded dump;
        Map<String, Object> phases = null;
        if (Files.exists(target) && Files.exists(shaFile)) {
            dump = new Downloaded(target, Files.size(target), Files.readString(shaFile).split("\\s+")[0]);
            log.info("instance {}: {} was already downloaded", job.getProcessInstanceKey(), target);
        } else {
            JobLease lease = leases.start(job, "download of " + target.getFileName());
            boolean sftp = Value.METHOD_SFTP.equals(vars.get(Var.UPLOAD_METHOD));
            long began = System.nanoTime();
            dump = sftp ? transfers.sftp().download(RequestSftpAccessWorker.access(vars), secrets.keyPair(vars), target, lease)
                    : http.download(s.upgradedDumpUrl(), target, lease);
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            metrics.transferred(UpgradeMetrics.Direction.DOWNLOAD, sftp ? Value.METHOD_SFTP : Value.METHOD_HTTPS, dump.size(), took);
            phases = PhaseTimes.plus(vars, PhaseTimes.DOWNLOAD, took);
            Files.writeString(shaFile, dump.sha256() + "  " + target.getFileName() + "\n");
        }
        Map<String, Object> out = new HashMap<>();
        out.put(Var.UPGRADED_DUMP, dump.file().toString());
        out.put(Var.UPGRADED_DUMP_SIZE, dump.size());
        out.put(Var.UPGRADED_DUMP_SHA256, dump.sha256());
        if (phases != null) {
            out.put(Var.PHASE_SECONDS, phases);
        }
        String notes = results.saveNotes(ref, s);
        if (notes != null) {
            ResultsFolder.putReport(out, notes);
        }
        log.info("instance {}: upgraded dump of request {}: {} ({} bytes, sha256 {})", job.getProcessInstanceKey(), ref.id(),
                dump.file(), dump.size(), dump.sha256());
        return out;
    }
}
