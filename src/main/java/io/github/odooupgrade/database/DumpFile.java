package io.github.odooupgrade.database;

import io.github.odooupgrade.dumpformat.DumpFormat.Content;
import io.github.odooupgrade.dumpformat.DumpFormat;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What kind of dump a file is, as far as restoring it goes, and which pg_dump made it: a custom
 * archive or a directory-format dump (pg_restore), plain SQL or gzipped SQL (psql), or Odoo's zip
 * backup ({@code dump.sql} + {@code filestore/}).
 */
public record DumpFile(Path file, Kind kind, String pgDumpMajor) {
    public enum Kind { CUSTOM, DIRECTORY, PLAIN, GZIP_SQL, ZIP }

    public static DumpFile read(Path file) throws IOException {
        DumpFormat f;
        try {
            f = DumpFormat.read(file);
        } catch (DumpFormat.NotADumpException e) {
            throw new PgToolException(file + " is not a dump pg_restore or psql can restore: " + e.getMessage());
        }
        Kind kind = switch (f.wrapper()) {
            case ZIP -> Kind.ZIP;
            case GZIP -> {
                if (f.content() != Content.PLAIN_SQL) {
                    throw new PgToolException(file + " is a gzipped pg_dump archive: gunzip it, then restore the file inside");
                }
                yield Kind.GZIP_SQL;
            }
            case NONE -> switch (f.content()) {
                case CUSTOM_ARCHIVE -> Kind.CUSTOM;
                case DIRECTORY_ARCHIVE -> Kind.DIRECTORY;
                case PLAIN_SQL -> Kind.PLAIN;
            };
        };
        return new DumpFile(file, kind, f.pgDumpMajor());
    }

    /** pg_restore restores the archives, psql the SQL. */
    public boolean isArchive() {
        return kind == Kind.CUSTOM || kind == Kind.DIRECTORY;
    }
}
