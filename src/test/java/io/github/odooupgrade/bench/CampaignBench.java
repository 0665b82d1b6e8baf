package io.github.odooupgrade.bench;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.github.odooupgrade.engine.EmbeddedEngine;
import io.github.odooupgrade.process.CampaignProcess;
import io.github.odooupgrade.process.UpgradeProcess;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.Sandbox;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.secrets.Sealer;
import io.github.odooupgrade.worker.UpgradeApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Driver of bench/campaign.sh: many small upgrades through one JVM — the embedded engine, the
 * workers and a sandbox with short states, over real sockets — until every one has ended, or the deadline
 * ({@code -Ddeadline}, ISO-8601, default PT15M) has passed: then the upgrades still running are counted as stuck,
 * and it exits 1.
 * <pre>
 * campaign N    one campaign of N test items (HTTPS)
 * inflight N    N upgrade instances started at once
 * </pre>
 * Prints one line: "items N upgraded U incidents I stuck K seconds S perMinute P cpuSeconds C heapMiB H peakRssMiB R records C"
 * (cpuSeconds: the whole JVM's, its start included).
 * Not a test.
 */
public final class CampaignBench {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int n = Integer.parseInt(args[1]);
        Path root = Files.createTempDirectory("campaign-bench");
        try (EmbeddedEngine engine = EmbeddedEngine.start();
                Sandbox sandbox = Sandbox.start(SandboxOptions.parse("--data-dir", root.resolve("sandbox").toString(),
                        "--http-port", "0", "--sftp-port", "0", "--pending", "200ms", "--progress", "400ms", "--test", "400ms"));
                ConfigurableApplicationContext workers = new SpringApplicationBuilder(UpgradeApplication.class)
                        .web(WebApplicationType.NONE).run(
                                "--camunda.client.mode=self-managed",
                                "--camunda.client.grpc-address=" + engine.grpcAddress(),
                                "--camunda.client.rest-address=http://127.0.0.1:1",
                                "--camunda.client.prefer-rest-over-grpc=false",
                                "--camunda.client.execution-threads=" + System.getProperty("threads", "16"),
                                "--upgrade.api-url=" + sandbox.apiUrl(),
                                "--upgrade.seal-key=" + Sealer.newBase64Key(),
                                "--upgrade.contract=" + SandboxOptions.DEFAULT_CONTRACT,
                                "--upgrade.output-dir=" + root.resolve("output"),
                                "--upgrade.poll-interval=" + System.getProperty("poll", "PT2S"),
                                "--upgrade.retry-backoff=PT1S",
                                "--upgrade.sftp.known-hosts=" + root.resolve("sandbox/ssh/known_hosts"),
                                "--spring.main.banner-mode=off", "--logging.level.root=WARN")) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path dump = root.resolve("db" + i + ".sql");
                Files.writeString(dump, "--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.4\n\n"
                        + "CREATE TABLE res_partner (id integer, name text);\nINSERT INTO res_partner VALUES (" + i + ", 'p');\n");
                Map<String, Object> item = new HashMap<>();
                item.put(Var.DUMP_FILE, dump.toString());
                item.put(Var.EMAIL, "ops@example.com");
                item.put(Var.TARGET, "13.0");
                item.put(Var.AIM, "test");
                item.put(Var.UPLOAD_METHOD, "https");
                item.put(Var.SKIP_TESTS, false);
                items.add(item);
            }
            CamundaClient camunda = workers.getBean(CamundaClient.class);
            long start = System.nanoTime();
            if (mode.equals("campaign")) {
                camunda.newCreateInstanceCommand().bpmnProcessId(CampaignProcess.PROCESS_ID).latestVersion()
                        .variables(Map.of(CampaignProcess.Var.ITEMS, items)).send().join();
            } else {
                for (Map<String, Object> item : items) {
                    camunda.newCreateInstanceCommand().bpmnProcessId(UpgradeProcess.PROCESS_ID).latestVersion().variables(item).send().join();
                }
            }
            long deadline = start + Duration.parse(System.getProperty("deadline", "PT15M")).toNanos();
            Count c;
            do {
                Thread.sleep(1000);
                c = count(engine);
            } while (c.upgradesEnded() < n && System.nanoTime() < deadline);
            int stuck = n - c.upgradesEnded();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(-1.0);
            System.out.printf("items %d upgraded %d incidents %d stuck %d seconds %.1f perMinute %.1f cpuSeconds %.1f heapMiB %d peakRssMiB %d records %d%n",
                    n, c.upgraded(), c.incidents(), stuck, seconds, c.upgraded() / seconds * 60, cpu, Runtime.getRuntime().maxMemory() >> 20,
                    peakRssMiB(), c.records());
            if (stuck > 0) {
                System.out.flush();
                System.exit(1);
            }
        }
        System.exit(0);
    }

    record Count(int upgradesEnded, int upgraded, int incidents, int records) {}

    /** Ended upgrade instances, those that ended upgraded, incidents raised, records written. */
    private static Count count(EmbeddedEngine engine) {
        Set<Long> ended = new HashSet<>();
        int upgraded = 0;
        int incidents = 0;
        int records = 0;
        for (Record<?> r : engine.records()) {
            records++;
            if (r.getRecordType() != RecordType.EVENT) {
                continue;
            }
            if (r.getValueType() == ValueType.INCIDENT && r.getIntent() == IncidentIntent.CREATED) {
                incidents++;
            } else if (r.getValueType() == ValueType.PROCESS_INSTANCE && r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED
                    && r.getValue() instanceof ProcessInstanceRecordValue v && v.getBpmnProcessId().equals(UpgradeProcess.PROCESS_ID)) {
                if (v.getBpmnElementType() == BpmnElementType.PROCESS) {
                    ended.add(v.getProcessInstanceKey());
                } else if (v.getElementId().equals(UpgradeProcess.Element.END_UPGRADED)) {
                    upgraded++;
                }
            }
        }
        return new Count(ended.size(), upgraded, incidents, records);
    }

    private static long peakRssMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
