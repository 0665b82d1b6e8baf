package io.github.odooupgrade.worker;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** Takes a long job's lease ({@link JobLease}) with this application's Camunda client and {@code upgrade.transfer-lease}. */
@Component
final class JobLeases {
    private final CamundaClient camunda;
    private final Duration lease;

    JobLeases(CamundaClient camunda, UpgradeProperties props) {
        this.camunda = camunda;
        this.lease = props.transferLease();
    }

    JobLease start(ActivatedJob job, String what) {
        return JobLease.start(camunda, job, lease, what);
    }
}
