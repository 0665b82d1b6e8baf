package io.github.odooupgrade.process;

import static io.github.odooupgrade.database.LocalPostgres.psql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.odooupgrade.database.BusinessDatabases;
import io.github.odooupgrade.database.OdooDatabases;
import io.github.odooupgrade.engine.EmbeddedEngine.OpenUserTask;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.Faults;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Test, then production, in one instance, on today's platform: an Odoo-shaped live database (BusinessDatabases) is
 * upgraded for a test, restored into a test database and compared with the source; a person tries it and approves;
 * the production upgrade starts from a new dump. A test upgrade that loses rows is named where the person decides; a
 * failed test upgrade goes to its review, never to the approval.
 */
class TestFirstProcessTest extends ProcessTestCase {
    private final OdooDatabases.Scratch databases = new OdooDatabases.Scratch();
    private final Path filestores = ROOT.resolve("filestore"); // the fixture's upgrade.postgres.filestore-root

    @AfterEach
    void dropDatabases() {
        databases.dropAll();
    }

    /** A test-first production upgrade of a new live database to 18.0 on today's platform; production restored into {@code restoreAs}. */
    private Map<String, Object> testFirst(String source, String restoreAs) throws Exception {
        BusinessDatabases.create(source, "17.0", filestores);
        Map<String, Object> in = input(null, Value.AIM_PRODUCTION, Value.METHOD_AUTO);
        in.remove(Var.EMAIL);
        in.put(Var.PLATFORM_API, Value.PLATFORM_CURRENT);
        in.put(Var.TARGET, "18.0");
        in.put(Var.SOURCE_DATABASE, source);
        in.put(Var.TEST_FIRST, true);
        if (restoreAs != null) {
            in.put(Var.RESTORE, true);
            in.put(Var.RESTORE_DATABASE, restoreAs);
        }
        return in;
    }

