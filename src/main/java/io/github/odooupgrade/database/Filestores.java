package io.github.odooupgrade.database;

import io.github.odooupgrade.files.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * An upgraded database's filestore, made as Odoo's own client makes it: a copy of the source database's filestore,
 * with the files the platform sent back on top (an upgrade may add or change attachments). Written as
 * {@code <target>.part} and renamed when complete: no half filestore under the database's name.
 */
public final class Filestores {
    private Filestores() {}

    /**
     * @param source   the source database's filestore, or null when there is none here (a dump from elsewhere)
     * @param upgraded the filestore the platform sent, or null
     * @return the target, or null when there was nothing to put there
     */
    public static Path merge(Path source, Path upgraded, Path target) {
        boolean fromSource = source != null && Files.isDirectory(source);
        boolean fromPlatform = upgraded != null && Files.isDirectory(upgraded);
        if (!fromSource && !fromPlatform) {
            return null;
        }
        if (Files.exists(target)) {
            throw new PgToolException("filestore " + target + " already exists: a restore never overwrites one; choose another database name");
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Folders.delete(part);
            Files.createDirectories(part);
            if (fromSource) {
                copy(source, part);
            }
            if (fromPlatform) {
                copy(upgraded, part);
            }
            return Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException e) {
            Folders.delete(part);
            throw new PgToolException("the filestore of " + target.getFileName() + " could not be made: " + e.getMessage(), e);
        }
    }

    /** Every file of {@code from} into {@code into}, replacing what is there (links not followed). */
    private static void copy(Path from, Path into) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path to = into.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(to);
                } else if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
