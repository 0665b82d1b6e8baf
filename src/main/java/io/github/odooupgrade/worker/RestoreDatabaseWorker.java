package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.database.DatabaseRestore;
import io.github.odooupgrade.database.Filestores;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Restores the upgraded dump into a new database (never over an existing one) and places its
 * filestore. The new database carries a comment naming the dump's SHA-256, so a job delivered
 * again after the restore finished recognises its own work instead of refusing the name.
 */
@Component
public class RestoreDatabaseWorker {
    private static final Logger log = LoggerFactory.getLogger(RestoreDatabaseWorker.class);

    private final WorkerConfiguration.Databases databases;
    private final JobLeases leases;

    RestoreDatabaseWorker(WorkerConfiguration.Databases databases, JobLeases leases) {
        this.databases = databases;
        this.leases = leases;
    }

    @JobWorker(type = JobType.RESTORE_DATABASE, timeout = 300_000)
    public Map<String, Object> restore(ActivatedJob job) {
        Map<String, Object> vars = job.getVariablesAsMap();
        String database = (String) vars.get(Var.RESTORE_DATABASE);
        Path dump = Path.of((String) vars.get(Var.UPGRADED_DUMP));
        String marker = "odoo-upgrade restore of sha256:" + vars.get(Var.UPGRADED_DUMP_SHA256);
        DatabaseRestore restore = databases.restore();
        Map<String, Object> out = new HashMap<>();
        out.put(Var.RESTORED_DATABASE, database);
        if (restore.restoredAlready(database, marker)) {
            log.info("instance {}: {} was already restored into {}", job.getProcessInstanceKey(), dump.getFileName(), database);
            mergeFilestore(vars, dump, database, out); // a delivery that died between the two finishes the second
            return out;
        }
        long began = System.nanoTime();
        DatabaseRestore.Restored restored = leases.start(job, "restore into " + database)
                .keepAliveWhile(() -> restore.restore(dump, database, databases.filestoreRoot(), marker));
        out.put(Var.PHASE_SECONDS, PhaseTimes.plus(vars, PhaseTimes.RESTORE, Duration.ofNanos(System.nanoTime() - began)));
        if (restored.filestore() != null) {
            out.put(Var.RESTORED_FILESTORE, restored.filestore().toString());
        } else {
            mergeFilestore(vars, dump, database, out);
        }
        return out;
    }

    /**
     * Today's platform sends the filestore beside the dump: as Odoo's client does, the source's filestore is copied and
     * the platform's files put on top. Once there (the restore refuses a name whose filestore exists), it is this run's.
     */
    private void mergeFilestore(Map<String, Object> vars, Path dump, String database, Map<String, Object> out) {
        if (!CurrentRequests.current(vars) || databases.filestoreRoot() == null) {
            return;
        }
        Path target = databases.filestoreRoot().resolve(database);
        Object source = vars.get(Var.SOURCE_DATABASE);
        Path merged = Files.isDirectory(target) ? target : Filestores.merge(source == null ? null
                : databases.filestoreRoot().resolve(source.toString()), dump.resolveSibling("filestore"), target);
        if (merged != null) {
            out.put(Var.RESTORED_FILESTORE, merged.toString());
        }
    }
}
