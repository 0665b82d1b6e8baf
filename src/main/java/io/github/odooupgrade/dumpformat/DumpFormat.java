package io.github.odooupgrade.dumpformat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * What a dump file is, read from its head (never the whole file): a pg_dump custom archive
 * ({@code PGDMP} header) or plain SQL, either of them as is or gzipped, Odoo's zip backup
 * ({@code dump.sql} and optionally {@code filestore/}), or a folder pg_dump wrote in its directory
 * format ({@code toc.dat}, an archive header, and a file per table). The project's one reader of dump formats:
 * the sandbox answers {@code compressions} and {@code postgresql} from it, the database steps choose
 * pg_restore or psql and check the tools' versions with it.
 *
 * @param serverVersion the version of the server the dump was taken from, as pg_dump wrote it, or null
 * @param pgDumpVersion the version of the pg_dump that made it, or null
 * @param filestore     a zip carries Odoo's filestore next to {@code dump.sql}
 */
public record DumpFormat(Wrapper wrapper, Content content, String serverVersion, String pgDumpVersion, boolean filestore) {
    public enum Wrapper { NONE, GZIP, ZIP }

    /** A pg_dump archive in one file (custom format), one in a folder (directory format), or SQL text. */
    public enum Content { CUSTOM_ARCHIVE, DIRECTORY_ARCHIVE, PLAIN_SQL }

    /** The file is not a dump of a kind this project knows; the message says why, for a person. */
    public static final class NotADumpException extends Exception {
        NotADumpException(String message) {
            super(message);
        }
    }

    private static final int HEAD = 64 * 1024;
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final Pattern DUMPED_FROM = Pattern.compile("-- Dumped from database version (\\d+(?:\\.\\d+)*)");
    private static final Pattern DUMPED_BY = Pattern.compile("-- Dumped by pg_dump version (\\d+(?:\\.\\d+)*)");
    private static final Pattern SQL_START = Pattern.compile(
            "(?m)^\\s*(SET|CREATE|INSERT|COPY|BEGIN|SELECT|ALTER|DROP|COMMENT)\\b", Pattern.CASE_INSENSITIVE);

    public static DumpFormat read(Path file) throws IOException, NotADumpException {
        if (Files.isDirectory(file)) {
            return readDirectory(file);
        }
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            throw new NotADumpException("The file is empty.");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD);
        }
        if (startsWith(head, ZIP_MAGIC)) {
            return readZip(file);
        }
        if (startsWith(head, GZIP_MAGIC)) {
            byte[] inner;
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                inner = in.readNBytes(HEAD);
            } catch (IOException e) {
                throw new NotADumpException("The file looks gzipped but cannot be decompressed: " + e.getMessage());
            }
            return readHead(inner, Wrapper.GZIP, "The gzipped file does not hold a database dump.");
        }
        return readHead(head, Wrapper.NONE, "The file is neither a pg_dump archive nor a SQL dump.");
    }

    /** A directory-format dump: its table of contents ({@code toc.dat}) starts with the archive header. */
    private static DumpFormat readDirectory(Path folder) throws IOException, NotADumpException {
        Path toc = folder.resolve("toc.dat");
        if (!Files.isRegularFile(toc)) {
            throw new NotADumpException("The folder has no toc.dat: a directory-format dump (pg_dump --format d) has one.");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(toc)) {
            head = in.readNBytes(HEAD);
        }
        PgArchiveHeader h = PgArchiveHeader.read(head);
        if (h == null) {
            throw new NotADumpException("toc.dat in the folder is not a pg_dump table of contents.");
        }
        return new DumpFormat(Wrapper.NONE, Content.DIRECTORY_ARCHIVE, h.serverVersion(), h.pgDumpVersion(), false);
    }

    /** "9.4" or "15": the major version of the server the dump was taken from, or null. */
    public String serverMajor() {
        return PgArchiveHeader.major(serverVersion);
    }

    /** The major version of the pg_dump that made it, or null. */
    public String pgDumpMajor() {
        return PgArchiveHeader.major(pgDumpVersion);
    }

    private static DumpFormat readZip(Path file) throws IOException, NotADumpException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry dump = zip.getEntry("dump.sql");
            if (dump == null) {
                throw new NotADumpException("The zip archive has no dump.sql; an Odoo backup zip holds dump.sql and filestore/.");
            }
            boolean filestore = zip.stream().anyMatch(e -> e.getName().startsWith("filestore/"));
            byte[] head;
            try (InputStream in = zip.getInputStream(dump)) {
                head = in.readNBytes(HEAD);
            }
            DumpFormat sql = readHead(head, Wrapper.ZIP, "dump.sql in the zip archive is not a SQL dump.");
            if (sql.content() != Content.PLAIN_SQL) {
                throw new NotADumpException("dump.sql in the zip archive is not a SQL dump.");
            }
            return new DumpFormat(Wrapper.ZIP, Content.PLAIN_SQL, sql.serverVersion(), sql.pgDumpVersion(), filestore);
        } catch (ZipException e) {
            throw new NotADumpException("The zip archive is damaged or incomplete: " + e.getMessage());
        }
    }

    /** A custom archive or plain SQL, from the first bytes of the (unwrapped) content. */
    private static DumpFormat readHead(byte[] head, Wrapper wrapper, String notADump) throws NotADumpException {
        if (PgArchiveHeader.isArchive(head)) {
            PgArchiveHeader h = PgArchiveHeader.read(head);
            return new DumpFormat(wrapper, Content.CUSTOM_ARCHIVE, h == null ? null : h.serverVersion(),
                    h == null ? null : h.pgDumpVersion(), false);
        }
        String text = new String(head, StandardCharsets.UTF_8);
        if (text.indexOf('\0') < 0 && (text.contains("PostgreSQL database dump") || SQL_START.matcher(text).find())) {
            return new DumpFormat(wrapper, Content.PLAIN_SQL, first(DUMPED_FROM, text), first(DUMPED_BY, text), false);
        }
        throw new NotADumpException(notADump);
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
