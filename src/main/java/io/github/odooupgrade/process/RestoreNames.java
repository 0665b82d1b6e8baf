package io.github.odooupgrade.process;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** The name of the new database a restore makes when the start names none, as Odoo's upgrade client names it. */
public final class RestoreNames {
    private static final int MAX = 63; // PostgreSQL's longest name

    private RestoreNames() {}

    /** {@code mydb} upgraded to 13.0 → {@code mydb_upgraded_13_0}. */
    public static String upgraded(String source, String target) {
        String name = source + "_upgraded_" + target.replaceAll("[^A-Za-z0-9]", "_");
        return name.length() <= MAX ? name : name.substring(0, MAX);
    }

    /** A test upgrade on today's platform, as Odoo's client names it: {@code mydb} to 18.0 → {@code mydb_test_18_0_2026_12_06_21_30}. */
    public static String odooTest(String source, String target, LocalDateTime at) {
        String suffix = "_test_" + target.replaceAll("[^A-Za-z0-9]", "_") + "_" + at.format(DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm"));
        return (source.length() + suffix.length() <= MAX ? source : source.substring(0, MAX - suffix.length())) + suffix;
    }

    /** A dump file's name as a database name's start: {@code 2024-shop.sql.gz} → {@code db_2024_shop}. */
    static String stem(String fileName) {
        int dot = fileName.indexOf('.');
        String stem = (dot > 0 ? fileName.substring(0, dot) : fileName).replaceAll("[^A-Za-z0-9_]", "_");
        return stem.isEmpty() || Character.isDigit(stem.charAt(0)) ? "db_" + stem : stem;
    }
}
