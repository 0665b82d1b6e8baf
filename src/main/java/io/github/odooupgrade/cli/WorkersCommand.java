package io.github.odooupgrade.cli;

import io.github.odooupgrade.run.RootCause;
import io.github.odooupgrade.worker.UpgradeApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code odoo-upgrade workers}: cluster mode — only the job workers, connected to the Camunda 8
 * cluster configured by {@code camunda.client.*} (application.yaml, CAMUNDA_CLIENT_* environment
 * variables, or {@code --camunda.client.…=…} arguments), deploying the model and forms at start.
 * Runs until stopped.
 */
@Command(name = "workers", mixinStandardHelpOptions = true,
        description = {"Run the job workers against a Camunda 8 cluster (cluster mode) until stopped.",
            "Configuration: camunda.client.* and upgrade.* as Spring Boot properties, e.g. --upgrade.api-url=… or the environment variable UPGRADE_SEALKEY.",
            "Health and Prometheus metrics: http://HOST:" + WorkersCommand.MANAGEMENT_PORT + "/actuator/health and /actuator/prometheus (--server.port=… to move them)."})
public class WorkersCommand implements Callable<Integer> {
    /** Printed once the model and forms are deployed and the workers take jobs (what a container's readiness can wait for). */
    public static final String READY = "workers: ready, model and forms deployed, taking jobs";

    /** Where health and metrics are served unless {@code --server.port} says otherwise (also in docker-compose.yml). */
    public static final int MANAGEMENT_PORT = 9464;

    /**
     * Workers mode's defaults, below any configuration: Actuator's health (with the "camunda" and
     * "upgradeApi" checks, asked at most every 10 s) and Prometheus metrics on the management port.
     * The mail health check is off: a mail server that is down must not make the workers unhealthy.
     */
    static final Map<String, Object> DEFAULTS = Map.of(
            "server.port", MANAGEMENT_PORT,
            "management.endpoints.web.exposure.include", "health,prometheus,info",
            "management.endpoint.health.show-details", "always",
            "management.endpoint.health.cache.time-to-live", "10s",
            "management.health.mail.enabled", "false");

    /** The workers as a Spring application: a web server for Actuator only, and the workers. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(UpgradeApplication.class).web(WebApplicationType.SERVLET).properties(DEFAULTS);
    }

    @Unmatched
    List<String> springArgs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        List<String> args = new ArrayList<>(springArgs);
        args.add("--logging.level.org.springframework.boot.SpringApplication=OFF"); // a failed start is one line, below
        ConfigurableApplicationContext context;
        try {
            context = application()
                    .listeners(event -> {
                        if (event instanceof ContextClosedEvent) {
                            closed.countDown();
                        }
                    })
                    .run(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("error: the workers cannot start: " + RootCause.of(e));
            return 2;
        }
        context.registerShutdownHook();
        spec.commandLine().getOut().println(READY);
        spec.commandLine().getOut().flush();
        closed.await();
        return 0;
    }
}
