package io.github.odooupgrade.database;

import java.util.ArrayList;
import java.util.List;

/**
 * What a database holds, as far as a person judging an upgrade goes: the server's version, how many
 * tables, and — when it is an Odoo database ({@code ir_module_module}) — Odoo's version and its modules.
 *
 * @param odooVersion the {@code base} module's version ("17.0.1.3"), or null where there is none
 */
public record DatabaseFacts(String serverVersion, int tables, String odooVersion, List<Module> modules) {

    /** A row of {@code ir_module_module}. */
    public record Module(String name, String state, String version) {}

    public static DatabaseFacts read(PgConnection pg, String database) {
        PgConnection.checkName(database);
        PgTools tools = new PgTools(pg);
        String server = tools.query(database, "SHOW server_version");
        int tables = Integer.parseInt(tools.query(database, "SELECT count(*) FROM information_schema.tables "
                + "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')"));
        if (!"t".equals(tools.query(database, "SELECT to_regclass('public.ir_module_module') IS NOT NULL"))) {
            return new DatabaseFacts(server, tables, null, List.of());
        }
        List<Module> modules = new ArrayList<>();
        String base = null;
        for (String row : tools.query(database, "SELECT name, state, coalesce(latest_version, '') FROM ir_module_module ORDER BY name")
                .split("\n")) {
            String[] cols = row.split("\\|", -1);
            if (cols.length == 3) {
                modules.add(new Module(cols[0], cols[1], cols[2]));
                if (cols[0].equals("base") && !cols[2].isEmpty()) {
                    base = cols[2];
                }
            }
        }
        return new DatabaseFacts(server, tables, base, List.copyOf(modules));
    }

    /**
     * The Odoo Enterprise contract the database names (its {@code ir_config_parameter} {@code database.enterprise_code}, where
     * Odoo keeps it and Odoo's upgrade client reads it), or null when it names none or is not an Odoo database.
     */
    public static String enterpriseCode(PgConnection pg, String database) {
        PgConnection.checkName(database);
        PgTools tools = new PgTools(pg);
        if (!"t".equals(tools.query(database, "SELECT to_regclass('public.ir_config_parameter') IS NOT NULL"))) {
            return null;
        }
        String code = tools.query(database, "SELECT value FROM ir_config_parameter WHERE key = 'database.enterprise_code'");
        return code.isBlank() ? null : code.trim();
    }

    /** An Odoo database: it has Odoo's table of modules. */
    public boolean isOdoo() {
        return !modules.isEmpty();
    }

    /** "17.0" of "17.0.1.3": the Odoo series the base module's version names, or null. */
    public String odooSeries() {
        if (odooVersion == null) {
            return null;
        }
        String[] parts = odooVersion.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : odooVersion;
    }

    public List<Module> installed() {
        return modules.stream().filter(m -> m.state().equals("installed")).toList();
    }
}
