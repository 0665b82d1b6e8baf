package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.process.CampaignItems;
import io.github.odooupgrade.process.CampaignProcess.JobType;
import io.github.odooupgrade.process.CampaignProcess.Var;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Before the approval: the test pass's results kept, and the production items listed with their tests. */
@Component
public class CampaignPrepareApprovalWorker {

    @JobWorker(type = JobType.PREPARE_APPROVAL)
    public Map<String, Object> prepare(ActivatedJob job) {
        Map<String, Object> vars = job.getVariablesAsMap();
        List<?> tests = vars.get(Var.ITEM_RESULTS) instanceof List<?> l ? l : List.of();
        return Map.of(Var.TEST_RESULTS, tests, Var.APPROVAL_LIST, CampaignItems.approvalList((List<?>) vars.get(Var.ITEMS), tests));
    }
}
