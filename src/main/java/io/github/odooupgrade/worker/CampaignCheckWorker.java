package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.process.CampaignItems;
import io.github.odooupgrade.process.CampaignProcess.JobType;
import io.github.odooupgrade.process.CampaignProcess.Var;
import io.github.odooupgrade.process.InputValidator;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Checks every item of a campaign (given as a list, or as a folder of dumps) before anything starts: a list with one item that cannot work is
 * refused whole (the BPMN error {@code INVALID_INPUT}, every problem named by its item).
 */
@Component
public class CampaignCheckWorker {
    private final InputValidator validator;

    CampaignCheckWorker(InputValidator validator) {
        this.validator = validator;
    }

    @JobWorker(type = JobType.CHECK)
    public Map<String, Object> check(ActivatedJob job) {
        CampaignItems.Checked checked = CampaignItems.check(CampaignItems.given(job.getVariablesAsMap()), validator);
        return Map.of(Var.ITEMS, checked.items(), Var.PRODUCTION_ITEMS, checked.production());
    }
}
