package io.github.odooupgrade.acceptance;

import static io.github.odooupgrade.database.LocalPostgres.psql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.odooupgrade.acceptance.AcceptanceReport.Verdict;
import io.github.odooupgrade.database.BusinessDatabases;
import io.github.odooupgrade.database.LocalPostgres;
import io.github.odooupgrade.database.OdooDatabases;
import io.github.odooupgrade.database.PgSql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source and upgraded databases on the machine's PostgreSQL, Odoo-shaped with business records (BusinessDatabases),
 * compared by the default rules: what a person approving production is told.
 */
class AcceptanceReportTest {
    private static final PgSql PG = new PgSql(LocalPostgres.PG);
    private static final AcceptanceRules RULES = AcceptanceRules.defaults();

    @TempDir
    Path filestores;

    private final OdooDatabases.Scratch databases = new OdooDatabases.Scratch();

    @AfterEach
    void dropDatabases() {
        databases.dropAll();
    }

    /** A source of {@code from} and its "upgrade" to {@code to}: the same records, kept as series {@code to} keeps them. */
    private String[] upgrade(String from, String to) throws IOException {
        String source = databases.name("src");
        String upgraded = databases.name("upg");
        BusinessDatabases.create(source, from, filestores);
        BusinessDatabases.create(upgraded, to, filestores);
        return new String[] {source, upgraded};
    }

    private AcceptanceReport compare(String[] pair, String target) {
        return AcceptanceReport.of(PG, pair[0], filestores.resolve(pair[0]), pair[1], filestores.resolve(pair[1]), target, RULES);
    }

    @Test
    void anUpgradeThatKeptEveryRecordSaysNoDifference() throws Exception {
        String[] pair = upgrade("17.0", "18.0");

        AcceptanceReport report = compare(pair, "18.0");

        assertThat(report.differences()).isEmpty();
        assertThat(report.verdict()).isEqualTo(Verdict.NO_DIFFERENCE);
        assertThat(report.summary()).startsWith("No difference: " + pair[0] + " and " + pair[1]);
        assertThat(report.source().counts().get("partners").rows()).isEqualTo(BusinessDatabases.PARTNERS);
        assertThat(report.upgraded().attachments().stored()).isEqualTo(3);
        assertThat(AcceptanceHtml.page(report)).contains("Verdict: <strong>no difference</strong>").doesNotContain("class=\"diff\"");
    }

    @Test
    void invoicesAreFollowedFromAccountInvoiceIntoAccountMoveAt13() throws Exception {
        String[] pair = upgrade("12.0", "13.0");

        AcceptanceReport report = compare(pair, "13.0");

        assertThat(report.differences()).isEmpty();
        assertThat(report.source().counts().get("invoices and refunds")).isEqualTo(new Snapshot.Count("account_invoice", 6L));
        assertThat(report.upgraded().counts().get("invoices and refunds")).isEqualTo(new Snapshot.Count("account_move", 6L));
        assertThat(AcceptanceHtml.page(report)).contains("account_invoice → account_move");

        psql(pair[1], "DELETE FROM account_move WHERE id = 8"); // a draft vendor bill lost on the way
        assertThat(compare(pair, "13.0").differences())
                .containsExactly("invoices and refunds (account_invoice → account_move): 6 → 5, 1 fewer");
    }

    @Test
    void rowsLostFromOneTableAreNamedWithTheirCounts() throws Exception {
        String[] pair = upgrade("17.0", "18.0");
        psql(pair[1], "DELETE FROM sale_order_line WHERE id IN (3, 4, 5)");

        AcceptanceReport report = compare(pair, "18.0");

        assertThat(report.verdict()).isEqualTo(Verdict.DIFFERENCES);
        assertThat(report.differences()).containsExactly("sale order lines (sale_order_line): 30 → 27, 3 fewer");
        assertThat(report.summary()).isEqualTo("Differences to look at between " + pair[0] + " and " + pair[1] + ":\n"
                + "- sale order lines (sale_order_line): 30 → 27, 3 fewer");
        assertThat(AcceptanceHtml.page(report)).contains("<tr class=\"diff\"><td>sale order lines</td><td>sale_order_line</td>"
                + "<td class=\"n\">30</td><td class=\"n\">27</td></tr>");
    }

