package io.github.odooupgrade.cli;

import io.github.odooupgrade.worker.UpgradeProperties;
import java.nio.file.Path;
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

    @Option(names = "--postgres-host", defaultValue = "127.0.0.1", description = "PostgreSQL server of --database and --restore "
            + "(default: ${DEFAULT-VALUE}; password from PGPASSWORD).")
    String postgresHost;

    @Option(names = "--postgres-port", defaultValue = "5432", description = "Its port (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--postgres-user", description = "Its user (default: PGUSER, or the login name).")
    String postgresUser;

    @Option(names = "--postgres-bin-dir", description = "Folder of pg_dump, pg_restore, psql (default: the PATH).")
    Path postgresBinDir;

    @Option(names = "--filestore-root", description = "Odoo's filestore folder (…/filestore), for --with-filestore and restores of zips.")
    Path filestoreRoot;

    boolean restores() {
        return restore || restoreAs != null;
    }

    /** The database steps' server, when the run dumps or restores a database. */
    UpgradeProperties.Postgres postgres() {
        if (database == null && !restores()) {
            return null;
        }
        String user = postgresUser != null ? postgresUser : System.getenv().getOrDefault("PGUSER", System.getProperty("user.name"));
        return new UpgradeProperties.Postgres(postgresHost, postgresPort, user, System.getenv("PGPASSWORD"), postgresBinDir,
                null, filestoreRoot, null);
    }
}
