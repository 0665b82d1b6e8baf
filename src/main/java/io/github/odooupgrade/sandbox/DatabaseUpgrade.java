package io.github.odooupgrade.sandbox;

import io.github.odooupgrade.database.DatabaseDump;
import io.github.odooupgrade.database.DatabaseFacts;
import io.github.odooupgrade.database.DatabaseRestore;
import io.github.odooupgrade.database.PgConnection;
import io.github.odooupgrade.database.PgSql;
import io.github.odooupgrade.dumpformat.DumpFormat;
import io.github.odooupgrade.files.AtomicFile;
import io.github.odooupgrade.files.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the sandbox does to a request of today's API between {@code progress} and {@code done}. It does not
 * migrate data, but it does to the bytes what the platform does: the dump sent under /data is restored into a
 * scratch database of a real PostgreSQL server, read (its tables, Odoo's version and modules), and handed back
 * as Odoo's client takes it — the database as a directory-format dump ({@value #DUMP_NAME}), the filestore
 * beside it ({@code filestore/}, empty without one), a report ({@value #REPORT}) and the log ({@value #LOG}),
 * which grows as the steps go. A dump that does not restore fails with PostgreSQL's own words.
 */
final class DatabaseUpgrade {
    static final String DUMP_NAME = "upgraded.dump";
    static final String REPORT = "upgrade-report.html";
    static final String LOG = "upgrade.log";
    static final String FILESTORE = "filestore";
    /** What a client may send, as Odoo's client names it under /data: the extension says the format. */
    static final List<String> ORIGINS = List.of("origin.sql", "origin.dump", "origin.zip", "origin.sql.gz");

    private final PgConnection pg;
    private final int jobs;
    private final Clock clock;
    private final Faults faults;

    DatabaseUpgrade(PgConnection pg, int jobs, Clock clock, Faults faults) {
        this.pg = pg;
        this.jobs = jobs;
        this.clock = clock;
        this.faults = faults;
    }

    /** The dump a client sent under /data; a refusal saying what to send when there is none, or more than one. */
    static Path origin(Path data) {
        List<Path> found = ORIGINS.stream().map(data::resolve).filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS)).toList();
        if (found.isEmpty()) {
            throw new Refusal("No dump was uploaded: send it first, as /data/origin.sql, .dump (a custom archive, or a "
                    + "directory dump's folder), .zip (Odoo's backup) or .sql.gz.");
        }
        if (found.size() > 1) {
            throw new Refusal("Several dumps were uploaded (" + String.join(", ", found.stream().map(p -> p.getFileName().toString())
                    .toList()) + "): keep one.");
        }
        return found.getFirst();
    }

    /**
     * Upgrades the request's dump. Answers null once the results are under /data, or the reason it failed (a
     * sentence for the customer; the log says it too). The scratch database is dropped either way.
     */
    String run(UpgradeRequest r, Path data, Path work) {
        UpgradeLog log = new UpgradeLog(data.resolve(LOG), clock);
        String scratch = "sandbox_upgrade_" + r.id;
        DatabaseRestore restore = new DatabaseRestore(pg, jobs);
        try {
            log.info("upgrade of request " + r.id + " to " + r.target + " (" + r.aim + ") started");
            Path origin = origin(data);
            DumpFormat format = inspect(origin);
            log.info("received " + origin.getFileName() + ": " + describe(format));
            try {
                restore.ping();
            } catch (RuntimeException e) {
                return log.failed("the sandbox's PostgreSQL server (" + pg.host() + ":" + pg.port() + ") cannot be reached ("
                        + e.getMessage() + "): start it, or give the sandbox --postgres-host");
            }
            restore.drop(scratch); // what a run cut short (the sandbox stopped) left behind
            Folders.delete(work);
            log.info("restoring it into a scratch database");
            restore.restore(origin, scratch, work);
            DatabaseFacts facts = DatabaseFacts.read(pg, scratch);
            log.info("restored: " + facts.tables() + " tables, PostgreSQL " + facts.serverVersion() + "; " + (facts.isOdoo()
                    ? "Odoo " + facts.odooSeries() + ", " + facts.installed().size() + " modules installed"
                    : "not an Odoo database (no ir_module_module)"));
            log.info("the sandbox does not migrate data: the upgraded database is the one received" + (facts.isOdoo()
                    ? ", its installed modules' versions moved to " + r.target : ""));
            changeAsAnUpgradeWould(scratch, facts, r.target, log);
            log.info("dumping it in the directory format as " + DUMP_NAME);
            new DatabaseDump(pg).dumpDirectory(scratch, data.resolve(DUMP_NAME), jobs);
            placeFilestore(work.resolve(scratch), data.resolve(FILESTORE));
            AtomicFile.write(data.resolve(REPORT), UpgradeReport.html(r, origin, format, facts).getBytes(StandardCharsets.UTF_8), false);
            log.info("done: " + DUMP_NAME + ", " + FILESTORE + "/, " + REPORT + " and this log are ready for download");
            return null;
        } catch (Refusal e) {
            return log.failed(e.getMessage());
        } catch (RuntimeException | IOException e) {
            return log.failed(e.getMessage());
        } finally {
            try {
                restore.drop(scratch);
                Folders.delete(work);
            } catch (RuntimeException e) {
                log.info("the scratch database " + scratch + " could not be dropped: " + e.getMessage());
            }
        }
    }

    /**
     * What an upgrade visibly changes, and the sandbox can without migrating data: the installed modules' versions
     * move to the target's series (17.0.1.3 → 18.0.1.3). And, as a fault asked for, rows of a table lost.
     */
    private void changeAsAnUpgradeWould(String scratch, DatabaseFacts facts, String target, UpgradeLog log) {
        PgSql sql = new PgSql(pg);
        if (facts.isOdoo() && target.matches("\\d+\\.\\d+")) {
            sql.execute(scratch, "UPDATE ir_module_module SET latest_version = '" + target + "' || substring(latest_version FROM "
                    + "'^[0-9]+\\.[0-9]+(\\..*)$') WHERE state = 'installed' AND latest_version ~ '^[0-9]+\\.[0-9]+\\.'");
        }
        Faults.LostRows lost = faults.lostRows();
        if (lost == null) {
            return;
        }
        if (sql.rows(scratch, "SELECT to_regclass('public." + lost.table() + "') IS NOT NULL").getFirst()[0].equals("t")) {
            // as a broken migration would: whatever refers to those rows is left as it is
            sql.execute(scratch, "SET session_replication_role = replica; DELETE FROM " + lost.table() + " WHERE ctid IN (SELECT ctid FROM "
                    + lost.table() + " LIMIT " + lost.rows() + ")");
            log.info("sandbox fault injection: up to " + lost.rows() + " rows of " + lost.table() + " lost");
        } else {
            log.info("sandbox fault injection: no table " + lost.table() + " to lose rows of");
        }
    }

    /** The dump's format, and a refusal where it is not one the platform takes (or holds a link, which could point anywhere). */
    private static DumpFormat inspect(Path origin) throws IOException {
        try (Stream<Path> paths = Files.isDirectory(origin, LinkOption.NOFOLLOW_LINKS) ? Files.walk(origin) : Stream.of(origin)) {
            for (Path p : paths.toList()) {
                if (Files.isSymbolicLink(p)) {
                    throw new Refusal(origin.getFileName() + " holds a symbolic link (" + origin.getParent().relativize(p)
                            + "): send the files themselves");
                }
            }
        }
        try {
            return DumpFormat.read(origin);
        } catch (DumpFormat.NotADumpException e) {
            throw new Refusal(origin.getFileName() + " is not a database dump the platform can restore: " + e.getMessage());
        }
    }

    static String describe(DumpFormat f) {
        String kind = switch (f.content()) {
            case CUSTOM_ARCHIVE -> "a pg_dump custom archive";
            case DIRECTORY_ARCHIVE -> "a pg_dump directory-format dump";
            case PLAIN_SQL -> switch (f.wrapper()) {
                case ZIP -> "Odoo's backup zip (dump.sql" + (f.filestore() ? " and its filestore)" : ", no filestore)");
                case GZIP -> "gzipped plain SQL";
                case NONE -> "plain SQL";
            };
        };
        return kind + (f.serverMajor() == null ? "" : ", from PostgreSQL " + f.serverMajor());
    }

    /** The restored filestore (a zip's) as /data/filestore, or an empty folder: Odoo's client asks for it either way. */
    private static void placeFilestore(Path restored, Path target) throws IOException {
        Folders.delete(target);
        if (Files.isDirectory(restored)) {
            Files.move(restored, target, StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.createDirectories(target);
        }
    }

    /** The platform's log of one upgrade: a line per step, written at once (a client reads it while it grows). */
    static final class UpgradeLog {
        private final Path file;
        private final Clock clock;

        UpgradeLog(Path file, Clock clock) {
            this.file = file;
            this.clock = clock;
        }

        void info(String message) {
            write("INFO", message);
        }

        /** Says why the upgrade failed and answers it: the request's reason. */
        String failed(String reason) {
            String oneLine = reason == null ? "unknown error" : reason.strip().replaceAll("\\s*\\R\\s*", " ");
            write("ERROR", "the upgrade failed: " + oneLine);
            return oneLine;
        }

        private void write(String level, String message) {
            String line = clock.instant().toString().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z") + " " + level + " upgrade: "
                    + message + "\n";
            try {
                Files.writeString(file, line, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("the upgrade log cannot be written: " + e.getMessage(), e);
            }
        }
    }
}
