package io.github.odooupgrade.process;

import static io.github.odooupgrade.database.LocalPostgres.psql;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.odooupgrade.database.OdooDatabases;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import io.github.odooupgrade.secrets.SecretForms;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Workers with no contract of their own (no upgrade.contract), started from a form that gives none: on today's
 * platform a live database's own contract (database.enterprise_code) is used, as Odoo's client does; a database that
 * names none, or v1's platform, is bad input said in a sentence.
 */
@TestPropertySource(properties = "test.workers-contract=") // no upgrade.contract on the workers
class ContractFromDatabaseTest extends ProcessTestCase {
    private final OdooDatabases.Scratch databases = new OdooDatabases.Scratch();

    @AfterEach
    void dropDatabases() {
        databases.dropAll();
    }

    private Map<String, Object> liveDatabaseWithoutContract(String source, String platform) {
        Map<String, Object> in = input(null, "test", Value.METHOD_AUTO);
        in.remove(Var.CONTRACT);
        in.put(Var.SOURCE_DATABASE, source);
        in.put(Var.PLATFORM_API, platform);
        in.put(Var.TARGET, platform.equals(Value.PLATFORM_CURRENT) ? "18.0" : "13.0");
        return in;
    }

    @Test
    void todaysPlatformUsesTheContractTheDatabaseNames() throws Exception {
        String source = databases.name("named");
        OdooDatabases.create(source, 5, null); // names the sandbox's contract, the only one it accepts

        ProcessRecords run = start(liveDatabaseWithoutContract(source, Value.PLATFORM_CURRENT));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        UpgradeRequest request = SANDBOX.store().get(run.variable(Var.REQUEST_ID).asLong());
        assertThat(request.contract).isEqualTo(OdooDatabases.ENTERPRISE_CODE);
        assertThat(run.variable(Var.CONTRACT).asText()).isEqualTo(InputValidator.mask(OdooDatabases.ENTERPRISE_CODE));
        assertThat(run.everyVariableValue().filter(v -> SecretForms.foundIn(List.of(v), SecretForms.of(OdooDatabases.ENTERPRISE_CODE)) != null))
                .as("the contract in clear in a variable").isEmpty();
    }

    @Test
    void aDatabaseThatNamesNoContractIsBadInputSaidInASentence() throws Exception {
        String source = databases.name("unnamed");
        OdooDatabases.create(source, 5, null);
        psql(source, "DELETE FROM ir_config_parameter WHERE key = 'database.enterprise_code'");

        ProcessRecords run = start(liveDatabaseWithoutContract(source, Value.PLATFORM_CURRENT));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_INPUT_INVALID);
        assertThat(run.variable(Var.INPUT_ERRORS).toString()).contains("contract is missing, and database " + source
                + " names none (ir_config_parameter database.enterprise_code)");
        assertThat(run.variable(Var.REQUEST_ID)).as("no request made").isNull();
    }

    @Test
    void v1AsksForTheContractInTheFormOrOnTheWorkers() throws Exception {
        String source = databases.name("v1");
        OdooDatabases.create(source, 5, null);

        ProcessRecords run = start(liveDatabaseWithoutContract(source, Value.PLATFORM_V1));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_INPUT_INVALID);
        assertThat(run.variable(Var.INPUT_ERRORS).toString()).contains("contract is missing");
    }
}
