package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.acceptance.AcceptanceHtml;
import io.github.odooupgrade.acceptance.AcceptanceReport;
import io.github.odooupgrade.acceptance.AcceptanceRules;
import io.github.odooupgrade.database.PgSql;
import io.github.odooupgrade.files.AtomicFile;
import io.github.odooupgrade.files.Folders;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Compare the test database with the source: the acceptance report of a test-first run, for the person who approves
 * production. The source is what the platform received: the test's dump (of a file, or of the live database) restored
 * into a scratch database, dropped after. A comparison that cannot run is a verdict with its reason, never an incident: the approval stays
 * possible. Reads only; the page is written whole or not at all, so a job delivered again does the same again.
 */
@Component
public class AcceptanceWorker {
    private static final Logger log = LoggerFactory.getLogger(AcceptanceWorker.class);

    private final WorkerConfiguration.Databases databases;
    private final ResultsFolder results;
    private final JobLeases leases;
    private final Path rulesFile;

    AcceptanceWorker(WorkerConfiguration.Databases databases, ResultsFolder results, JobLeases leases, UpgradeProperties props) {
        this.databases = databases;
        this.results = results;
        this.leases = leases;
        this.rulesFile = props.acceptanceRules();
    }

    @JobWorker(type = JobType.ACCEPTANCE_REPORT, timeout = 300_000)
    public Map<String, Object> compare(ActivatedJob job) throws IOException {
        Map<String, Object> vars = job.getVariablesAsMap();
        long requestId = ((Number) vars.get(Var.REQUEST_ID)).longValue();
        String tested = (String) vars.get(Var.RESTORED_DATABASE);
        Path folder = results.of(requestId);
        AcceptanceReport report = leases.start(job, "acceptance report").keepAliveWhile(() -> report(job, vars, tested, folder));
        Path page = AtomicFile.write(folder.resolve("acceptance-report.html"),
                AcceptanceHtml.page(report).getBytes(StandardCharsets.UTF_8), false);
        log.info("instance {}: acceptance report of {}: {} ({})", job.getProcessInstanceKey(), tested, report.verdict().words, page);
        Map<String, Object> out = new HashMap<>();
        out.put(Var.TEST_DATABASE, tested);
        out.put(Var.ACCEPTANCE_VERDICT, report.verdict().words);
        out.put(Var.ACCEPTANCE_SUMMARY, report.summary());
        out.put(Var.ACCEPTANCE_REPORT, page.toString());
        return out;
    }

    private AcceptanceReport report(ActivatedJob job, Map<String, Object> vars, String tested, Path folder) {
        String target = (String) vars.get(Var.TARGET);
        AcceptanceRules rules;
        try {
            rules = AcceptanceRules.read(rulesFile);
        } catch (AcceptanceRules.BadRules e) {
            return AcceptanceReport.notCompared(e.getMessage(), target);
        }
        if (tested == null) {
            Object why = vars.get(Var.RESTORE_SKIPPED);
            return AcceptanceReport.notCompared("the test upgrade was not restored" + (why == null ? "" : ": " + why), target);
        }
        PgSql pg = new PgSql(databases.connection());
        Object source = vars.get(Var.SOURCE_DATABASE);
        Object testFilestore = vars.get(Var.RESTORED_FILESTORE);
        Path upgradedFiles = testFilestore != null ? Path.of(testFilestore.toString()) : null;
        // the source as the platform received it: the test's dump, restored into a scratch database — a live database has
        // moved on since (compared with it, rows added while the test ran would look like rows the upgrade lost)
        String scratch = "acceptance_source_" + job.getProcessInstanceKey();
        Path dump = Path.of((String) vars.get(Var.DUMP_FILE));
        Path work = folder.resolve(".acceptance-source");
        try {
            databases.restore().drop(scratch);
            Path files = databases.restore().restore(dump, scratch, work).filestore(); // an Odoo zip's
            if (files == null && source != null && databases.filestoreRoot() != null) {
                files = databases.filestoreRoot().resolve(source.toString());
            }
            String shownAs = source != null ? source.toString() : "the dump " + dump.getFileName();
            return AcceptanceReport.of(pg, new AcceptanceReport.Side(scratch, shownAs, files), AcceptanceReport.Side.of(tested, upgradedFiles),
                    target, rules);
        } catch (RuntimeException e) {
            return AcceptanceReport.notCompared("the source dump " + dump.getFileName() + " could not be restored for the comparison: "
                    + e.getMessage(), target);
        } finally {
            try {
                databases.restore().drop(scratch);
                Folders.delete(work);
            } catch (RuntimeException e) {
                log.warn("instance {}: the scratch database {} could not be dropped: {}", job.getProcessInstanceKey(), scratch, e.getMessage());
            }
        }
    }
}
