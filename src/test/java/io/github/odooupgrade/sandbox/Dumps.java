package io.github.odooupgrade.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Dump files for tests: real pg_dump output where it matters, and the shapes the platform accepts. */
public final class Dumps {
    private Dumps() {}

    /** A real custom-format dump of a small database on the local PostgreSQL (pg_dump -Fc). */
    public static Path pgDumpCustom(Path dir) throws Exception {
        Path dump = dir.resolve("real.dump");
        Process p = new ProcessBuilder("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-Fc", "-f", dump.toString(), "postgres")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pg_dump failed (is PostgreSQL running on 127.0.0.1:5432?): " + out);
        }
        return dump;
    }

    public static String plainSql(String version) {
        return "--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version " + version + "\n"
                + "-- Dumped by pg_dump version " + version + "\n\nSET statement_timeout = 0;\n"
                + "CREATE TABLE res_partner (id integer, name text);\nINSERT INTO res_partner VALUES (1, 'Admin');\n";
    }

    public static Path plain(Path dir, String name, String version) throws IOException {
        return Files.writeString(dir.resolve(name), plainSql(version));
    }

    public static Path gzipped(Path dir, String name, String content) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /** Odoo's backup zip: dump.sql, optionally filestore/ with an attachment. */
    public static Path odooZip(Path dir, String name, String sql, boolean filestore) throws IOException {
        Path file = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            if (sql != null) {
                zip.putNextEntry(new ZipEntry("dump.sql"));
                zip.write(sql.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("manifest.json"));
            zip.write("{\"version\": \"12.0\"}".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            if (filestore) {
                zip.putNextEntry(new ZipEntry("filestore/ab/ab12cd"));
                zip.write(new byte[] {1, 2, 3});
                zip.closeEntry();
            }
        }
        return file;
    }

    /** {@code size} pseudo-random bytes, written in 1 MiB blocks (never held whole in memory). */
    public static Path random(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                for (int i = 0; i < block.length; i += 8) {
                    long v = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        block[i + b] = (byte) (v >>> (8 * b));
                    }
                }
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
        }
        return file;
    }

    /**
     * A plain SQL dump of exactly {@code size} bytes: the pg_dump header, then random data as
     * hex text lines (a dump is text; random binary would rightly be refused as "not a dump").
     */
    public static Path sqlHeadedRandom(Path file, long size, long seed) throws IOException {
        byte[] header = plainSql("15.4").getBytes(StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] hex = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header, 0, (int) Math.min(header.length, size));
            long left = size - header.length;
            while (left > 0) {
                for (int i = 0; i < block.length; i += 64) {
                    block[i] = '-';
                    block[i + 1] = '-';
                    block[i + 2] = ' ';
                    long v = random.nextLong();
                    for (int j = 3; j < 63; j++) {
                        block[i + j] = hex[(int) ((v >>> ((j % 16) * 4)) & 0xf) ^ (j & 0xf)];
                    }
                    block[i + 63] = '\n';
                }
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
        }
        return file;
    }

    /** A plain SQL dump that restores into a table of about {@code size} bytes of random rows (so an upgrade hands back about as much). */
    public static Path sqlWithRows(Path file, int size, long seed) throws IOException {
        StringBuilder sql = new StringBuilder(plainSql("15.4")).append("CREATE TABLE mail_message (body text);\nCOPY mail_message (body) FROM stdin;\n");
        SplittableRandom random = new SplittableRandom(seed);
        byte[] row = new byte[48];
        while (sql.length() < size) {
            random.nextBytes(row);
            sql.append(HexFormat.of().formatHex(row)).append('\n');
        }
        return Files.writeString(file, sql.append("\\.\n"));
    }

    /** Each file of a folder (a directory dump) with its SHA-256, in name order: two trees compared file by file. */
    public static List<String> filesWithSha256(Path folder) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path f : all.filter(Files::isRegularFile).sorted().toList()) {
                out.add(folder.relativize(f) + " " + sha256(f));
            }
        }
        return out;
    }

    public static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            try (var in = Files.newInputStream(file)) {
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
