package io.github.odooupgrade.acceptance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the acceptance report compares, read from one JSON file (comments allowed): the project's defaults
 * ({@value #DEFAULTS}, in the jar) or an operator's copy. Every name is checked here, so that a rule never reaches
 * SQL as anything but a plain identifier; {@code where} is SQL the operator wrote, run read-only.
 */
public record AcceptanceRules(List<Rule> records, List<Rule> sums, List<String> modulesMayGo) {
    public static final String DEFAULTS = "acceptance-rules.json";
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A bad rules file, said in one line: which file, what is wrong. */
    public static final class BadRules extends RuntimeException {
        BadRules(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** How a record or sum is read from databases of the series {@code from} on (null: any). */
    public record Version(String from, String table, String where) {}

    /**
     * A kind of business record (its rows counted) or an amount (its {@code columns} summed {@code per} group).
     *
     * @param mayGrow   more rows after the upgrade is not a difference
     * @param tolerance how far a sum may move (absolute)
     */
    public record Rule(String name, String table, String where, boolean mayGrow, List<String> columns, String per, double tolerance,
            List<Version> versions) {
        public Rule {
            versions = versions == null ? List.of() : List.copyOf(versions);
            columns = columns == null ? List.of() : List.copyOf(columns);
        }

        /** The table and filter for a database of Odoo {@code series} ("17.0"; null: not known, the first entry applies). */
        public Version at(String series) {
            for (Version v : versions) {
                if (v.from() == null || series == null || compareSeries(v.from(), series) <= 0) {
                    return new Version(v.from(), v.table() != null ? v.table() : table, v.where() != null ? v.where() : where);
                }
            }
            return new Version(null, table, where);
        }
    }

    public AcceptanceRules {
        records = records == null ? List.of() : List.copyOf(records);
        sums = sums == null ? List.of() : List.copyOf(sums);
        modulesMayGo = modulesMayGo == null ? List.of() : List.copyOf(modulesMayGo);
    }

    /** The project's defaults. */
    public static AcceptanceRules defaults() {
        try (InputStream in = AcceptanceRules.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            return checked(JSON.readValue(in, AcceptanceRules.class), DEFAULTS);
        } catch (IOException e) {
            throw new BadRules("the default acceptance rules cannot be read: " + e.getMessage(), e);
        }
    }

    /** An operator's rules file; null: the defaults. */
    public static AcceptanceRules read(Path file) {
        if (file == null) {
            return defaults();
        }
        try {
            return checked(JSON.readValue(Files.readAllBytes(file), AcceptanceRules.class), file.toString());
        } catch (IOException e) {
            throw new BadRules("the acceptance rules " + file + " cannot be read: " + e.getMessage().lines().findFirst().orElse("")
                    + ": fix the file (JSON, as " + DEFAULTS + " in the docs) or leave the setting out for the defaults", e);
        }
    }

    private static AcceptanceRules checked(AcceptanceRules rules, String source) {
        for (Rule r : rules.records()) {
            check(r, false, source);
        }
        for (Rule r : rules.sums()) {
            check(r, true, source);
        }
        return rules;
    }

    private static void check(Rule r, boolean sum, String source) {
        String what = "rule \"" + r.name() + "\" of " + source;
        if (r.name() == null || r.name().isBlank()) {
            throw new BadRules("a rule of " + source + " has no name: give each a \"name\"", null);
        }
        if (r.table() == null && r.versions().stream().anyMatch(v -> v.table() == null)) {
            throw new BadRules(what + " has no table: give \"table\", or one in each of its \"versions\"", null);
        }
        for (String id : identifiers(r)) {
            if (id != null && !IDENTIFIER.matcher(id).matches()) {
                throw new BadRules(what + ": \"" + id + "\" is not a table or column name (lower-case letters, digits and _)", null);
            }
        }
        for (Version v : r.versions()) {
            if (v.from() != null && !v.from().matches("\\d+\\.\\d+")) {
                throw new BadRules(what + ": \"from\": \"" + v.from() + "\" is not an Odoo series such as 13.0", null);
            }
        }
        if (sum && (r.columns().isEmpty() || r.per() == null)) {
            throw new BadRules(what + " sums nothing: give \"columns\" and \"per\"", null);
        }
    }

    private static List<String> identifiers(Rule r) {
        List<String> ids = new java.util.ArrayList<>(r.columns());
        ids.add(r.table());
        ids.add(r.per());
        r.versions().forEach(v -> ids.add(v.table()));
        return ids;
    }

    /** 13.0 against 9.0, as numbers. */
    static int compareSeries(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return major != 0 ? major : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }
}
