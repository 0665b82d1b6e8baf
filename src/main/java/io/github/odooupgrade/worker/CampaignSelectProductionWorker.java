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

/** After the approval: the production items approved, and those left out with why. */
@Component
public class CampaignSelectProductionWorker {

    @JobWorker(type = JobType.SELECT_PRODUCTION)
    public Map<String, Object> select(ActivatedJob job) {
        Map<String, Object> vars = job.getVariablesAsMap();
        CampaignItems.Selection s = CampaignItems.productionItems((List<?>) vars.get(Var.ITEMS), vars.get(Var.APPROVAL),
                vars.get(Var.DROPPED_ITEMS));
        return Map.of(Var.RUN_ITEMS, s.run(), Var.LEFT_OUT, s.leftOut(), Var.PHASE, Value.AIM_PRODUCTION);
    }
}
