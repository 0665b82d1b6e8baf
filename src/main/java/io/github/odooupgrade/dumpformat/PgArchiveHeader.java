package io.github.odooupgrade.dumpformat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header pg_dump writes at the start of a custom-format archive (pg_backup_archiver.c ReadHead):
 * magic {@code PGDMP}, archive version bytes, int size, offset size, format, compression, creation
 * time, database name, then (archive version 1.10 and later) the server's and pg_dump's versions.
 * Shared by the sandbox (what a dump is) and the database steps (which tools can restore it).
 */
public record PgArchiveHeader(String archiveVersion, String serverVersion, String pgDumpVersion) {
    private static final byte[] MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);

    public static boolean isArchive(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** The header of an archive whose first bytes are {@code head}, or null where it cannot be read. */
    public static PgArchiveHeader read(byte[] head) {
        if (!isArchive(head)) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(head, MAGIC.length, head.length - MAGIC.length));
            int vmaj = in.readUnsignedByte();
            int vmin = in.readUnsignedByte();
            int vrev = in.readUnsignedByte();
            int version = vmaj * 100 + vmin;
            int intSize = in.readUnsignedByte();
            in.readUnsignedByte(); // offset size
            in.readUnsignedByte(); // format
            String archive = vmaj + "." + vmin + "." + vrev;
            if (version < 110 || intSize < 1 || intSize > 8) {
                return new PgArchiveHeader(archive, null, null);
            }
            if (version >= 115) {
                in.readUnsignedByte(); // compression algorithm
            } else {
                readInt(in, intSize); // compression level
            }
            for (int i = 0; i < 7; i++) {
                readInt(in, intSize); // creation time
            }
            readStr(in, intSize); // database name
            String server = readStr(in, intSize);
            String pgDump = readStr(in, intSize);
            return new PgArchiveHeader(archive, server, pgDump);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** "9.4.26" → "9.4"; "15.20 (Debian …)" → "15": PostgreSQL's major version naming. Null when there is none. */
    public static String major(String version) {
        if (version == null) {
            return null;
        }
        Matcher m = Pattern.compile("^(\\d+)(?:\\.(\\d+))?").matcher(version.trim());
        if (!m.find()) {
            return null;
        }
        int first = Integer.parseInt(m.group(1));
        return first >= 10 || m.group(2) == null ? m.group(1) : m.group(1) + "." + m.group(2);
    }

    private static long readInt(DataInputStream in, int intSize) throws IOException {
        int sign = in.readUnsignedByte();
        long value = 0;
        for (int b = 0; b < intSize; b++) {
            value |= ((long) in.readUnsignedByte()) << (8 * b);
        }
        return sign == 0 ? value : -value;
    }

    private static String readStr(DataInputStream in, int intSize) throws IOException {
        long len = readInt(in, intSize);
        if (len < 0) {
            return null;
        }
        if (len > 1024) {
            throw new IOException("implausible string length " + len);
        }
        byte[] bytes = new byte[(int) len];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
