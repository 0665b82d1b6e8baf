package io.github.odooupgrade.cli;

import io.github.odooupgrade.database.DatabaseFacts;
import io.github.odooupgrade.worker.UpgradeProperties;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}'s database options: a live database as the source, a new database as the result, and their server. */
final class DatabaseOptions {
    @Option(names = "--database", description = "Dump this PostgreSQL database (pg_dump) instead of giving --dump.")
    String database;

    @Option(names = "--with-filestore", description = "With --database: include its Odoo filestore (<filestore-root>/<database>).")
    boolean withFilestore;

    @Option(names = "--restore", description = "Restore the upgraded dump into a new database (default name: <source>_upgraded_<target>).")
    boolean restore;

    @Option(names = "--restore-as", description = "Name of the new database (implies --restore). An existing database is never overwritten.")
    String restoreAs;

    @Mixin
    PostgresOptions server = new PostgresOptions();

    boolean restores() {
        return restore || restoreAs != null;
    }

    /** The contract {@code --database} names (database.enterprise_code), or null: none, or the database cannot be read now (its dump says why). */
    String enterpriseCode() {
        try {
            return DatabaseFacts.enterpriseCode(server.postgres().connection(), database);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** The database steps' server, when the run dumps or restores a database ({@code testFirst}: its test is restored). */
    UpgradeProperties.Postgres postgres(boolean testFirst) {
        return database == null && !restores() && !testFirst ? null : server.postgres();
    }
}
