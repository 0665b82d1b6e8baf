package io.github.odooupgrade.sandbox.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The {@code modules/archive} URL: the real service returns the custom modules it migrated. The
 * sandbox migrates none, so it serves a valid zip that says so.
 */
final class ModulesArchive {
    private ModulesArchive() {}

    static synchronized Path of(Path requestDir) throws IOException {
        Path zip = requestDir.resolve("modules.zip");
        if (Files.isRegularFile(zip)) {
            return zip;
        }
        Path tmp = requestDir.resolve("modules.zip.tmp");
        try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry("README.txt"));
            out.write(("No custom modules: the upgrade sandbox does not migrate module code.\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Files.move(tmp, zip, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return zip;
    }
}
