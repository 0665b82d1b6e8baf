package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.odooupgrade.process.UpgradeProcess.Element;
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
 * cut part way. Ten runs at once, HTTPS and SFTP uploads alternating, must all end upgraded, each
 * with the dump's own bytes, and the platform must hold exactly one request per run.
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
}
