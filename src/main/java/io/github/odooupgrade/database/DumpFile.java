package io.github.odooupgrade.database;

import io.github.odooupgrade.dumpformat.DumpFormat.Content;
import io.github.odooupgrade.dumpformat.DumpFormat;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What kind of dump a file is, as far as restoring it goes, and which pg_dump made it: a custom
 * archive (pg_restore), plain SQL (psql), or Odoo's zip backup ({@code dump.sql} + {@code filestore/}).
 */
public record DumpFile(Path file, Kind kind, String pgDumpMajor) {
    public enum Kind { CUSTOM, PLAIN, ZIP }

    public static DumpFile read(Path file) throws IOException {
        DumpFormat f;
        try {
            f = DumpFormat.read(file);
        } catch (DumpFormat.NotADumpException e) {
            throw new PgToolException(file + " is not a dump pg_restore or psql can restore: " + e.getMessage());
        }
        Kind kind = switch (f.wrapper()) {
            case ZIP -> Kind.ZIP;
            case GZIP -> throw new PgToolException(file + " is gzipped: gunzip it, then restore the file inside");
            case NONE -> f.content() == Content.CUSTOM_ARCHIVE ? Kind.CUSTOM : Kind.PLAIN;
        };
        return new DumpFile(file, kind, f.pgDumpMajor());
    }
}
