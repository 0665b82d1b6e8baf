package io.github.odooupgrade.cli;

import io.github.odooupgrade.worker.UpgradeProperties;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The PostgreSQL server the database steps use (a live database dumped, an upgraded one restored): {@code run}'s and {@code campaign}'s. */
final class PostgresOptions {
    @Option(names = "--postgres-host", defaultValue = "127.0.0.1", description = "PostgreSQL server of the databases dumped and "
            + "restored (default: ${DEFAULT-VALUE}; password from PGPASSWORD).")
    String postgresHost;

    @Option(names = "--postgres-port", defaultValue = "5432", description = "Its port (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--postgres-user", description = "Its user (default: PGUSER, or the login name).")
    String postgresUser;

    @Option(names = "--postgres-bin-dir", description = "Folder of pg_dump, pg_restore, psql (default: the PATH).")
    Path postgresBinDir;

    @Option(names = "--filestore-root", description = "Odoo's filestore folder (…/filestore), for filestores dumped and restores of zips.")
    Path filestoreRoot;

    UpgradeProperties.Postgres postgres() {
        String user = postgresUser != null ? postgresUser : System.getenv().getOrDefault("PGUSER", System.getProperty("user.name"));
        return new UpgradeProperties.Postgres(postgresHost, postgresPort, user, System.getenv("PGPASSWORD"), postgresBinDir,
                null, filestoreRoot, null);
    }
}
