package io.github.odooupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.Sandbox;
import io.github.odooupgrade.sandbox.SandboxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code odoo-upgrade campaign}, through the command line's entry point: a list or a folder of dumps
 * upgraded side by side on this machine, the approval answered at the terminal, the summary printed.
 */
class CampaignCommandIT {
    @TempDir
    Path dir;

    @Test
    void aFolderOfDumpsIsUpgradedItemByItemWithTheSummaryAtTheEnd() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("fleet"));
        Dumps.plain(dumps, "alpha.sql", "15.4");
        Dumps.plain(dumps, "beta.sql", "15.4");

        Outcome o = Outcome.main("", "campaign", "--dumps", dumps.toString(), "--output", dir.resolve("out").toString(),
                "--poll-interval", "1s");

        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.out()).contains("campaign: 2 databases", "> Check every item", "item 1 alpha.sql: Upload the dump over HTTPS",
                "item 2 beta.sql: Download the upgraded dump");
        Matcher summary = Pattern.compile("item 1 alpha\\.sql: upgraded \\(request (\\d+)\\)").matcher(o.out());
        assertThat(summary.find()).as(o.out()).isTrue();
        assertThat(o.out()).contains("item 2 beta.sql: upgraded (request ");
        Matcher files = Pattern.compile("summary: (\\S+summary\\.csv), ").matcher(o.out());
        assertThat(files.find()).isTrue();
        assertThat(Files.readAllLines(Path.of(files.group(1)))).hasSize(3);
    }

    @Test
    void aListsProductionItemsAreApprovedOnceAtTheTerminal() throws Exception {
        Dumps.plain(dir, "shop.sql", "15.4");
        Dumps.plain(dir, "shop-copy.sql", "15.4");
        Path list = dir.resolve("fleet.csv");
        Files.writeString(list, "dump,aim,skip_tests\nshop-copy.sql,test,\nshop.sql,production,yes\n");

        Outcome o = Outcome.main("approve\n\nAda\nweekend\n", "campaign", "--list", list.toString(), "--output",
                dir.resolve("out").toString(), "--poll-interval", "1s");

        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.out()).contains("Approve the campaign's 1 production upgrades", "| 2 | shop.sql |", "Approve or reject?",
                "item 2 shop.sql: upgraded").doesNotContain("Approve the production upgrade");
    }

    /**
     * Run's options are the items' defaults, and the upgrade API among them: a platform of the test's own
     * over TLS, with its certificate, the contract and the SFTP host key given as to run. Its line is slow,
     * so each item's line tells the percent of a transfer as it moves.
     */
    @Test
    void againstAnotherUpgradeApiTheItemsTakeRunsOptionsAndEachTransferTellsItsPercent(@TempDir Path platformData) throws Exception {
        try (Sandbox platform = Sandbox.start(SandboxOptions.parse("--data-dir", platformData.toString(), "--http-port", "0",
                "--sftp-port", "0", "--tls", "--pending", "200ms", "--progress", "200ms", "--test", "200ms"))) {
            Path dumps = Files.createDirectories(dir.resolve("fleet"));
            Dumps.sqlHeadedRandom(dumps.resolve("big.sql"), 40_000, 7);
            Dumps.plain(dumps, "small.sql", "15.4");
            platform.faults().slowTransfers(16_000); // 40 kB take 2.5 s each way

            Outcome o = Outcome.main("", "campaign", "--dumps", dumps.toString(), "--output", dir.resolve("out").toString(),
                    "--api-url", platform.apiUrl(), "--api-certificate", platform.certificateFile().toString(),
                    "--contract", SandboxOptions.DEFAULT_CONTRACT, "--email", "fleet@example.com", "--target", "12.0",
                    "--upload-method", "sftp", "--sftp-known-hosts", platformData.resolve("ssh/known_hosts").toString(),
                    "--poll-interval", "1s");

            assertThat(o.exit()).as(o.err()).isZero();
            assertThat(o.out()).contains("campaign: 2 databases, on " + platform.apiUrl(), "item 1 big.sql: Upload the dump over SFTP",
                    "item 2 small.sql: upgraded (request ").doesNotContain("sandbox:");
            assertThat(platform.store().all()).hasSize(2).allSatisfy(r -> {
                assertThat(r.target).isEqualTo("12.0");
                assertThat(r.email).isEqualTo("fleet@example.com");
                assertThat(r.sshKeys).as("uploaded over SFTP").isNotBlank();
            });
            Matcher moving = Pattern.compile("item 1 big\\.sql: Download the upgraded dump (\\d+)%").matcher(o.out());
            List<Integer> percents = new ArrayList<>();
            while (moving.find()) {
                percents.add(Integer.parseInt(moving.group(1)));
            }
            assertThat(percents).as(o.out()).anyMatch(p -> p > 0 && p < 100).isSorted();
        }
    }

    @Test
    void aListWithALineThatCannotWorkIsRefusedWithItsLineBeforeAnythingStarts() throws Exception {
        Dumps.plain(dir, "one.sql", "15.4");
        Path list = dir.resolve("fleet.csv");
        Files.writeString(list, "dump,target,restore_as\none.sql,13.0,fleet_db\nmissing.sql,13.0,\none.sql,13.0,fleet_db\n");

        Outcome o = Outcome.main("", "campaign", "--list", list.toString(), "--output", dir.resolve("out").toString());

        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err().lines()).anyMatch(l -> l.startsWith("error: " + list + " line 3: dumpFile") && l.contains("does not exist"))
                .contains("error: " + list + " line 4: items 1 and 3 both restore into the database fleet_db: give each its own");
        assertThat(o.out()).doesNotContain("sandbox:");

        Files.writeString(list, "dump,colour\none.sql,blue\n");
        Outcome unknown = Outcome.main("", "campaign", "--list", list.toString(), "--output", dir.resolve("out").toString());
        assertThat(unknown.err().lines()).singleElement().asString().startsWith("error: " + list + " line 1: unknown column colour");

        Outcome noContract = Outcome.main("", "campaign", "--dumps", dir.toString(), "--output", dir.resolve("out").toString(),
                "--api-url", "https://upgrade.odoo.com/database/v1");
        assertThat(noContract.exit()).isEqualTo(2);
        assertThat(noContract.err().lines()).containsExactly(
                "error: --contract is missing: the upgrade service needs your Odoo Enterprise contract number",
                "error: --email is missing: the upgrade service writes to it about this upgrade");
    }
}
