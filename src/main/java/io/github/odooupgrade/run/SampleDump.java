package io.github.odooupgrade.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The small dump a run uses when none is given: plain SQL from {@code pg_dump} of a database with a
 * few Odoo-like tables (modules, a company, partners) — it restores with {@code psql}.
 */
public final class SampleDump {
    static final String RESOURCE = "sample/odoo-sample.sql";

    private SampleDump() {}

    public static Path copyTo(Path folder) throws IOException {
        Path target = folder.resolve("odoo-sample.sql");
        try (InputStream in = SampleDump.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target.toAbsolutePath();
    }
}
