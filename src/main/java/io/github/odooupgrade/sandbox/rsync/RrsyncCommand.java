package io.github.odooupgrade.sandbox.rsync;

import io.github.odooupgrade.sandbox.Faults;
import io.github.odooupgrade.sandbox.TransferGauge;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command a window's client asked for, run as rrsync runs it from an authorized_keys line: rrsync with
 * the command in SSH_ORIGINAL_COMMAND checks it and starts rsync's server side, confined to the request's
 * folder. The channel's streams are copied to and from the process; the bytes of the transfer's direction are
 * counted, and slowed or cut where a fault says so.
 */
final class RrsyncCommand implements Command {
    private static final Logger log = LoggerFactory.getLogger(RrsyncCommand.class);
    private static final int BLOCK = 64 * 1024;

    private final String command;
    private final RsyncWindows.Window window;
    private final RsyncWindows windows;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    RrsyncCommand(String command, RsyncWindows.Window window, RsyncWindows windows) {
        this.command = command;
        this.window = window;
        this.windows = windows;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback exit) {
        this.exit = exit;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        String refused = windows.refusal(window, command);
        if (refused != null) {
            log.info("request {}: refused on the rsync window: {}", window.requestId, refused);
            err.write(("odoo-upgrade sandbox: " + refused + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
            exit.onExit(1, refused);
            return;
        }
        ProcessBuilder b = new ProcessBuilder(windows.rrsyncCommand(window));
        b.environment().put("SSH_ORIGINAL_COMMAND", command);
        Process p = b.start();
        process = p;
        Faults faults = windows.faults();
        boolean upload = window.direction == RsyncWindows.Direction.UPLOAD;
        TransferGauge.Transfer transfer = faults.transfers().begin(upload ? TransferGauge.Kind.RSYNC_UPLOAD : TransferGauge.Kind.DOWNLOAD);
        Budget budget = new Budget(faults, upload ? TransferGauge.Kind.RSYNC_UPLOAD : TransferGauge.Kind.DOWNLOAD, channel);
        Thread toProcess = Thread.ofVirtual().start(() -> copy(in, p.getOutputStream(), upload ? budget : null, true));
        Thread fromProcess = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out, upload ? null : budget, false));
        Thread errors = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err, null, false));
        Thread.ofVirtual().start(() -> {
            int code = 255;
            try {
                code = p.waitFor();
                fromProcess.join();
                errors.join();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            } finally {
                toProcess.interrupt();
                transfer.close();
                window.touch();
                log.info("request {}: rsync's server side ended (exit {}) after {} bytes", window.requestId, code, budget.done);
                exit.onExit(code);
            }
        });
    }

    /** Copies until the end of {@code from}; {@code budget} counts (and may slow or cut) the transfer's own bytes. */
    private void copy(InputStream from, OutputStream to, Budget budget, boolean closeAtEnd) {
        byte[] buffer = new byte[BLOCK];
        try {
            int n;
            while ((n = from.read(buffer, 0, budget == null ? BLOCK : budget.chunk(BLOCK))) >= 0) {
                if (n == 0) {
                    continue;
                }
                to.write(buffer, 0, n);
                to.flush();
                window.touch();
                if (budget != null) {
                    budget.moved(n);
                }
            }
        } catch (IOException e) {
            // the other side went away: the process ends, or has
        } finally {
            if (closeAtEnd) {
                try {
                    to.close();
                } catch (IOException ignored) {
                    // nothing more to send
                }
            }
        }
    }

    /**
     * The connection went away: as sshd does, the process sees the end of its input (so an rsync receiving keeps
     * what arrived in its partial folder, as --partial-dir promises); one that does not end is stopped.
     */
    @Override
    public void destroy(ChannelSession channel) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        Thread.ofVirtual().start(() -> {
            try {
                p.getOutputStream().close();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroy();
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            } catch (IOException | InterruptedException e) {
                p.destroyForcibly();
            }
        });
    }

    /** A transfer's bytes: counted for the gauge, paced on a slowed line, and the session cut where a fault says so. */
    private static final class Budget {
        private final Faults faults;
        private final TransferGauge.Kind kind;
        private final ChannelSession channel;
        private final long cutAt;
        private final long start = System.nanoTime();
        private long done;

        Budget(Faults faults, TransferGauge.Kind kind, ChannelSession channel) {
            this.faults = faults;
            this.kind = kind;
            this.channel = channel;
            this.cutAt = faults.cutPointForNewTransfer();
        }

        int chunk(int wanted) {
            return faults.chunk(cutAt < 0 ? wanted : (int) Math.max(1, Math.min(wanted, cutAt - done + 1)));
        }

        void moved(int n) throws IOException {
            done += n;
            faults.transfers().moved(kind, n);
            faults.pace(done, start);
            if (cutAt >= 0 && done > cutAt) {
                log.info("rsync transfer cut after {} bytes (fault injection)", done);
                channel.getSession().close(true);
                throw new IOException("transfer cut by fault injection");
            }
        }
    }
}
