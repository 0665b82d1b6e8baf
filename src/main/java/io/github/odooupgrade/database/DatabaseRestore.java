package io.github.odooupgrade.database;

import io.github.odooupgrade.files.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores an (upgraded) dump into a new database — never over an existing one, as Odoo's own
 * upgrade client does. The data goes into {@code <name>_restoring} first and the database gets its
 * final name only once the restore succeeded; a failed restore drops it. Custom archives and
 * directory-format dumps go through {@code pg_restore} with parallel jobs, plain SQL, gzipped SQL and
 * Odoo's zip ({@code dump.sql}) through {@code psql}; a zip's {@code filestore/} is placed at
 * {@code <filestoreRoot>/<name>}, the same way.
 */
public final class DatabaseRestore {
    private static final Logger log = LoggerFactory.getLogger(DatabaseRestore.class);

    private final PgConnection pg;
    private final PgTools tools;
    private final int jobs;

    public DatabaseRestore(PgConnection pg, int jobs) {
        this.pg = pg;
        this.tools = new PgTools(pg);
        this.jobs = Math.max(1, jobs);
    }

    public record Restored(String database, Path filestore) {}

    public boolean exists(String database) {
        return "1".equals(tools.query("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + PgConnection.checkName(database) + "'"));
    }

    /** Drops the database, and what a restore of it cut short left ({@code <name>_restoring}), if they are there. */
    public void drop(String database) {
        PgConnection.checkName(database);
        tools.query("postgres", "DROP DATABASE IF EXISTS " + database);
        tools.query("postgres", "DROP DATABASE IF EXISTS " + temporaryName(database));
    }

    /** Answers when the server answers a query; throws with the tool's words when it does not. */
    public void ping() {
        tools.query("postgres", "SELECT 1");
    }

    /** Checks everything that can be checked before a byte is written; throws with what to do. */
    public DumpFile check(Path dump, String database, Path filestoreRoot) {
        PgConnection.checkName(database);
        if (exists(database)) {
            throw new PgToolException("database " + database + " already exists: a restore never overwrites a database; "
                    + "choose another name or drop it first");
        }
        if (filestoreRoot != null && Files.exists(filestoreRoot.resolve(database))) {
            throw new PgToolException("filestore " + filestoreRoot.resolve(database) + " already exists: choose another database name");
        }
        DumpFile file;
        try {
            file = DumpFile.read(dump);
        } catch (IOException e) {
            throw new PgToolException("the dump " + dump + " cannot be read: " + e.getMessage(), e);
        }
        String tool = file.isArchive() ? "pg_restore" : "psql";
        int toolMajor = tools.majorVersion(tool);
        if (file.pgDumpMajor() != null && Integer.parseInt(file.pgDumpMajor()) > toolMajor) {
            throw new PgToolException("the dump was made by pg_dump " + file.pgDumpMajor() + ", newer than " + tool + " " + toolMajor
                    + " here: use the PostgreSQL " + file.pgDumpMajor() + " client tools (upgrade.postgres.bin-dir)");
        }
        return file;
    }

    /**
     * Whether {@code database} is the result of a restore marked {@code marker} (a comment on the
     * database, set before it gets its name): a job delivered again after the restore finished.
     */
    public boolean restoredAlready(String database, String marker) {
        return exists(database) && marker.equals(tools.query("postgres",
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '" + PgConnection.checkName(database) + "'"));
    }

    public Restored restore(Path dump, String database, Path filestoreRoot) {
        return restore(dump, database, filestoreRoot, null);
    }

    /** @param marker set as the new database's comment (letters, digits, spaces, : . - only), or null */
    public Restored restore(Path dump, String database, Path filestoreRoot, String marker) {
        if (marker != null && !marker.matches("[A-Za-z0-9 :.\\-]*")) {
            throw new IllegalArgumentException("marker " + marker + " has characters a comment should not have");
        }
        DumpFile file = check(dump, database, filestoreRoot);
        String temp = temporaryName(database);
        Path filestorePart = filestoreRoot == null ? null : filestoreRoot.resolve(database + ".part");
        // a restore cut short earlier (a crash, a job delivered again) left these behind: they are this restore's own
        tools.query("postgres", "DROP DATABASE IF EXISTS " + temp);
        Folders.delete(filestorePart);
        tools.query("postgres", "CREATE DATABASE " + temp + " TEMPLATE template0");
        Path placed = null; // the filestore under its final name, once moved there by this restore
        try {
            switch (file.kind()) {
                case CUSTOM, DIRECTORY -> tools.run(List.of(pg.tool("pg_restore"), "--no-owner", "--exit-on-error", "--jobs",
                        Integer.toString(jobs), "--dbname", temp, dump.toString()), null, null);
                case PLAIN -> tools.run(psql(temp, dump.toString()), null, null);
                case GZIP_SQL -> tools.run(psql(temp, "-"), out -> {
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(dump), 1 << 16)) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, null);
                case ZIP -> restoreZip(dump, temp, filestorePart);
            }
            if (marker != null) {
                tools.query("postgres", "COMMENT ON DATABASE " + temp + " IS '" + marker + "'");
            }
            if (filestorePart != null && Files.isDirectory(filestorePart)) {
                placed = Files.move(filestorePart, filestoreRoot.resolve(database), StandardCopyOption.ATOMIC_MOVE);
            }
            tools.query("postgres", "ALTER DATABASE " + temp + " RENAME TO " + database);
            log.info("{} restored into database {} ({}){}", dump, database, file.kind(), placed == null ? "" : ", filestore " + placed);
            return new Restored(database, placed);
        } catch (IOException | RuntimeException e) {
            try {
                tools.query("postgres", "DROP DATABASE IF EXISTS " + temp);
            } catch (RuntimeException dropFailed) {
                e.addSuppressed(dropFailed);
            }
            Folders.delete(filestorePart);
            Folders.delete(placed); // the database did not get its name: its filestore does not keep one either
            if (e instanceof PgToolException p) {
                throw new PgToolException("restoring " + dump.getFileName() + " into " + database + " failed, nothing was kept: "
                        + p.getMessage(), p);
            }
            throw new PgToolException("restoring " + dump.getFileName() + " into " + database + " failed, nothing was kept: "
                    + e.getMessage(), e);
        }
    }

    private static String temporaryName(String database) {
        return (database.length() > 53 ? database.substring(0, 53) : database) + "_restoring";
    }

    private List<String> psql(String database, String file) {
        return List.of(pg.tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--dbname", database, "--file", file);
    }

    private void restoreZip(Path dump, String database, Path filestorePart) throws IOException {
        try (ZipFile zip = new ZipFile(dump.toFile())) {
            ZipEntry sql = zip.getEntry("dump.sql");
            tools.run(psql(database, "-"), out -> {
                try (InputStream in = zip.getInputStream(sql)) {
                    in.transferTo(out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, null);
            if (filestorePart != null) {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    if (e.isDirectory() || !e.getName().startsWith("filestore/")) {
                        continue;
                    }
                    Path to = filestorePart.resolve(e.getName().substring("filestore/".length())).normalize();
                    if (!to.startsWith(filestorePart)) {
                        throw new IOException("the zip entry " + e.getName() + " points outside the filestore");
                    }
                    Files.createDirectories(to.getParent());
                    try (InputStream in = zip.getInputStream(e); OutputStream out = Files.newOutputStream(to)) {
                        in.transferTo(out);
                    }
                }
            }
        }
    }
}
