package io.github.odooupgrade.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A finished download: where it is, its size and its sha256. */
public record Downloaded(Path file, long size, String sha256) {

    /** Where a download to {@code target} collects its bytes until complete. */
    public static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /** Hashes the complete part file, then gives it its final name in one atomic rename. */
    static Downloaded finish(Path part, Path target) {
        try {
            String sha = sha256(part);
            long size = Files.size(part);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Downloaded(target, size, sha);
        } catch (IOException e) {
            throw new TransferException("cannot finish the download to " + target + ": " + e.getMessage(), false, e);
        }
    }

    public static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
