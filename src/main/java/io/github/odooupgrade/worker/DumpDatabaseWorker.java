package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.process.InputValidator;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.transfer.RsyncTransfer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Dumps the source database (pg_dump custom format, or Odoo's zip with the filestore) into
 * {@code <outputDir>/source/}; from then on the run goes on as for a dump file. A job delivered
 * again after the dump was written reuses it; a test-first run's production upgrade gets a dump of its own.
 */
@Component
public class DumpDatabaseWorker {
    private static final Logger log = LoggerFactory.getLogger(DumpDatabaseWorker.class);

    private final WorkerConfiguration.Databases databases;
    private final InputValidator validator;
    private final JobLeases leases;
    private final Path outputDir;

    DumpDatabaseWorker(WorkerConfiguration.Databases databases, InputValidator validator, JobLeases leases, UpgradeProperties props) {
        this.databases = databases;
        this.validator = validator;
        this.leases = leases;
        this.outputDir = props.outputDir();
    }

    @JobWorker(type = JobType.DUMP_DATABASE, timeout = 300_000)
    public Map<String, Object> dump(ActivatedJob job) throws IOException {
        Map<String, Object> vars = job.getVariablesAsMap();
        String database = (String) vars.get(Var.SOURCE_DATABASE);
        boolean filestore = Boolean.TRUE.equals(vars.get(Var.INCLUDE_FILESTORE));
        // the name follows the instance (and, test first, the aim: production is dumped again after its approval, the data
        // moved on), so a job delivered again finds the dump it already made
        boolean current = CurrentRequests.current(vars); // today's platform takes the directory format, dumped in parallel
        String stage = Boolean.TRUE.equals(vars.get(Var.TEST_FIRST)) ? "-" + vars.get(Var.AIM) : "";
        Path target = outputDir.resolve("source").resolve(database + "-" + job.getProcessInstanceKey() + stage
                + (filestore && !current ? ".zip" : ".dump")).toAbsolutePath();
        if (!Files.exists(target)) {
            leases.start(job, "dump of " + database).keepAliveWhile(() -> current
                    ? databases.dump().dumpDirectory(database, target, databases.jobs())
                    : databases.dump().dump(database, target, filestore ? databases.filestoreRoot().resolve(database) : null));
        } else {
            log.info("instance {}: {} was already dumped to {}", job.getProcessInstanceKey(), database, target);
        }
        long size = RsyncTransfer.bytesIn(target);
        Map<String, Object> out = new HashMap<>();
        out.put(Var.DUMP_FILE, target.toString());
        out.put(Var.DUMP_NAME, target.getFileName().toString());
        out.put(Var.DUMP_SIZE, size);
        if (Value.METHOD_AUTO.equals(vars.get(Var.UPLOAD_METHOD))) {
            out.put(Var.UPLOAD_METHOD, validator.autoMethod(size));
        }
        return out;
    }
}
