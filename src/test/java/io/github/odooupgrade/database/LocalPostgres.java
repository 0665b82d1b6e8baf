package io.github.odooupgrade.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/** The machine's PostgreSQL on 127.0.0.1:5432 (trust auth), as tests set it up and check it. */
public final class LocalPostgres {
    public static final PgConnection PG = new PgConnection("127.0.0.1", 5432, "postgres", null, null);

    private LocalPostgres() {}

    /** Runs SQL with psql and answers its unaligned output. */
    public static String psql(String database, String sql) {
        try {
            Process p = new ProcessBuilder("psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres",
                    "-d", database, "-c", sql).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("psql: " + out);
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("psql cannot run (is PostgreSQL on 127.0.0.1:5432?): " + e.getMessage(), e);
        }
    }

    /**
     * The machine's pg_dump, pg_restore and psql in a folder of their own ({@code --postgres-bin-dir}), psql doing
     * {@code whileRestoring} (shell) first when it restores a file (a --file) and the file {@code flag} is beside it:
     * a restore made slow ({@code sleep 60}) or broken ({@code exit 3}) for as long as the flag is there.
     */
    public static Path toolsWith(Path dir, String whileRestoring, String flag) throws IOException {
        Path bin = Files.createDirectories(dir);
        for (String tool : List.of("pg_dump", "pg_restore", "psql")) {
            Path real = Stream.of(System.getenv("PATH").split(":")).map(p -> Path.of(p, tool)).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new IllegalStateException(tool + " is not on the PATH"));
            Path wrapper = bin.resolve(tool);
            String hook = tool.equals("psql")
                    ? "case \" $* \" in *' --file '*) [ -e \"$(dirname \"$0\")/" + flag + "\" ] && { " + whileRestoring + "; } ;; esac\n" : "";
            Files.writeString(wrapper, "#!/bin/sh\n" + hook + "exec " + real + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.createFile(bin.resolve(flag));
        return bin;
    }
}
