package io.github.odooupgrade.worker;

import io.camunda.client.annotation.customizer.JobWorkerValueCustomizer;
import io.camunda.client.annotation.value.JobWorkerValue;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * What is scarce is limited the Zeebe way: a worker activates at most so many jobs of a type at once,
 * the others wait in the engine (visible in Operate as active jobs) until one ends. Per job type and
 * per worker process: with two workers processes, twice as many. The status polls, listeners and
 * quick calls keep the starter's default (32) and run beside them on {@code camunda.client.execution-threads}.
 */
@Component
final class WorkerLimits implements JobWorkerValueCustomizer {
    /** The job types that move a whole dump over the network. */
    static final Set<String> TRANSFERS = Set.of(JobType.UPLOAD_HTTPS, JobType.UPLOAD_SFTP, JobType.DOWNLOAD);
    /** The job types that run pg_dump or pg_restore on the database server. */
    static final Set<String> DATABASE_STEPS = Set.of(JobType.DUMP_DATABASE, JobType.RESTORE_DATABASE);

    /**
     * {@code upgrade.limits.*}.
     *
     * @param transfers     uploads over HTTPS, uploads over SFTP, downloads: at most this many of each at once
     * @param databaseSteps dumps, restores: at most this many of each at once
     */
    @ConfigurationProperties("upgrade.limits")
    record Properties(@DefaultValue("2") int transfers, @DefaultValue("1") int databaseSteps) {}

    private final Properties limits;

    WorkerLimits(Properties limits) {
        this.limits = limits;
    }

    @Override
    public void customize(JobWorkerValue worker) {
        if (TRANSFERS.contains(worker.getType())) {
            worker.setMaxJobsActive(Math.max(1, limits.transfers()));
        } else if (DATABASE_STEPS.contains(worker.getType())) {
            worker.setMaxJobsActive(Math.max(1, limits.databaseSteps()));
        }
    }
}
