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

    /** A SHA-256 digest that has already seen the first {@code length} bytes of {@code part} (a resumed prefix). */
    static MessageDigest digestOfPrefix(Path part, long length) throws IOException {
        MessageDigest digest = newDigest();
        if (length > 0) {
            byte[] buffer = new byte[1 << 20];
            try (InputStream in = Files.newInputStream(part)) {
                long left = length;
                int n;
                while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                    digest.update(buffer, 0, n);
                    left -= n;
                }
            }
        }
        return digest;
    }

    /** Gives the complete part file its final name in one atomic rename; the digest saw every byte written. */
    static Downloaded finish(Path part, Path target, MessageDigest digest) {
        try {
            String sha = HexFormat.of().formatHex(digest.digest());
            long size = Files.size(part);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Downloaded(target, size, sha);
        } catch (IOException e) {
            throw new TransferException("cannot finish the download to " + target + ": " + e.getMessage(), false, e);
        }
    }

    public static String sha256(Path file) throws IOException {
        return HexFormat.of().formatHex(digestOfPrefix(file, Files.size(file)).digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
