package io.github.odooupgrade.database;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs pg_dump, pg_restore and psql as child processes, keeping the end of their stderr for the message. */
final class PgTools {
    private static final int KEEP = 4000;
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");

    private final PgConnection pg;

    PgTools(PgConnection pg) {
        this.pg = pg;
    }

    /** The major version of a tool ("pg_dump (PostgreSQL) 15.20" → 15). */
    int majorVersion(String tool) {
        String out = run(List.of(pg.tool(tool), "--version"), null, null).trim();
        Matcher m = VERSION.matcher(out);
        if (!m.find()) {
            throw new PgToolException(tool + " --version answered \"" + out + "\", not a PostgreSQL version");
        }
        return Integer.parseInt(m.group(1));
    }

    /** One value from the server, through psql (database postgres). */
    String query(String database, String sql) {
        return run(List.of(pg.tool("psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql), null, null).trim();
    }

    /** The rows of a read-only query through psql, their columns split (a unit separator between them, as no value holds one). */
    List<String[]> rows(String database, String sql) {
        String out = run(List.of(pg.tool("psql"), "-X", "-q", "-t", "-A", "-F", "\u001f", "-v", "ON_ERROR_STOP=1", "-d", database,
                "-c", "SET default_transaction_read_only = on", "-c", sql), null, null);
        return out.lines().filter(l -> !l.isEmpty()).map(l -> l.split("\u001f", -1)).toList();
    }

    /**
     * Runs a tool; {@code stdin} (may be null) writes its input, {@code stdout} (may be null) reads its
     * output as it comes — both streamed, so a dump of any size passes without filling memory.
     * Answers the stdout text when {@code stdout} is null.
     */
    String run(List<String> command, Consumer<OutputStream> stdin, Consumer<InputStream> stdout) {
        ProcessBuilder b = new ProcessBuilder(command);
        b.environment().putAll(pg.environment());
        Process p;
        try {
            p = b.start();
        } catch (IOException e) {
            throw new PgToolException(command.get(0) + " cannot be started (" + e.getMessage()
                    + "): install the PostgreSQL client tools or set upgrade.postgres.bin-dir", e);
        }
        // own threads: on a small machine the common pool may have a single worker, and these two must run together
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().name("pg-tool-watchdog").start(() -> {
            try {
                if (!p.waitFor(pg.maxDuration().toMillis(), TimeUnit.MILLISECONDS)) {
                    timedOut.set(true);
                    p.destroyForcibly();
                }
            } catch (InterruptedException done) {
                // the tool ended first
            }
        });
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> tail(p.getErrorStream()), PgTools::thread);
        CompletableFuture<Void> in = CompletableFuture.runAsync(() -> {
            try (OutputStream os = p.getOutputStream()) {
                if (stdin != null) {
                    stdin.accept(os);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, PgTools::thread);
        String text = "";
        try (InputStream is = p.getInputStream()) {
            if (stdout != null) {
                stdout.accept(is);
            } else {
                text = new String(is.readAllBytes(), StandardCharsets.UTF_8);
            }
            int exit = p.waitFor();
            watchdog.interrupt();
            String stderr = err.join();
            if (timedOut.get()) {
                throw new PgToolException(name(command) + " did not finish within " + pg.maxDuration()
                        + " and was stopped (upgrade.postgres.max-duration)");
            }
            if (exit != 0) {
                throw new PgToolException(name(command) + " failed (exit " + exit + "): " + redact(stderr.trim()));
            }
            in.join();
            return text;
        } catch (IOException e) {
            p.destroyForcibly();
            throw new PgToolException(name(command) + " broke off: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PgToolException(name(command) + " was interrupted", e);
        } catch (RuntimeException e) {
            p.destroyForcibly();
            watchdog.interrupt();
            if (timedOut.get()) {
                throw new PgToolException(name(command) + " did not finish within " + pg.maxDuration()
                        + " and was stopped (upgrade.postgres.max-duration)", e);
            }
            if (e instanceof PgToolException) {
                throw e;
            }
            throw new PgToolException(name(command) + " failed: " + redact(err.getNow("")) + " (" + e.getMessage() + ")", e);
        }
    }

    private static void thread(Runnable r) {
        Thread.ofVirtual().name("pg-tool-io").start(r);
    }

    private String redact(String text) {
        return pg.password() == null || pg.password().isEmpty() ? text : text.replace(pg.password(), "***");
    }

    private static String name(List<String> command) {
        String tool = command.get(0);
        return tool.substring(tool.lastIndexOf('/') + 1);
    }

    /** The last few KB of a stream (a tool's stderr), read to its end so the tool never blocks on it. */
    private static String tail(InputStream in) {
        try {
            byte[] all = in.readAllBytes();
            String s = new String(all, StandardCharsets.UTF_8);
            return s.length() <= KEEP ? s : "…" + s.substring(s.length() - KEEP);
        } catch (IOException e) {
            return "";
        }
    }
}
