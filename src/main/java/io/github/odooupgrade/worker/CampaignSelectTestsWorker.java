package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.process.CampaignItems;
import io.github.odooupgrade.process.CampaignProcess.JobType;
import io.github.odooupgrade.process.CampaignProcess.Var;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The campaign's first pass: its test items (the production items wait for their approval). */
@Component
public class CampaignSelectTestsWorker {

    @JobWorker(type = JobType.SELECT_TESTS)
    public Map<String, Object> select(ActivatedJob job) {
        return Map.of(Var.RUN_ITEMS, CampaignItems.testItems((List<?>) job.getVariablesAsMap().get(Var.ITEMS)),
                Var.PHASE, Value.AIM_TEST);
    }
}
