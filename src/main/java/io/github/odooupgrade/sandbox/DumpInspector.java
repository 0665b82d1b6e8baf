package io.github.odooupgrade.sandbox;

import io.github.odooupgrade.dumpformat.DumpFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the platform tells about an uploaded file ({@code compressions}, {@code postgresql},
 * {@code filestore}), from {@link DumpFormat}: e.g. [pgdmp_custom, sql], [gzip, sql], [zip, sql].
 */
public final class DumpInspector {
    private DumpInspector() {}

    public static DumpInfo inspect(Path file) throws IOException {
        DumpFormat f;
        try {
            f = DumpFormat.read(file);
        } catch (DumpFormat.NotADumpException e) {
            return DumpInfo.notADump(e.getMessage());
        }
        List<String> compressions = new ArrayList<>();
        switch (f.wrapper()) {
            case GZIP -> compressions.add("gzip");
            case ZIP -> compressions.add("zip");
            case NONE -> { }
        }
        String format = switch (f.content()) {
            case CUSTOM_ARCHIVE -> "pgdmp_custom";
            case DIRECTORY_ARCHIVE -> "pgdmp_directory";
            case PLAIN_SQL -> "sql";
        };
        if (!format.equals("sql")) {
            compressions.add(format);
        }
        compressions.add("sql");
        return new DumpInfo(format, compressions, f.serverMajor(), f.filestore(), null);
    }
}
