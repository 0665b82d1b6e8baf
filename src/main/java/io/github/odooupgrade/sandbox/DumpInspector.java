package io.github.odooupgrade.sandbox;

import io.github.odooupgrade.dumpformat.PgArchiveHeader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Tells what an uploaded file is by reading its head (never the whole file): a pg_dump custom
 * archive ({@code PGDMP} header), plain SQL, either of them gzipped, or Odoo's zip backup
 * ({@code dump.sql} and optionally {@code filestore/}).
 */
public final class DumpInspector {
    private static final int HEAD = 64 * 1024;
    private static final byte[] PGDMP = "PGDMP".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern DUMPED_FROM = Pattern.compile("-- Dumped from database version (\\d+(?:\\.\\d+)*)");
    private static final Pattern SQL_START = Pattern.compile(
            "(?m)^\\s*(SET|CREATE|INSERT|COPY|BEGIN|SELECT|ALTER|DROP|COMMENT)\\b", Pattern.CASE_INSENSITIVE);

    private DumpInspector() {}

    public static DumpInfo inspect(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            return DumpInfo.notADump("The uploaded file is empty.");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD);
        }
        if (startsWith(head, new byte[] {'P', 'K', 3, 4})) {
            return inspectZip(file);
        }
        if (head.length > 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            byte[] inner;
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                inner = in.readNBytes(HEAD);
            } catch (IOException e) {
                return DumpInfo.notADump("The uploaded file looks gzipped but cannot be decompressed: " + e.getMessage());
            }
            DumpInfo info = inspectHead(inner);
            if (!info.isDump()) {
                return DumpInfo.notADump("The gzipped file does not hold a database dump.");
            }
            List<String> compressions = new ArrayList<>(List.of("gzip"));
            compressions.addAll(info.compressions());
            return new DumpInfo(info.format(), compressions, info.postgresql(), false, null);
        }
        return inspectHead(head);
    }

    private static DumpInfo inspectZip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry dump = zip.getEntry("dump.sql");
            if (dump == null) {
                return DumpInfo.notADump("The zip archive has no dump.sql; an Odoo backup zip holds dump.sql and filestore/.");
            }
            boolean filestore = zip.stream().anyMatch(e -> e.getName().startsWith("filestore/"));
            byte[] head;
            try (InputStream in = zip.getInputStream(dump)) {
                head = in.readNBytes(HEAD);
            }
            DumpInfo sql = inspectHead(head);
            if (!sql.isDump()) {
                return DumpInfo.notADump("dump.sql in the zip archive is not a SQL dump.");
            }
            return new DumpInfo("sql", List.of("zip", "sql"), sql.postgresql(), filestore, null);
        } catch (java.util.zip.ZipException e) {
            return DumpInfo.notADump("The zip archive is damaged or incomplete: " + e.getMessage());
        }
    }

    /** A custom-format archive or plain SQL, from the first bytes of the (decompressed) content. */
    static DumpInfo inspectHead(byte[] head) {
        if (startsWith(head, PGDMP)) {
            return new DumpInfo("pgdmp_custom", List.of("pgdmp_custom", "sql"), customArchiveServerVersion(head), false, null);
        }
        String text = new String(head, StandardCharsets.UTF_8);
        if (text.indexOf('\0') >= 0) {
            return DumpInfo.notADump("The uploaded file is neither a pg_dump archive nor a SQL dump.");
        }
        Matcher from = DUMPED_FROM.matcher(text);
        if (text.contains("PostgreSQL database dump") || SQL_START.matcher(text).find()) {
            return new DumpInfo("sql", List.of("sql"), from.find() ? major(from.group(1)) : null, false, null);
        }
        return DumpInfo.notADump("The uploaded file is neither a pg_dump archive nor a SQL dump.");
    }

    static String customArchiveServerVersion(byte[] head) {
        PgArchiveHeader header = PgArchiveHeader.read(head);
        return header == null ? null : PgArchiveHeader.major(header.serverVersion());
    }

    static String major(String version) {
        return PgArchiveHeader.major(version);
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
