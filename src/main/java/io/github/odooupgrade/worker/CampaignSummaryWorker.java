package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.files.AtomicFile;
import io.github.odooupgrade.process.CampaignProcess.JobType;
import io.github.odooupgrade.process.CampaignProcess.Var;
import io.github.odooupgrade.process.CampaignSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The campaign's summary: one row per item, as a variable and as {@code summary.csv} and
 * {@code summary.html} in {@code <upgrade.output-dir>/campaign-<instance>/}. Written again, whole, by a
 * job delivered again.
 */
@Component
public class CampaignSummaryWorker {
    private static final Logger log = LoggerFactory.getLogger(CampaignSummaryWorker.class);

    private final Path outputDir;

    CampaignSummaryWorker(UpgradeProperties props) {
        this.outputDir = props.outputDir();
    }

    @JobWorker(type = JobType.SUMMARY)
    public Map<String, Object> summarize(ActivatedJob job) throws IOException {
        Map<String, Object> vars = job.getVariablesAsMap();
        List<Object> results = new ArrayList<>();
        if (vars.get(Var.TEST_RESULTS) instanceof List<?> tests) { // the production pass ran after them
            results.addAll(tests);
        }
        if (vars.get(Var.ITEM_RESULTS) instanceof List<?> last) {
            results.addAll(last);
        }
        CampaignSummary summary = CampaignSummary.of((List<?>) vars.get(Var.ITEMS), results, (List<?>) vars.get(Var.LEFT_OUT));
        Path folder = Files.createDirectories(outputDir.resolve("campaign-" + job.getProcessInstanceKey()).toAbsolutePath());
        Path csv = AtomicFile.write(folder.resolve("summary.csv"), summary.csv().getBytes(StandardCharsets.UTF_8), false);
        Path html = AtomicFile.write(folder.resolve("summary.html"), summary.html().getBytes(StandardCharsets.UTF_8), false);
        summary.lines().forEach(line -> log.info("campaign {}: {}", job.getProcessInstanceKey(), line));
        return Map.of(Var.SUMMARY, summary.rows(), Var.SUMMARY_CSV, csv.toString(), Var.SUMMARY_HTML, html.toString(),
                Var.ALL_UPGRADED, summary.allUpgraded());
    }
}
