package io.github.odooupgrade.database;

import java.util.List;

/**
 * SQL through psql: read-only questions (what the acceptance report reads of a source and its upgrade) and, apart,
 * statements that write (the sandbox's stand-in for what an upgrade changes).
 */
public final class PgSql {
    private final PgTools tools;

    public PgSql(PgConnection pg) {
        this.tools = new PgTools(pg);
    }

    /** The rows {@code sql} answers in {@code database}, read-only, each split into its columns; throws with psql's words. */
    public List<String[]> rows(String database, String sql) {
        PgConnection.checkName(database);
        return tools.rows(database, sql);
    }

    /** Runs statements that may write, in one psql session; throws with psql's words. */
    public void execute(String database, String sql) {
        PgConnection.checkName(database);
        tools.query(database, sql);
    }
}
