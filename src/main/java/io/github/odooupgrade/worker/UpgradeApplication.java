package io.github.odooupgrade.worker;

import io.camunda.client.annotation.Deployment;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The process application: the job workers (package {@code worker}) connected to a Camunda 8
 * cluster, deploying the model and its forms at start. The forms go with the model: a user task
 * whose linked form is missing is never created.
 */
@SpringBootApplication(scanBasePackageClasses = WorkerConfiguration.class)
@Deployment(resources = {"classpath*:/bpmn/*.bpmn", "classpath*:/forms/*.form"})
public class UpgradeApplication {
    public static void main(String[] args) {
        SpringApplication.run(UpgradeApplication.class, args);
    }
}
