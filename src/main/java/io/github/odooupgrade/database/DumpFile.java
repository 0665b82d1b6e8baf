package io.github.odooupgrade.database;

import io.github.odooupgrade.dumpformat.PgArchiveHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

/**
 * What kind of dump a file is, as far as restoring it goes, and which pg_dump made it: a custom
 * archive (pg_restore), plain SQL (psql), or Odoo's zip backup ({@code dump.sql} + {@code filestore/}).
 */
public record DumpFile(Path file, Kind kind, String pgDumpMajor) {
    public enum Kind { CUSTOM, PLAIN, ZIP }

    private static final Pattern DUMPED_BY = Pattern.compile("-- Dumped by pg_dump version (\\d+(?:\\.\\d+)*)");
    private static final int HEAD = 64 * 1024;

    public static DumpFile read(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD);
        }
        if (PgArchiveHeader.isArchive(head)) {
            PgArchiveHeader h = PgArchiveHeader.read(head);
            return new DumpFile(file, Kind.CUSTOM, h == null ? null : PgArchiveHeader.major(h.pgDumpVersion()));
        }
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                var sql = zip.getEntry("dump.sql");
                if (sql == null) {
                    throw new PgToolException(file + " is a zip without dump.sql: not an Odoo backup");
                }
                try (InputStream in = zip.getInputStream(sql)) {
                    return new DumpFile(file, Kind.ZIP, dumpedBy(in.readNBytes(HEAD)));
                }
            }
        }
        return new DumpFile(file, Kind.PLAIN, dumpedBy(head));
    }

    private static String dumpedBy(byte[] head) {
        Matcher m = DUMPED_BY.matcher(new String(head, StandardCharsets.UTF_8));
        return m.find() ? PgArchiveHeader.major(m.group(1)) : null;
    }
}
