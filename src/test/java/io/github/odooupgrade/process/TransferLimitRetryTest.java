package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.odooupgrade.sandbox.Dumps;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A transfer limited to one job at a time that fails on every try is still tried again until its
 * retries run out, and ends in an incident: the worker keeps asking for its jobs. (With
 * camunda.client.execution-threads at 16, the 8.8.14 client's worker stopped asking after four
 * failures and the run waited for ever: the reason the application keeps one thread.)
 */
class TransferLimitRetryTest extends ProcessTestCase {
    @DynamicPropertySource
    static void oneTransferAtATime(DynamicPropertyRegistry r) {
        r.add("upgrade.limits.transfers", () -> "1");
    }

    @Test
    void aLimitedTransferThatFailsEveryTimeIsTriedUntilItsRetriesRunOut() throws Exception {
        SANDBOX.faults().cutTransfers(10, -1); // every upload broken after 10 bytes

        ProcessRecords run = start(input(Dumps.plain(dumps, "cut.sql", "15.4"), "test", "https"));

        ProcessRecords.Incident incident = run.awaitIncident(RUN);
        assertThat(incident.elementId()).isEqualTo("upload-https");
        assertThat(run.jobFailures()).hasSize(5).allMatch(f -> f.startsWith("upload-https: upload: the connection"));
        cancel(run);
    }
}
