package io.github.odooupgrade.process;

import io.github.odooupgrade.process.UpgradeProcess.Value;
import java.util.List;
import java.util.function.Consumer;

/**
 * Which Enterprise contract a request of the workers is made with: the start form's; else the workers' own
 * ({@code upgrade.contract}); else — on today's platform, for a live database — the one the database names
 * ({@code ir_config_parameter database.enterprise_code}), as Odoo's own client reads it. A contract given that differs
 * from the database's is used, and said. What it says never holds the numbers.
 */
public final class ContractChoice {
    /** The contract a database names, or null when it names none; throws when the database cannot be read. */
    @FunctionalInterface
    public interface NamedBy {
        String contract(String database);
    }

    private ContractChoice() {}

    /**
     * The contract read from the input's database when it is the one to use, else null (the form's or the workers'
     * is used); when none can be used, a problem is added.
     *
     * @param configured the workers have {@code upgrade.contract}
     */
    public static String fromDatabase(ValidInput input, boolean configured, NamedBy namedBy, List<String> problems,
            Consumer<String> say) {
        String database = input.sourceDatabase();
        if (database == null || !Value.PLATFORM_CURRENT.equals(input.platformApi())) {
            return null; // the validator has asked for a form's or workers' contract already
        }
        boolean noneGiven = input.contract() == null && !configured;
        String named;
        try {
            named = namedBy.contract(database);
        } catch (RuntimeException e) {
            if (noneGiven) {
                problems.add("contract is missing, and database " + database + " cannot be read for the one it names ("
                        + e.getMessage() + "): give the contract in the start form, or configure upgrade.contract on the workers");
            }
            return null;
        }
        if (noneGiven) {
            if (named == null) {
                problems.add("contract is missing, and database " + database + " names none (ir_config_parameter "
                        + "database.enterprise_code): give the contract in the start form, or configure upgrade.contract on the workers");
            } else {
                say.accept("the contract is the one database " + database + " names (ir_config_parameter database.enterprise_code)");
            }
            return named;
        }
        if (named != null && input.contract() != null && !named.equals(input.contract())) {
            say.accept("the contract used is the start form's, not the one database " + database + " names (database.enterprise_code)");
        }
        return null;
    }
}
