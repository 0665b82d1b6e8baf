package io.github.odooupgrade.database;

import java.nio.charset.StandardCharsets;

/** The machine's PostgreSQL on 127.0.0.1:5432 (trust auth), as tests set it up and check it. */
public final class LocalPostgres {
    public static final PgConnection PG = new PgConnection("127.0.0.1", 5432, "postgres", null, null);

    private LocalPostgres() {}

    /** Runs SQL with psql and answers its unaligned output. */
    public static String psql(String database, String sql) {
        try {
            Process p = new ProcessBuilder("psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres",
                    "-d", database, "-c", sql).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("psql: " + out);
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("psql cannot run (is PostgreSQL on 127.0.0.1:5432?): " + e.getMessage(), e);
        }
    }
}
