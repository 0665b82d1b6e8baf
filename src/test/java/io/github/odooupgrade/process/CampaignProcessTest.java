package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.odooupgrade.database.BusinessDatabases;
import io.github.odooupgrade.database.OdooDatabases;
import io.github.odooupgrade.engine.EmbeddedEngine.OpenUserTask;
import io.github.odooupgrade.process.CampaignProcess.Var;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.TransferGauge.Kind;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A campaign: many databases upgraded side by side by the upgrade process, its production items
 * approved once, a failed item reviewed on its own, a summary at the end — and never more transfers
 * of a kind at once than the limit, as the platform sees them.
 */
class CampaignProcessTest extends ProcessTestCase {
    /**
     * Jobs on 16 threads (the application keeps one, see TransferLimitRetryTest), so that transfers would
     * overlap if nothing limited them; and one transfer of each kind at a time.
     */
    @DynamicPropertySource
    static void oneTransferOfEachKindAtATime(DynamicPropertyRegistry r) {
        r.add("camunda.client.execution-threads", () -> "16");
        r.add("upgrade.limits.transfers", () -> "1");
    }

    private ProcessRecords startCampaign(List<Map<String, Object>> items) {
        return start(CampaignProcess.PROCESS_ID, Map.of(Var.ITEMS, items));
    }

    private Map<String, Object> item(String name, String aim, String method) throws Exception {
        Map<String, Object> item = new HashMap<>(input(Dumps.plain(dumps, name, "15.4"), aim, method));
        item.remove(UpgradeProcess.Var.CONTRACT); // the workers' upgrade.contract serves every item
        return item;
    }

    @Test
    void sixItemsOneApprovalOneFailedReviewAndTheSummary() throws Exception {
        SANDBOX.faults().failFilenames(Pattern.compile("^c-fails"));
        SANDBOX.faults().slowTransfers(150); // a dump of 229 bytes takes 1.5 s: transfers overlap unless limited
        List<Map<String, Object>> items = new ArrayList<>(List.of(
                item("d.sql", "test", "https"), // the test copy before item 4's production run
                item("b.sql", "test", "sftp"),
                item("c-fails.sql", "test", "https"),
                item("d.sql", "production", "https"),
                item("e.sql", "production", "sftp"),
                item("f.sql", "production", "https"),
                item("g.sql", "test", "sftp"))); // beside item 2: two SFTP uploads would overlap unless limited

        ProcessRecords campaign = startCampaign(items);

        // the test items run first; the failed one is reviewed on its own
        OpenUserTask review = campaign.awaitUserTaskOfFamily(Element.REVIEW_FAILURE, RUN);
        assertThat(ENGINE.openUserTasks()).as("no approval while the tests run").noneMatch(t -> t.processInstanceKey() == campaign.instance());
        ENGINE.completeUserTask(review.key(), Map.of(UpgradeProcess.Var.REVIEW, "abandon"));

        // then one approval for the production items, with the test of the same database
        OpenUserTask approval = campaign.awaitUserTask(CampaignProcess.Element.APPROVE, RUN);
        assertThat(campaign.variable(Var.PRODUCTION_ITEMS).asInt()).isEqualTo(3);
        assertThat(campaign.variable(Var.APPROVAL_LIST).asText()).containsPattern("\\| 4 \\| d\\.sql \\| 13\\.0 \\| - \\| upgraded \\(request \\d+\\) \\|")
                .contains("| 5 | e.sql | 13.0 | - | - |", "| 6 | f.sql |").doesNotContain("b.sql");
        ENGINE.completeUserTask(approval.key(), Map.of(Var.APPROVAL, "approve", Var.DROPPED_ITEMS, "6",
                UpgradeProcess.Var.APPROVER, "Ada", UpgradeProcess.Var.APPROVAL_COMMENT, "weekend window"));

        assertThat(campaign.awaitEnd(RUN)).isEqualTo(CampaignProcess.Element.END);
        assertThat(campaign.openUserTasksOfFamily()).as("no production item asked for its own approval").isEmpty();
        List<String> outcomes = new ArrayList<>();
        for (JsonNode row : campaign.variable(Var.SUMMARY)) {
            outcomes.add(row.get("item").asInt() + " " + row.get("name").asText() + " " + row.get("outcome").asText());
        }
        assertThat(outcomes).containsExactly("1 d.sql upgraded", "2 b.sql upgraded", "3 c-fails.sql failed", "4 d.sql upgraded",
                "5 e.sql upgraded", "6 f.sql left-out", "7 g.sql upgraded");
        JsonNode first = campaign.variable(Var.SUMMARY).get(0);
        assertThat(first.get("requestId").asLong()).isPositive();
        assertThat(first.get("uploadSeconds").asDouble()).isPositive();
        assertThat(first.get("downloadSeconds").asDouble()).isPositive();
        assertThat(first.get("upgradedDumpSha256").asText()).hasSize(64);
        assertThat(campaign.variable(Var.ALL_UPGRADED).asBoolean()).isFalse();
        Path csv = Path.of(campaign.variable(Var.SUMMARY_CSV).asText());
        assertThat(Files.readAllLines(csv)).hasSize(8).element(6).asString().startsWith("6,f.sql,").contains("left-out",
                "left out by the approver");
        assertThat(Path.of(campaign.variable(Var.SUMMARY_HTML).asText())).content().contains("<td>c-fails.sql</td>");

        assertThat(SANDBOX.faults().transfers().peak(Kind.HTTP_UPLOAD)).as("HTTPS uploads at once").isEqualTo(1);
        assertThat(SANDBOX.faults().transfers().peak(Kind.SFTP_UPLOAD)).as("SFTP uploads at once").isEqualTo(1);
        assertThat(SANDBOX.faults().transfers().peak(Kind.DOWNLOAD)).as("downloads at once").isEqualTo(1);
    }

