package io.github.odooupgrade.transfer;

import io.github.odooupgrade.files.Executables;
import io.github.odooupgrade.files.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves dumps to and from today's upgrade platform as Odoo's own client does — the system's rsync over the system's
 * ssh, through the window {@code transfer/start} opened — with three differences: the window's known_hosts lines and
 * the request's key are the only trust and the only identity (no ssh configuration, known_hosts or agent of the
 * user's; {@code StrictHostKeyChecking=yes}); a file cut short is kept so that the next run goes on from it —
 * downloaded, in a folder aside in the results folder, written in place ({@code --inplace}: nothing to save when the
 * run is killed outright) and moved under its final name once whole; uploaded, under its name on the platform
 * ({@code --partial}: a restricted rsync moves a {@code --partial-dir} and then keeps nothing; the request is processed
 * only after an upload that ended well); and rsync stops a transfer that stalls
 * ({@code --timeout}). The progress is read from rsync's {@code --info=progress2}.
 */
public final class RsyncTransfer {
    private static final Logger log = LoggerFactory.getLogger(RsyncTransfer.class);
    /** The platform's account and folder (Odoo's client names them so). */
    public static final String USER = "odoo";
    public static final String FOLDER = "/data/";
    /** Where a download arrives, written in place so that even a download killed outright goes on from what arrived. */
    private static final String STAGING = ".rsync-download";
    /** "  1,234,567  45%   12.34MB/s    0:00:10 (xfr#1, to-chk=0/1)". */
    private static final Pattern PROGRESS = Pattern.compile("^\\s*([\\d,]+)\\s+(\\d+)%");
    private static final int KEEP = 2000;

    /** Where a window is: the platform's host, the window's port, its known_hosts lines. */
    public record Window(String host, int port, String knownHosts) {}

    private final Duration stall;

    /** @param stall how long a transfer may stand still before rsync gives it up (and the next attempt goes on) */
    public RsyncTransfer(Duration stall) {
        this.stall = stall;
    }

    /** Null when rsync and ssh are on the PATH; else what to install, in one sentence. */
    public static String missingTools() {
        List<String> missing = new ArrayList<>();
        if (Executables.find("rsync") == null) {
            missing.add("rsync (Debian package rsync)");
        }
        if (Executables.find("ssh") == null) {
            missing.add("ssh (Debian package openssh-client)");
        }
        return missing.isEmpty() ? null : "today's upgrade platform moves dumps with rsync over ssh, and this machine lacks "
                + String.join(" and ", missing) + ": install them";
    }

    /**
     * Sends {@code source} (a file, or a directory dump's folder) to /data/{@code remoteName}. It goes as a link of
     * that name in a folder of its own, sent to /data/ with {@code --copy-links}: a restricted rsync pins an existing
     * destination file so that rsync cannot replace it, and the next attempt would fail where a cut left part of it.
     * Whatever else lies in /data (an earlier attempt's dump of another kind) is deleted.
     */
    public void upload(Path source, String remoteName, Window window, byte[] privateKey, TransferProgress progress) {
        long total = size(source);
        run("upload of " + source.getFileName(), temp -> {
            Path stage = Files.createDirectory(temp.resolve("stage"));
            Files.createSymbolicLink(stage.resolve(remoteName), source.toAbsolutePath());
            return List.of("--copy-links", "--partial", "--chmod=u+rwx,g+rwx,o+r", "--delete-after", stage + "/",
                    remote(window, ""));
        }, window, privateKey, total, progress);
    }

