package io.github.odooupgrade.acceptance;

import io.github.odooupgrade.acceptance.AcceptanceRules.Rule;
import io.github.odooupgrade.acceptance.AcceptanceRules.Version;
import io.github.odooupgrade.database.PgSql;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one database holds, as far as the acceptance report goes: Odoo's series and modules, the row counts and sums
 * its rules name (each read the way the database's series keeps it), and the attachments whose file is not in its
 * filestore. Read-only; a question that fails is kept as a problem of that rule, not a failure of the whole.
 *
 * @param series   Odoo's series ("17.0") from the base module, or null (not an Odoo database, or none installed)
 * @param modules  ir_module_module by name; empty when there is no such table
 * @param counts   by record rule name; a count is null where the table is not in this database
 * @param sums     by sum rule name, then group and column (company 1, debit)
 * @param attachments those kept in the filestore, and those whose file is missing; null where not checked
 * @param problems a rule that could not be read: its name and psql's words
 */
public record Snapshot(String database, String series, boolean odoo, Map<String, Module> modules, Map<String, Count> counts,
        Map<String, Map<Amount, BigDecimal>> sums, Attachments attachments, Map<String, String> problems) {

    public record Module(String name, String state, String version) {
        public boolean installed() {
            return "installed".equals(state) || "to upgrade".equals(state);
        }
    }

    /** What a sum rule sums: one of its columns, for one group of rows (the value of its "per" column). */
    public record Amount(String group, String column) {}

    /** A record rule's rows: the table it was read from (after renames) and how many (null: no such table). */
    public record Count(String table, Long rows) {}

    /** The attachments kept in the filestore: how many, and those whose file is not there (their store_fname). */
    public record Attachments(long stored, List<String> missing) {}

    private static final String SERIES = "\\d+\\.\\d+";

    /** The same, under another name (a dump restored for the comparison is named after the dump, not its scratch database). */
    public Snapshot named(String name) {
        return new Snapshot(name, series, odoo, modules, counts, sums, attachments, problems);
    }

    /** Reads {@code database}; {@code filestore} is its folder ({@code <root>/<database>}), null not to check files. */
    public static Snapshot read(PgSql pg, String database, Path filestore, AcceptanceRules rules) {
        Set<String> tables = new HashSet<>();
        for (String[] row : pg.rows(database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            tables.add(row[0]);
        }
        Map<String, Module> modules = new LinkedHashMap<>();
        if (tables.contains("ir_module_module")) {
            for (String[] r : pg.rows(database, "SELECT name, coalesce(state, ''), coalesce(latest_version, '') FROM ir_module_module ORDER BY name")) {
                modules.put(r[0], new Module(r[0], r[1], r[2]));
            }
        }
        Module base = modules.get("base");
        String series = base == null ? null : seriesOf(base.version());
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, Count> counts = new LinkedHashMap<>();
        for (Rule rule : rules.records()) {
            Version v = rule.at(series);
            if (!tables.contains(v.table())) {
                counts.put(rule.name(), new Count(v.table(), null));
                continue;
            }
            try {
                long n = Long.parseLong(pg.rows(database, "SELECT count(*) FROM " + v.table() + where(v)).getFirst()[0]);
                counts.put(rule.name(), new Count(v.table(), n));
            } catch (RuntimeException e) {
                problems.put(rule.name(), e.getMessage());
            }
        }
        Map<String, Map<Amount, BigDecimal>> sums = new LinkedHashMap<>();
        for (Rule rule : rules.sums()) {
            Version v = rule.at(series);
            if (!tables.contains(v.table())) {
                continue;
            }
            String columns = String.join(", ", rule.columns().stream().map(c -> "coalesce(sum(" + c + "), 0)").toList());
            try {
                Map<Amount, BigDecimal> values = new LinkedHashMap<>();
                for (String[] r : pg.rows(database, "SELECT coalesce(" + rule.per() + "::text, '-'), " + columns + " FROM " + v.table()
                        + where(v) + " GROUP BY 1 ORDER BY 1")) {
                    for (int i = 0; i < rule.columns().size(); i++) {
                        values.put(new Amount(r[0], rule.columns().get(i)), new BigDecimal(r[i + 1]));
                    }
                }
                sums.put(rule.name(), values);
            } catch (RuntimeException e) {
                problems.put(rule.name(), e.getMessage());
            }
        }
        Attachments attachments = filestore == null || !tables.contains("ir_attachment") ? null
                : attachments(pg, database, filestore.toAbsolutePath().normalize(), problems);
        return new Snapshot(database, series, !modules.isEmpty(), modules, counts, sums, attachments, problems);
    }

    private static Attachments attachments(PgSql pg, String database, Path filestore, Map<String, String> problems) {
        List<String> missing = new ArrayList<>();
        long stored = 0;
        try {
            for (String[] r : pg.rows(database, "SELECT store_fname FROM ir_attachment WHERE store_fname IS NOT NULL AND store_fname <> '' ORDER BY id")) {
                stored++;
                Path file = filestore.resolve(r[0]).normalize();
                if (!file.startsWith(filestore) || !Files.isRegularFile(file)) {
                    missing.add(r[0]);
                }
            }
        } catch (RuntimeException e) {
            problems.put("attachments' files", e.getMessage());
            return null;
        }
        return new Attachments(stored, missing);
    }

    private static String where(Version v) {
        return v.where() == null ? "" : " WHERE " + v.where();
    }

    /** "17.0" of "17.0.1.3"; null where the version is not one of a numbered series (empty, or saas~17.2…). */
    static String seriesOf(String version) {
        String[] parts = version.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        String series = parts[0] + "." + parts[1];
        return series.matches(SERIES) ? series : null;
    }
}
