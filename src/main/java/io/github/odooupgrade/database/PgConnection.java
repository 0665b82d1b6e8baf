package io.github.odooupgrade.database;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the PostgreSQL server is and which client tools talk to it. The password goes to the tools
 * through their environment (PGPASSWORD), never on a command line or in a message.
 *
 * @param binDir      folder of pg_dump, pg_restore, psql (e.g. /usr/lib/postgresql/16/bin), or null for the PATH
 * @param maxDuration how long one tool may run before it is stopped (a hung dump must not hold its job for ever)
 */
public record PgConnection(String host, int port, String user, String password, Path binDir, Duration maxDuration) {
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(24);
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public PgConnection {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("upgrade.postgres.host is not set");
        }
        if (maxDuration == null || maxDuration.isNegative() || maxDuration.isZero()) {
            maxDuration = DEFAULT_MAX_DURATION;
        }
    }

    public PgConnection(String host, int port, String user, String password, Path binDir) {
        this(host, port, user, password, binDir, DEFAULT_MAX_DURATION);
    }

    /** Database names this project creates or reads: letters, digits, underscores, at most 63 (no quoting games). */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static String checkName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("database name " + name + " is not allowed: use letters, digits and _ (at most 63)");
        }
        return name;
    }

    String tool(String name) {
        return binDir == null ? name : binDir.resolve(name).toString();
    }

    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        if (user != null && !user.isBlank()) {
            env.put("PGUSER", user);
        }
        if (password != null && !password.isEmpty()) {
            env.put("PGPASSWORD", password);
        }
        env.put("PGCONNECT_TIMEOUT", "10");
        return env;
    }

    @Override
    public String toString() {
        return "PgConnection[" + (user == null ? "" : user + "@") + host + ":" + port + (password == null ? "" : ", password=***") + "]";
    }
}