    /** Fetches /data/{@code names} (those there are) into the folder {@code into}. */
    public void download(List<String> names, Path into, Window window, byte[] privateKey, TransferProgress progress) {
        Path staging = into.resolve(STAGING);
        try {
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of("--inplace", "--ignore-missing-args"));
        names.forEach(n -> args.add(remote(window, n)));
        args.add(staging.toAbsolutePath() + "/");
        run("download of " + String.join(", ", names), temp -> args, window, privateKey, -1, progress);
        try {
            for (String name : names) { // complete: under the final names
                Path fetched = staging.resolve(name);
                if (Files.exists(fetched)) {
                    Path target = into.resolve(name);
                    if (Files.exists(target)) {
                        Folders.delete(target);
                    }
                    Files.move(fetched, target, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Folders.delete(staging);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String remote(Window w, String name) {
        return USER + "@" + w.host() + ":" + FOLDER + name;
    }

    /** What rsync is to move, given the run's private temporary folder. */
    private interface Paths {
        List<String> in(Path temp) throws IOException;
    }

    private void run(String what, Paths paths, Window window, byte[] privateKey, long total, TransferProgress progress) {
        try (SshIdentityFolder identity = new SshIdentityFolder(privateKey, window.knownHosts())) {
            String ssh = String.join(" ", "ssh", "-F", "/dev/null", "-p", Integer.toString(window.port()), "-i", identity.key.toString(),
                    "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                    "-o", "UserKnownHostsFile=" + identity.knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                    "-o", "ConnectTimeout=" + Math.max(5, stall.toSeconds()), "-o", "ServerAliveInterval=15");
            List<String> command = new ArrayList<>(List.of("rsync", "-a", "--info=progress2",
                    "--timeout=" + Math.max(10, stall.toSeconds()), "-e", ssh));
            command.addAll(paths.in(identity.dir));
            Process p = new ProcessBuilder(command).start();
            p.getOutputStream().close();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> tail(p.getErrorStream()), r -> Thread.ofVirtual().start(r));
            follow(p.getInputStream(), total, progress);
            int exit = p.waitFor();
            if (exit != 0) {
                String said = errors.join().strip().replaceAll("\\s*\\R\\s*", "; ");
                throw new TransferException(what + " by rsync failed (exit " + exit + "): " + said, isTransient(exit, said), null);
            }
            log.debug("{} by rsync done", what);
        } catch (IOException e) {
            throw new TransferException(what + " by rsync could not run: " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransferException(what + " by rsync was interrupted", true, e);
        }
    }

    /**
     * Worth another attempt (a new window, the same rsync): the connection broke, timed out or was refused (a window
     * closed). Not when the host key or the key was refused, or rsync was used wrongly.
     */
    static boolean isTransient(int exit, String said) {
        if (said.contains("Host key verification failed") || said.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                || said.contains("Permission denied")) {
            return false;
        }
        return exit == 255 || exit == 10 || exit == 11 || exit == 12 || exit == 20 || exit == 30 || exit == 35;
    }

    /** Reads rsync's progress lines (separated by carriage returns) and tells {@code progress}. */
    private static void follow(InputStream out, long total, TransferProgress progress) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = out.read()) >= 0) {
            if (c == '\r' || c == '\n') {
                Matcher m = PROGRESS.matcher(line);
                if (m.find()) {
                    long done = Long.parseLong(m.group(1).replace(",", ""));
                    int percent = Integer.parseInt(m.group(2));
                    long whole = total > 0 ? total : percent > 0 ? done * 100 / percent : -1;
                    progress.update(done, whole);
                }
                line.setLength(0);
            } else if (line.length() < 500) {
                line.append((char) c);
            }
        }
    }

    private static long size(Path source) {
        try {
            return bytesIn(source);
        } catch (IOException e) {
            return -1; // progress without a whole: rsync's own percentage
        }
    }

    /** The bytes of a file, or of every file in a folder (a directory dump). */
    public static long bytesIn(Path path) throws IOException {
        try (Stream<Path> files = Files.isDirectory(path) ? Files.walk(path) : Stream.of(path)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static String tail(InputStream in) {
        try {
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return s.length() <= KEEP ? s : "…" + s.substring(s.length() - KEEP);
        } catch (IOException e) {
            return "";
        }
    }

}