    @Test
    void aTestFirstItemRunsBesideTheTestsAndAsksItsOwnApprovalAfterItsTest() throws Exception {
        OdooDatabases.Scratch databases = new OdooDatabases.Scratch();
        try {
            String shop = databases.name("fleet_shop");
            BusinessDatabases.create(shop, "17.0", ROOT.resolve("filestore"));
            Map<String, Object> testFirst = new HashMap<>(Map.of(UpgradeProcess.Var.SOURCE_DATABASE, shop,
                    UpgradeProcess.Var.PLATFORM_API, UpgradeProcess.Value.PLATFORM_CURRENT, UpgradeProcess.Var.TARGET, "18.0",
                    UpgradeProcess.Var.AIM, "production", UpgradeProcess.Var.TEST_FIRST, true));

            long todays = SANDBOX.store().all().stream().filter(UpgradeRequest::isCurrent).count();
            ProcessRecords campaign = startCampaign(List.of(item("t.sql", "test", "https"), testFirst));

            OpenUserTask own = campaign.awaitUserTaskOfFamily(Element.APPROVE_AFTER_TEST, RUN);
            databases.dropLater(new ProcessRecords(ENGINE, own.processInstanceKey()).variable(UpgradeProcess.Var.TEST_DATABASE).asText());
            assertThat(campaign.variable(Var.PRODUCTION_ITEMS).asInt()).as("no item waits for the campaign's approval").isZero();
            ENGINE.completeUserTask(own.key(), Map.of(UpgradeProcess.Var.APPROVAL, "approve", UpgradeProcess.Var.APPROVER, "Ada"));

            assertThat(campaign.awaitEnd(RUN)).isEqualTo(CampaignProcess.Element.END);
            assertThat(campaign.timesCompleted(CampaignProcess.Element.APPROVE)).as("the campaign's approval").isZero();
            List<String> outcomes = new ArrayList<>();
            campaign.variable(Var.SUMMARY).forEach(row -> outcomes.add(row.get("name").asText() + " " + row.get("outcome").asText()));
            assertThat(outcomes).containsExactly("t.sql upgraded", shop + " upgraded");
            assertThat(SANDBOX.store().all().stream().filter(UpgradeRequest::isCurrent).count() - todays)
                    .as("the test-first item's test and production requests, on today's platform").isEqualTo(2);
        } finally {
            databases.dropAll();
        }
    }

