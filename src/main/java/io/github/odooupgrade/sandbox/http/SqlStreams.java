package io.github.odooupgrade.sandbox.http;

import io.github.odooupgrade.sandbox.DumpInfo;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipFile;

/** The SQL text of a dump of any accepted shape, streamed (the {@code .../sql} URLs). */
final class SqlStreams {
    private SqlStreams() {}

    static InputStream open(Path file, DumpInfo info) throws IOException {
        InputStream unpacked = info.compressions().contains("gzip")
                ? new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)))
                : null;
        if (info.compressions().contains("zip")) {
            ZipFile zip = new ZipFile(file.toFile());
            return new FilterInputStream(zip.getInputStream(zip.getEntry("dump.sql"))) {
                @Override
                public void close() throws IOException {
                    super.close();
                    zip.close();
                }
            };
        }
        if ("pgdmp_custom".equals(info.format())) {
            return pgRestoreToSql(unpacked != null ? unpacked : Files.newInputStream(file));
        }
        return unpacked != null ? unpacked : Files.newInputStream(file);
    }

    /** A custom-format archive becomes SQL through pg_restore, fed on stdin so gzip works too. */
    private static InputStream pgRestoreToSql(InputStream archive) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder("pg_restore", "--file=-")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            archive.close();
            throw new IOException("pg_restore is not installed where the sandbox runs; download the archive instead");
        }
        Thread.ofVirtual().name("pg_restore-feed").start(() -> {
            try (archive; var stdin = process.getOutputStream()) {
                archive.transferTo(stdin);
            } catch (IOException e) {
                process.destroy();
            }
        });
        return new FilterInputStream(process.getInputStream()) {
            @Override
            public void close() throws IOException {
                super.close();
                process.destroy();
            }
        };
    }
}
