package io.github.odooupgrade.bench;

import io.github.odooupgrade.database.DatabaseDump;
import io.github.odooupgrade.database.DatabaseRestore;
import io.github.odooupgrade.database.PgConnection;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Driver of bench/database-steps.sh: the project's dump or restore step. The script times this
 * whole process, as it times the tools run by hand; this prints the step's own seconds (without the
 * JVM's start), for the record.
 *
 * <pre>
 * dump    HOST PORT USER DATABASE TARGET_FILE
 * restore HOST PORT USER DUMP_FILE NEW_DATABASE JOBS
 * </pre>
 */
public final class DatabaseBench {
    public static void main(String[] args) {
        PgConnection pg = new PgConnection(args[1], Integer.parseInt(args[2]), args[3], System.getenv("PGPASSWORD"), null);
        long start = System.nanoTime();
        switch (args[0]) {
            case "dump" -> new DatabaseDump(pg).dump(args[4], Path.of(args[5]), null);
            case "restore" -> new DatabaseRestore(pg, Integer.parseInt(args[6])).restore(Path.of(args[4]), args[5], null);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.out.printf(Locale.ROOT, "%.1f%n", (System.nanoTime() - start) / 1e9);
        System.exit(0);
    }
}