    @Test
    void aFolderOfDumpsFromTheStartFormIsOneItemPerDump() throws Exception {
        Path folder = Files.createDirectories(dumps.resolve("fleet"));
        Dumps.plain(folder, "x.sql", "15.4");
        Dumps.plain(folder, "y.sql", "15.4");
        Files.writeString(folder.resolve(".hidden"), "not a dump");

        ProcessRecords campaign = start(CampaignProcess.PROCESS_ID, Map.of(Var.DUMPS_DIR, folder.toString(),
                UpgradeProcess.Var.EMAIL, "ops@example.com", UpgradeProcess.Var.TARGET, "13.0", UpgradeProcess.Var.AIM, "test",
                UpgradeProcess.Var.UPLOAD_METHOD, "https", UpgradeProcess.Var.SKIP_TESTS, true));

        assertThat(campaign.awaitEnd(RUN)).isEqualTo(CampaignProcess.Element.END);
        List<String> outcomes = new ArrayList<>();
        campaign.variable(Var.SUMMARY).forEach(row -> outcomes.add(row.get("name").asText() + " " + row.get("outcome").asText()));
        assertThat(outcomes).containsExactly("x.sql upgraded", "y.sql upgraded");
        assertThat(campaign.variable(Var.ALL_UPGRADED).asBoolean()).isTrue();
    }

    @Test
    void aFolderOfDumpsOnTodaysPlatformGoesThroughItWithRsyncAndIsWiped() throws Exception {
        Path folder = Files.createDirectories(dumps.resolve("fleet-today"));
        Dumps.plain(folder, "p.sql", "15.4");
        Dumps.plain(folder, "q.sql", "15.4");

        ProcessRecords campaign = start(CampaignProcess.PROCESS_ID, Map.of(Var.DUMPS_DIR, folder.toString(),
                UpgradeProcess.Var.PLATFORM_API, UpgradeProcess.Value.PLATFORM_CURRENT, UpgradeProcess.Var.TARGET, "18.0",
                UpgradeProcess.Var.AIM, "test", UpgradeProcess.Var.WIPE_AFTER, true));

        assertThat(campaign.awaitEnd(RUN)).isEqualTo(CampaignProcess.Element.END);
        List<String> outcomes = new ArrayList<>();
        for (JsonNode row : campaign.variable(Var.SUMMARY)) {
            outcomes.add(row.get("name").asText() + " " + row.get("outcome").asText());
            UpgradeRequest request = SANDBOX.store().get(row.get(UpgradeProcess.Var.REQUEST_ID).asLong());
            assertThat(request.isCurrent()).as("%s went to today's API", row.get("name")).isTrue();
            assertThat(request.archived).as("%s's copy wiped", row.get("name")).isTrue();
        }
        assertThat(outcomes).containsExactly("p.sql upgraded", "q.sql upgraded");
    }

    @Test
    void aListWithAnItemThatCannotWorkIsRefusedWholeWithItsNumber() throws Exception {
        Map<String, Object> unreadable = item("g.sql", "test", "https");
        unreadable.put(UpgradeProcess.Var.DUMP_FILE, dumps.resolve("missing.sql").toString());
        Map<String, Object> first = item("h.sql", "test", "https");
        first.put(UpgradeProcess.Var.RESTORE, true);
        first.put(UpgradeProcess.Var.RESTORE_DATABASE, "fleet_one");
        Map<String, Object> second = item("i.sql", "test", "https");
        second.put(UpgradeProcess.Var.RESTORE, true);
        second.put(UpgradeProcess.Var.RESTORE_DATABASE, "fleet_one");

        ProcessRecords campaign = startCampaign(List.of(first, unreadable, second));

        assertThat(campaign.awaitEnd(RUN)).isEqualTo(CampaignProcess.Element.END_REFUSED);
        List<String> problems = new ArrayList<>();
        campaign.variable(UpgradeProcess.Var.INPUT_ERRORS).forEach(p -> problems.add(p.asText()));
        assertThat(problems).anyMatch(p -> p.startsWith("item 2: dumpFile") && p.contains("does not exist"))
                .contains("item 3: items 1 and 3 both restore into the database fleet_one: give each its own");
        assertThat(SANDBOX.store().all()).as("no request made").noneMatch(r -> r.filename.equals("h.sql"));
    }
}
