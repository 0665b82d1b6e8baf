package io.github.odooupgrade.database;

import io.github.odooupgrade.files.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dumps a database the way the upgrade platform takes it: {@code pg_dump} custom format, or — with
 * the Odoo filestore — the zip of Odoo's own backups ({@code dump.sql} in plain SQL +
 * {@code filestore/}), streamed from pg_dump into the zip; or in pg_dump's directory format with parallel
 * jobs, as Odoo's own client sends a live database to today's platform. Written under a {@code .part}
 * name and renamed when complete. (pg_dump's custom format is a single file and cannot be written by
 * parallel jobs: {@code -j} needs the directory format.)
 */
public final class DatabaseDump {
    private static final Logger log = LoggerFactory.getLogger(DatabaseDump.class);

    private final PgConnection pg;
    private final PgTools tools;

    public DatabaseDump(PgConnection pg) {
        this.pg = pg;
        this.tools = new PgTools(pg);
    }

    /**
     * @param filestore the database's Odoo filestore folder, or null for a dump without it
     */
    public Path dump(String database, Path target, Path filestore) {
        checkPgDump(database);
        if (filestore != null && !Files.isDirectory(filestore)) {
            throw new PgToolException("filestore " + filestore + " is not a folder: give the database's Odoo filestore or none");
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            if (filestore == null) {
                tools.run(List.of(pg.tool("pg_dump"), "--format=custom", "--no-owner", "--file", part.toString(), "--dbname", database), null, null);
            } else {
                try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(part))) {
                    zip.putNextEntry(new ZipEntry("dump.sql"));
                    tools.run(List.of(pg.tool("pg_dump"), "--format=plain", "--no-owner", "--dbname", database), null,
                            out -> copy(out, zip));
                    zip.closeEntry();
                    addFolder(zip, filestore, "filestore/");
                }
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("database {} dumped to {} ({} bytes)", database, target, Files.size(target));
            return target;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // the failure below is what matters
            }
            if (e instanceof PgToolException p) {
                throw p;
            }
            throw new PgToolException("dumping database " + database + " to " + target + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The database in pg_dump's directory format ({@code --format d --jobs N --no-owner}) as the folder
     * {@code target}, written as {@code <target>.part} and renamed once complete.
     */
    public Path dumpDirectory(String database, Path target, int jobs) {
        checkPgDump(database);
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Folders.delete(part); // pg_dump writes only into a folder that is not there yet
            tools.run(List.of(pg.tool("pg_dump"), "--format=directory", "--jobs", Integer.toString(Math.max(1, jobs)), "--no-owner",
                    "--file", part.toString(), "--dbname", database), null, null);
            Folders.delete(target);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            log.info("database {} dumped to {} (directory format, {} jobs)", database, target, jobs);
            return target;
        } catch (IOException | RuntimeException e) {
            try {
                Folders.delete(part);
            } catch (RuntimeException ignored) {
                // the failure below is what matters
            }
            if (e instanceof PgToolException p) {
                throw p;
            }
            throw new PgToolException("dumping database " + database + " to " + target + " failed: " + e.getMessage(), e);
        }
    }

    private void checkPgDump(String database) {
        PgConnection.checkName(database);
        int server = serverMajor(database);
        int pgDump = tools.majorVersion("pg_dump");
        if (pgDump < server) {
            throw new PgToolException("pg_dump " + pgDump + " cannot dump database " + database + " of PostgreSQL " + server
                    + ": use the client tools of version " + server + " or newer (upgrade.postgres.bin-dir)");
        }
    }

    int serverMajor(String database) {
        return Integer.parseInt(tools.query(database, "SHOW server_version_num")) / 10000;
    }

    private static void copy(InputStream in, OutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void addFolder(ZipOutputStream zip, Path folder, String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(prefix + folder.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
    }
}
