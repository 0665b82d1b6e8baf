package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A flaky platform does not stop a run: one in five API calls answered 503, the first transfers
 * cut part way. Ten runs at once — v1 with HTTPS and SFTP uploads alternating, or today's API with
 * rsync — must all end upgraded, each with the dump's own bytes, and the platform must hold exactly
 * one request per run.
 */
class FlakyPlatformSoakTest extends ProcessTestCase {

    @Test
    void tenRunsAgainstAFlakyPlatformAllEndUpgradedWithOneRequestEach() throws Exception {
        SANDBOX.faults().errorRatePercent(20);
        SANDBOX.faults().cutTransfers(400_000, 8);
        List<Path> inputs = new ArrayList<>();
        List<ProcessRecords> runs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Path dump = Dumps.sqlHeadedRandom(dumps.resolve("flaky-" + i + ".sql"), 1_500_000, 100 + i);
            inputs.add(dump);
            runs.add(start(input(dump, "test", i % 2 == 0 ? "https" : "sftp")));
        }

        for (int i = 0; i < runs.size(); i++) {
            ProcessRecords run = runs.get(i);
            assertThat(run.awaitEnd(Duration.ofMinutes(3))).as("run %d", i).isEqualTo(Element.END_UPGRADED);
            Map<String, ?> vars = run.variables();
            assertThat(vars).containsKey(Var.UPGRADED_DUMP_SHA256);
            assertThat(run.variable(Var.UPGRADED_DUMP_SHA256).asText()).as("run %d's bytes", i).isEqualTo(Dumps.sha256(inputs.get(i)));
            String name = inputs.get(i).getFileName().toString();
            List<UpgradeRequest> requests = SANDBOX.store().all().stream().filter(r -> r.filename.equals(name)).toList();
            assertThat(requests).as("requests of run %d", i).hasSize(1);
        }
        assertThat(SANDBOX.faults().cutPointForNewTransfer()).as("all eight cuts happened").isEqualTo(-1);
    }

    @Test
    void tenRunsAgainstAFlakyTodaysPlatformAllEndUpgradedWithOneRequestEach() throws Exception {
        SANDBOX.faults().errorRatePercent(20);
        SANDBOX.faults().cutTransfers(200_000, 8);
        int requestsBefore = SANDBOX.store().all().size();
        List<Path> inputs = new ArrayList<>();
        List<ProcessRecords> runs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Path dump = Dumps.sqlWithRows(dumps.resolve("flaky-today-" + i + ".sql"), 600_000, 200 + i);
            inputs.add(dump);
            Map<String, Object> in = input(dump, "test", Value.METHOD_AUTO);
            in.put(Var.PLATFORM_API, Value.PLATFORM_CURRENT);
            in.put(Var.TARGET, "18.0");
            runs.add(start(in));
        }

        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            ProcessRecords run = runs.get(i);
            assertThat(run.awaitEnd(Duration.ofMinutes(3))).as("run %d", i).isEqualTo(Element.END_UPGRADED);
            long id = run.variable(Var.REQUEST_ID).asLong();
            ids.add(id);
            assertThat(Dumps.sha256(SANDBOX.store().dataDir(id).resolve("origin.sql"))).as("run %d's bytes on the platform", i)
                    .isEqualTo(Dumps.sha256(inputs.get(i)));
            assertThat(Dumps.filesWithSha256(Path.of(run.variable(Var.UPGRADED_DUMP).asText()))).as("run %d's upgraded dump, here as there", i)
                    .isEqualTo(Dumps.filesWithSha256(SANDBOX.store().dataDir(id).resolve("upgraded.dump")));
        }
        assertThat(SANDBOX.store().all()).as("one request per run").hasSize(requestsBefore + 10);
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(SANDBOX.faults().cutPointForNewTransfer()).as("all eight cuts happened").isEqualTo(-1);
    }
}
