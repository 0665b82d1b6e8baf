package io.github.odooupgrade.run;

import io.camunda.client.CamundaClient;
import io.github.odooupgrade.engine.EmbeddedEngine;
import io.github.odooupgrade.process.CampaignProcess;
import io.github.odooupgrade.process.UpgradeProcess;
import io.github.odooupgrade.sandbox.Sandbox;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.worker.UpgradeApplication;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a run needs on this machine, started in order and stopped in reverse: the sandbox (unless
 * the run uses another upgrade API), the embedded engine (unless it uses a cluster), and the workers
 * with the model and forms deployed.
 */
public final class LocalStack implements AutoCloseable {
    private static final String PROCESS_MODEL = "bpmn/odoo-upgrade.bpmn";
    private static final String CAMPAIGN_MODEL = "bpmn/odoo-upgrade-campaign.bpmn";

    /** The workers cannot reach the cluster: a configuration problem, said in one line. */
    public static final class ClusterUnreachable extends RuntimeException {
        ClusterUnreachable(RuntimeException cause) {
            super("the workers cannot start against the Camunda cluster: " + RootCause.of(cause), cause);
        }
    }

    private final RunPlan plan;
    private Sandbox sandbox;
    private EmbeddedEngine engine;
    private ConfigurableApplicationContext workers;

    private LocalStack(RunPlan plan) {
        this.plan = plan;
    }

    public static LocalStack start(RunPlan plan, PrintWriter out, PrintWriter err) {
        LocalStack stack = new LocalStack(plan);
        try {
            stack.startAll(out, err);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(PrintWriter out, PrintWriter err) {
        Path knownHosts = null;
        Path trustedCertificate = null;
        String api = plan.apiUrl();
        String currentApi = null; // the workers' own configuration, or the run's --api-url (workerExtras), decides
        if (plan.localSandbox()) {
            Path data = plan.output().resolve("sandbox");
            // a resumed run's sandbox comes back where it was: the recorded SFTP access names its port
            RunPlan.Ports ports = plan.sandboxPorts() != null ? plan.sandboxPorts() : new RunPlan.Ports(0, 0);
            // over HTTPS, as the real service: the rehearsal checks a certificate too (the sandbox's own, trusted alone)
            sandbox = Sandbox.start(SandboxOptions.parse("--data-dir", data.toString(), "--tls", "--http-port", Integer.toString(ports.http()),
                    "--sftp-port", Integer.toString(ports.sftp())));
            api = sandbox.apiUrl();
            currentApi = sandbox.currentApiUrl();
            knownHosts = data.resolve("ssh/known_hosts");
            trustedCertificate = sandbox.certificateFile();
            out.println("sandbox:  upgrade API " + api + " (today's API: " + currentApi + "/upgrade/request/), SFTP port "
                    + sandbox.sftpPort() + " (data in " + data + ")");
        }
        List<String> args = new ArrayList<>();
        if (plan.cluster() == null) {
            engine = EmbeddedEngine.start();
            args.addAll(embeddedEngineArguments(engine));
            out.println("engine:   embedded Zeebe " + EmbeddedEngine.ENGINE_VERSION + " on " + engine.grpcAddress());
        } else {
            RunPlan.Cluster cluster = plan.cluster().completed();
            args.addAll(clusterArguments(cluster));
            if (System.getenv(SealKey.VARIABLE) == null) {
                // other workers of the cluster could not open what this run seals: say so
                err.println("warning: " + SealKey.VARIABLE + " is not set: secrets of this run are sealed with a key only this run knows");
            }
            out.println("engine:   the Camunda cluster " + (cluster.grpcAddress() != null
                    ? cluster.grpcAddress() + " (REST " + cluster.restAddress() + ")" : "configured by camunda.client.*"));
        }
        args.addAll(plan.workerProperties(api, currentApi, knownHosts).toArguments());
        plan.workerExtras().forEach((name, value) -> args.add("--" + name + "=" + value));
        if (trustedCertificate != null) {
            args.add("--upgrade.api.trusted-certificate=" + trustedCertificate);
        }
        args.addAll(List.of("--spring.main.banner-mode=off", "--spring.main.log-startup-info=false"));
        args.addAll(ConsoleLogging.springArguments());
        try {
            workers = new SpringApplicationBuilder(UpgradeApplication.class).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            throw plan.cluster() == null ? e : new ClusterUnreachable(e);
        }
    }

    /** The ports of the run's own sandbox, or null when the run uses another upgrade API. */
    public RunPlan.Ports sandboxPorts() {
        return sandbox == null ? null : new RunPlan.Ports(sandbox.httpPort(), sandbox.sftpPort());
    }

    /** Starts the instance; the observer follows it as Operate and Tasklist would show it. */
    public RunObserver startInstance(Map<String, Object> variables) {
        CamundaClient camunda = workers.getBean(CamundaClient.class);
        long instance = camunda.newCreateInstanceCommand().bpmnProcessId(UpgradeProcess.PROCESS_ID).latestVersion()
                .variables(variables).send().join().getProcessInstanceKey();
        var model = RunObserver.model(PROCESS_MODEL);
        return engine != null
                ? new EmbeddedObserver(engine, instance, RunObserver.elementNames(model))
                : new ClusterObserver(camunda, instance, RunObserver.elementNames(model), RunObserver.processEndEvents(model));
    }

    /** Starts a campaign on the embedded engine; the observer follows it and the upgrades it calls. */
    CampaignObserver startCampaign(Map<String, Object> variables) {
        if (engine == null) {
            throw new IllegalStateException("a campaign is followed on the embedded engine only");
        }
        long instance = workers.getBean(CamundaClient.class).newCreateInstanceCommand().bpmnProcessId(CampaignProcess.PROCESS_ID)
                .latestVersion().variables(variables).send().join().getProcessInstanceKey();
        Map<String, String> names = new HashMap<>(RunObserver.elementNames(RunObserver.model(PROCESS_MODEL)));
        names.putAll(RunObserver.elementNames(RunObserver.model(CAMPAIGN_MODEL)));
        return new CampaignObserver(engine, instance, names);
    }

    private static List<String> embeddedEngineArguments(EmbeddedEngine engine) {
        return List.of(
                "--camunda.client.mode=self-managed",
                "--camunda.client.grpc-address=" + engine.grpcAddress(),
                "--camunda.client.rest-address=http://127.0.0.1:1", // the embedded engine has no REST API
                "--camunda.client.prefer-rest-over-grpc=false",
                "--camunda.client.auth.method=none");
    }

    /** The cluster's own configuration (environment, application.yaml) applies; the addresses given here win. */
    private static List<String> clusterArguments(RunPlan.Cluster cluster) {
        List<String> args = new ArrayList<>();
        if (cluster.grpcAddress() != null || cluster.restAddress() != null) {
            args.add("--camunda.client.mode=self-managed");
            if (System.getenv("CAMUNDA_CLIENT_AUTH_METHOD") == null) {
                args.add("--camunda.client.auth.method=none");
            }
        }
        if (cluster.grpcAddress() != null) {
            args.add("--camunda.client.grpc-address=" + cluster.grpcAddress());
        }
        if (cluster.restAddress() != null) {
            args.add("--camunda.client.rest-address=" + cluster.restAddress());
        }
        return args;
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
