package io.github.odooupgrade.worker;

import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.CurrentApiClient;
import io.github.odooupgrade.api.CurrentRef;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.transfer.Downloaded;
import io.github.odooupgrade.transfer.RsyncTransfer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Today's platform's transfers for the model's upload and download steps: a window opened with transfer/start,
 * rsync over ssh through it with the request's key, the window closed with transfer/stop whatever happened (a
 * window that closed meanwhile is opened again by the next attempt). A job delivered again after the platform
 * moved on skips the upload; a download already complete (its {@code .sha256} beside it) is not fetched twice.
 */
@Component
class RsyncSteps {
    private static final Logger log = LoggerFactory.getLogger(RsyncSteps.class);
    /** What a finished request offers, as Odoo's client fetches it (the dump's name comes from transfer/start). */
    static final List<String> RESULTS = List.of("filestore", "upgrade-report.html", "upgrade.log");

    private final CurrentApiClient client;
    private final RsyncTransfer rsync;
    private final ProcessSecrets secrets;
    private final JobLeases leases;
    private final ResultsFolder results;
    private final UpgradeMetrics metrics;

    RsyncSteps(CurrentApiClient client, RsyncTransfer rsync, ProcessSecrets secrets, JobLeases leases, ResultsFolder results,
            UpgradeMetrics metrics) {
        this.client = client;
        this.rsync = rsync;
        this.secrets = secrets;
        this.leases = leases;
        this.results = results;
        this.metrics = metrics;
    }

    /** The dump (a file, or a directory dump's folder) to /data/origin.&lt;ext&gt;, while the request is new. */
    Map<String, Object> upload(ActivatedJob job, Map<String, Object> vars) throws IOException {
        CurrentRef ref = secrets.currentRequest(vars);
        Map<String, Object> out = new HashMap<>();
        CurrentApiClient.Status before = client.status(ref);
        if (before.outcome() == CurrentApiClient.Outcome.NEW) {
            Path dump = Path.of((String) vars.get(Var.DUMP_FILE));
            JobLease lease = leases.start(job, "rsync upload of " + dump.getFileName());
            long began = System.nanoTime();
            through(ref, "upload", (opened, window) -> rsync.upload(dump, originName(dump), window,
                    secrets.keyPair(vars, Var.SSH_KEY_SEALED).privateKey(), lease));
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            metrics.transferred(UpgradeMetrics.Direction.UPLOAD, Value.METHOD_RSYNC, RsyncTransfer.bytesIn(dump), took);
            out.put(Var.PHASE_SECONDS, PhaseTimes.plus(vars, PhaseTimes.UPLOAD, took));
            out.put(Var.REQUEST_STATE, client.status(ref).state());
        } else {
            log.info("instance {}: request {} is no longer new, the dump is already there", job.getProcessInstanceKey(), ref.id());
            out.put(Var.REQUEST_STATE, before.state());
        }
        return out;
    }

    /**
     * The upgraded database (a directory dump), its filestore, the platform's report and log into the request's
     * results folder. The dump's "SHA-256" is that of its files' list: each file's path and SHA-256, sorted.
     */
    Map<String, Object> download(ActivatedJob job, Map<String, Object> vars) throws IOException {
        CurrentRef ref = secrets.currentRequest(vars);
        Path folder = results.of(ref.id());
        Map<String, Object> out = new HashMap<>();
        Path done = folder.resolve(".downloaded");
        Duration took = null;
        if (!Files.exists(done)) {
            JobLease lease = leases.start(job, "rsync download of request " + ref.id());
            long began = System.nanoTime();
            CurrentApiClient.Window opened = through(ref, "download", (w, window) -> rsync.download(names(w), folder, window,
                    secrets.keyPair(vars, Var.SSH_KEY_SEALED).privateKey(), lease));
            Files.writeString(done, opened.dumpName() + "\n");
            took = Duration.ofNanos(System.nanoTime() - began);
            out.put(Var.PHASE_SECONDS, PhaseTimes.plus(vars, PhaseTimes.DOWNLOAD, took));
        }
        Path dump = folder.resolve(Files.readString(done).strip());
        long size = RsyncTransfer.bytesIn(dump);
        if (took != null) {
            metrics.transferred(UpgradeMetrics.Direction.DOWNLOAD, Value.METHOD_RSYNC, size, took);
        }
        out.put(Var.UPGRADED_DUMP, dump.toString());
        out.put(Var.UPGRADED_DUMP_SIZE, size);
        out.put(Var.UPGRADED_DUMP_SHA256, treeSha256(dump));
        Path report = folder.resolve("upgrade-report.html");
        if (Files.exists(report)) {
            ResultsFolder.putReport(out, report.toString());
        }
        log.info("instance {}: upgraded database of request {}: {} ({} bytes)", job.getProcessInstanceKey(), ref.id(), dump, size);
        return out;
    }

    private static List<String> names(CurrentApiClient.Window window) {
        List<String> names = new java.util.ArrayList<>(List.of(window.dumpName()));
        names.addAll(RESULTS);
        return names;
    }

    /** What moves through a window, given what transfer/start answered and where ssh connects. */
    private interface Rsync {
        void run(CurrentApiClient.Window opened, RsyncTransfer.Window window) throws IOException;
    }

    /** A window for the transfer, closed whatever happens; returns what transfer/start answered. */
    private CurrentApiClient.Window through(CurrentRef ref, String type, Rsync transfer) throws IOException {
        CurrentApiClient.Window w = client.startTransfer(ref, type);
        try {
            transfer.run(w, new RsyncTransfer.Window(host(ref), w.sshPort(), w.knownHosts()));
        } finally {
            try {
                client.stopTransfer(ref);
            } catch (RuntimeException e) {
                log.warn("request {}: the transfer window could not be closed ({}); the platform closes it when idle", ref.id(), e.getMessage());
            }
        }
        return w;
    }

    /** The SSH host: the host part of the request's host (host, or host:port). */
    static String host(CurrentRef ref) {
        String h = ref.host();
        int colon = h.lastIndexOf(':');
        return colon > 0 && h.indexOf(']') < colon ? h.substring(0, colon) : h;
    }

    /** Odoo's client's name under /data: origin with the dump's extension (a directory dump: origin.dump). */
    static String originName(Path dump) {
        String name = dump.getFileName().toString();
        if (Files.isDirectory(dump)) {
            return "origin.dump";
        }
        for (String ext : List.of(".sql.gz", ".sql", ".dump", ".zip")) {
            if (name.endsWith(ext)) {
                return "origin" + ext;
            }
        }
        return "origin.dump"; // a custom archive without the usual name (the platform looks at its content)
    }

    /** A folder's fingerprint: SHA-256 over its files' relative paths and SHA-256s, in sorted order (a file: its own). */
    static String treeSha256(Path path) throws IOException {
        try {
            if (!Files.isDirectory(path)) {
                return Downloaded.sha256(path);
            }
            MessageDigest tree = MessageDigest.getInstance("SHA-256");
            try (Stream<Path> files = Files.walk(path)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    tree.update((path.relativize(f) + "\0" + Downloaded.sha256(f) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(tree.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