    @Test
    void moneyThatMovedModulesLostOrNotUpgradedAndMissingFilesAreDifferences() throws Exception {
        String[] pair = upgrade("17.0", "18.0");
        psql(pair[1], "UPDATE account_move_line SET debit = debit + 0.01 WHERE id = 1;"
                + "UPDATE ir_module_module SET state = 'uninstalled' WHERE name = 'project';"
                + "UPDATE ir_module_module SET latest_version = '17.0.1.1' WHERE name = 'stock';"
                + "UPDATE ir_module_module SET state = 'installed', latest_version = '18.0.1.0' WHERE name = 'mrp'");
        String store = psql(pair[1], "SELECT store_fname FROM ir_attachment WHERE id = 2");
        Files.delete(filestores.resolve(pair[1]).resolve(store));

        AcceptanceReport report = compare(pair, "18.0");

        assertThat(report.differences()).containsExactlyInAnyOrder(
                "module project was installed and is not after the upgrade (state uninstalled)",
                "module stock is still at version 17.0.1.1, not upgraded to 18.0",
                "posted journal items, company_id 1, debit: 370.50 → 370.51",
                "1 attachments' files are missing from the upgraded database's filestore (e.g. " + store + ")");
        assertThat(report.notes()).containsExactly("installed by the upgrade: mrp");
    }

    @Test
    void aSourceThatIsNotAnOdooDatabaseIsSaidInASentence() throws Exception {
        String[] pair = upgrade("17.0", "18.0");
        psql(pair[0], "DROP TABLE ir_module_module");

        AcceptanceReport report = compare(pair, "18.0");

        assertThat(report.verdict()).isEqualTo(Verdict.NOT_COMPARED);
        assertThat(report.summary()).isEqualTo("Not compared: " + pair[0] + " is not an Odoo database (it has no ir_module_module "
                + "table): there are no Odoo records to compare.");
        assertThat(AcceptanceHtml.page(report)).contains("not compared");
    }

    @Test
    void anUpgradedDatabaseThatIsGoneLeavesTheReasonNotACrash() throws Exception {
        String[] pair = upgrade("17.0", "18.0");
        psql("postgres", "DROP DATABASE " + pair[1]);

        AcceptanceReport report = compare(pair, "18.0");

        assertThat(report.verdict()).isEqualTo(Verdict.NOT_COMPARED);
        assertThat(report.reason()).startsWith("the upgraded database " + pair[1] + " cannot be read: psql failed").contains("does not exist");
    }

    @Test
    void aRuleThatCannotBeReadIsADifferenceToLookAtWithItsReason(@TempDir Path dir) throws Exception {
        String[] pair = upgrade("17.0", "18.0");
        Path rules = Files.writeString(dir.resolve("rules.json"), """
                // only partners, counted with a filter that the upgraded database cannot run
                {"records": [{"name": "customers", "table": "res_partner", "where": "customer_rank > 0"}]}
                """);
        psql(pair[0], "ALTER TABLE res_partner ADD COLUMN customer_rank int DEFAULT 1");

        AcceptanceReport report = AcceptanceReport.of(PG, pair[0], null, pair[1], null, "18.0", AcceptanceRules.read(rules));

        assertThat(report.verdict()).isEqualTo(Verdict.DIFFERENCES);
        assertThat(report.differences()).singleElement().asString().startsWith("customers could not be compared: psql failed")
                .contains("customer_rank");
    }

    @Test
    void aBadRulesFileIsSaidInOneLine(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.json"), "{\"records\": [{\"name\": \"x\", \"table\": \"res_partner; DROP TABLE y\"}]}");

        assertThatThrownBy(() -> AcceptanceRules.read(rules)).hasMessage("rule \"x\" of " + rules
                + ": \"res_partner; DROP TABLE y\" is not a table or column name (lower-case letters, digits and _)");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"records\": [");
        assertThatThrownBy(() -> AcceptanceRules.read(broken)).hasMessageStartingWith("the acceptance rules " + broken + " cannot be read: ")
                .hasMessageEndingWith(": fix the file (JSON, as acceptance-rules.json in the docs) or leave the setting out for the defaults")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void theSummaryAFormShowsIsBounded() throws Exception {
        String[] pair = upgrade("17.0", "18.0");
        StringBuilder gone = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            gone.append("INSERT INTO ir_module_module (name, state, latest_version) VALUES ('module_with_a_long_name_").append(i)
                    .append("', 'installed', '17.0.1.0');");
        }
        psql(pair[0], gone.toString());

        AcceptanceReport report = compare(pair, "18.0");

        assertThat(report.differences()).hasSize(200);
        assertThat(report.summary()).hasSizeLessThanOrEqualTo(AcceptanceReport.SUMMARY_LIMIT).endsWith(" more in the report");
    }
}