    @Test
    void theTestIsComparedTriedAndApprovedThenProductionIsUpgradedFromANewDump() throws Exception {
        String source = databases.name("shop");
        String production = databases.name("shop_prod");
        SANDBOX.faults().holdFilenames(Pattern.compile("^origin")); // the test upgrade waits while the shop goes on
        ProcessRecords run = start(testFirst(source, production));
        await().atMost(RUN).until(() -> run.timesCompleted("upload-rsync") == 1);
        psql(source, "INSERT INTO res_partner (name, company_id) VALUES ('A customer met while the test ran', 1)");
        SANDBOX.faults().holdFilenames(null);

        OpenUserTask approval = run.awaitUserTask(Element.APPROVE_AFTER_TEST, RUN);
        String testDatabase = run.variable(Var.TEST_DATABASE).asText();
        databases.dropLater(testDatabase);
        assertThat(testDatabase).startsWith(source + "_test_18_0_");
        assertThat(run.variable(Var.ACCEPTANCE_VERDICT).asText()).as("compared with what the platform received, not the shop now")
                .isEqualTo("no difference");
        assertThat(run.variable(Var.ACCEPTANCE_SUMMARY).asText()).startsWith("No difference: " + source + " and " + testDatabase);
        assertThat(Path.of(run.variable(Var.ACCEPTANCE_REPORT).asText())).content().contains("Verdict: <strong>no difference</strong>");
        assertThat(run.variable(Var.PLATFORM_REPORT).asText()).as("the platform's report as text").contains("Odoo").doesNotContain("<td>");
        UpgradeRequest test = SANDBOX.store().get(run.variable(Var.REQUEST_ID).asLong());
        assertThat(test.aim).isEqualTo(Value.AIM_TEST);
        assertThat(psql(testDatabase, "SELECT count(*) FROM res_partner")).isEqualTo(Integer.toString(BusinessDatabases.PARTNERS));

        psql(source, "INSERT INTO res_partner (name, company_id) VALUES ('A customer met while the test was tried', 1)");
        ENGINE.completeUserTask(approval.key(), Map.of(Var.APPROVAL, Value.APPROVE, Var.APPROVER, "Ada",
                Var.APPROVAL_COMMENT, "invoices and stock checked"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        UpgradeRequest prod = SANDBOX.store().get(run.variable(Var.REQUEST_ID).asLong());
        assertThat(prod.id).isNotEqualTo(test.id);
        assertThat(prod.aim).isEqualTo(Value.AIM_PRODUCTION);
        assertThat(run.variable(Var.TEST_REQUEST_ID).asLong()).isEqualTo(test.id);
        assertThat(run.timesCompleted(Element.APPROVE_PRODUCTION)).as("approved once, after the test").isZero();
        assertThat(run.timesCompleted("dump-database")).as("dumped for the test, and again for production").isEqualTo(2);
        assertThat(psql(production, "SELECT count(*) FROM res_partner")).as("production has what the source holds now")
                .isEqualTo(Integer.toString(BusinessDatabases.PARTNERS + 2));
        assertThat(run.variable(Var.RESTORED_DATABASE).asText()).isEqualTo(production);
        assertThat(run.variable(Var.PLATFORM_LOG).asText()).as("the production request's log, read from its start")
                .contains("upgrade of request " + prod.id + " to 18.0 (production) started");
    }

    @Test
    void rowsTheTestUpgradeLostAreNamedAtTheApprovalAndRejectingEndsTheRunWithoutProduction() throws Exception {
        SANDBOX.faults().loseRows(new Faults.LostRows("sale_order_line", 3));
        String source = databases.name("lossy");
        ProcessRecords run = start(testFirst(source, null));

        OpenUserTask approval = run.awaitUserTask(Element.APPROVE_AFTER_TEST, RUN);
        databases.dropLater(run.variable(Var.TEST_DATABASE).asText());
        assertThat(run.variable(Var.ACCEPTANCE_VERDICT).asText()).isEqualTo("differences to look at");
        assertThat(run.variable(Var.ACCEPTANCE_SUMMARY).asText()).contains("- sale order lines (sale_order_line): 30 → 27, 3 fewer");
        long requests = SANDBOX.store().all().size();
        ENGINE.completeUserTask(approval.key(), Map.of(Var.APPROVAL, Value.REJECT, Var.APPROVER, "Ada",
                Var.APPROVAL_COMMENT, "order lines are missing"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_TEST_NOT_APPROVED);
        assertThat(run.variable(Var.RUN_OUTCOME).asText()).isEqualTo("not-approved");
        assertThat(SANDBOX.store().all()).as("no production request").hasSize((int) requests);
    }

    @Test
    void aFailedTestUpgradeGoesToItsReviewNotToTheApproval() throws Exception {
        SANDBOX.faults().failFilenames(Pattern.compile("^origin\\.dump$"));
        ProcessRecords run = start(testFirst(databases.name("broken"), null));

        OpenUserTask review = run.awaitUserTask(Element.REVIEW_FAILURE, RUN);
        assertThat(run.variable(Var.AIM).asText()).isEqualTo(Value.AIM_TEST);
        ENGINE.completeUserTask(review.key(), Map.of(Var.REVIEW, Value.ABANDON));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_ABANDONED);
        assertThat(run.timesCompleted(Element.APPROVE_AFTER_TEST) + run.timesCompleted(Element.COMPARE_TEST)).isZero();
    }

    @Test
    void testFirstIsForAProductionUpgradeOfADumpOrDatabase() throws Exception {
        Map<String, Object> in = testFirst(databases.name("aimless"), null);
        in.put(Var.AIM, Value.AIM_TEST);
        in.put(Var.APPROVAL_REMINDER, "tomorrow");

        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_INPUT_INVALID);
        assertThat(run.variable(Var.INPUT_ERRORS).toString()).contains(
                "testFirst upgrades a test copy first, then production: choose the aim production",
                "approvalReminder tomorrow is not an ISO-8601 duration: write it like PT5M or PT48H");
        assertThat(run.variable(Var.REQUEST_ID)).as("no request made").isNull();
    }
}
