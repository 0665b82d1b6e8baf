package io.github.odooupgrade.transfer;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import com.jcraft.jsch.SftpProgressMonitor;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.github.odooupgrade.api.SftpAccess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SFTP upload and download of a request's dump with JSch, resuming where the last attempt
 * stopped (as OpenSSH's {@code put -a}). Each attempt opens a fresh session; the host key is
 * verified by the given policy, and only public-key authentication is offered.
 */
public class SftpTransfer {
    private static final Logger log = LoggerFactory.getLogger(SftpTransfer.class);

    private final HostKeyPolicy hostKeys;
    private final Duration connectTimeout;
    private final RetryPolicy<Object> retries;

    public SftpTransfer(HostKeyPolicy hostKeys, Duration connectTimeout, int maxAttempts, Duration backoffMin, Duration backoffMax) {
        this.hostKeys = hostKeys;
        this.connectTimeout = connectTimeout;
        this.retries = RetryPolicy.builder()
                .handleIf(e -> e instanceof TransferException t && t.isTransient())
                .withMaxAttempts(maxAttempts)
                .withBackoff(backoffMin, backoffMax)
                .onRetry(e -> log.warn("SFTP transfer failed ({}); resuming, attempt {} of {}",
                        e.getLastException().getMessage(), e.getAttemptCount() + 1, maxAttempts))
                .build();
    }

    /** Uploads {@code dump} as the shared file, appending to what the server already has. */
    public void upload(SftpAccess access, SshKeyPair key, Path dump, TransferProgress progress) {
        long size = size(dump);
        Failsafe.with(retries).run(() -> {
            try (Connection c = connect(access, key)) {
                long remote = Math.max(0, remoteSize(c.sftp, access.sharedFile()));
                if (remote > size) {
                    throw new TransferException("the server's " + access.sharedFile() + " (" + remote + " bytes) is larger than "
                            + dump + " (" + size + " bytes): it is another file", false, null);
                }
                if (remote == size) {
                    progress.update(size, size);
                    return;
                }
                if (remote > 0) {
                    log.info("resuming SFTP upload of request {} at byte {} of {}", access.requestId(), remote, size);
                }
                c.sftp.put(dump.toString(), access.sharedFile(), new Monitor(progress, size), ChannelSftp.RESUME);
                long after = remoteSize(c.sftp, access.sharedFile());
                if (after != size) {
                    throw new TransferException("after upload the server has " + after + " of " + size + " bytes", true, null);
                }
            } catch (SftpException e) {
                throw failure("upload", e);
            }
        });
    }

    /**
     * Downloads {@code upgraded_<shared_file>} into {@code target}, through {@code target.part}
     * (resumed on the next attempt), renamed only once complete and checked.
     */
    public Downloaded download(SftpAccess access, SshKeyPair key, Path target, TransferProgress progress) {
        Path part = Downloaded.partOf(target);
        MessageDigest digest = Failsafe.with(retries).get(() -> {
            try (Connection c = connect(access, key)) {
                long total = remoteSize(c.sftp, access.upgradedFile());
                if (total < 0) {
                    throw new TransferException(access.upgradedFile() + " is not on the server (is the request done?)", false, null);
                }
                long have = Files.exists(part) ? Files.size(part) : 0;
                if (have > total) {
                    Files.delete(part);
                    have = 0;
                }
                MessageDigest d = Downloaded.digestOfPrefix(part, have);
                try (OutputStream out = new DigestOutputStream(
                        Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.APPEND), d)) {
                    c.sftp.get(access.upgradedFile(), out, new Monitor(progress, total), ChannelSftp.RESUME, have);
                }
                long got = Files.size(part);
                if (got != total) {
                    throw new TransferException("download stopped at " + got + " of " + total + " bytes", true, null);
                }
                return d;
            } catch (SftpException e) {
                throw failure("download", e);
            } catch (IOException e) {
                throw new TransferException("writing " + part + " failed: " + e.getMessage(), false, e);
            }
        });
        return Downloaded.finish(part, target, digest);
    }

    private static TransferException failure(String what, SftpException e) {
        boolean permanent = e.id == ChannelSftp.SSH_FX_PERMISSION_DENIED || e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE;
        return new TransferException("SFTP " + what + " failed: " + e.getMessage(), !permanent, e);
    }

    /** The remote file's size, or -1 when it does not exist. */
    private static long remoteSize(ChannelSftp sftp, String name) throws SftpException {
        try {
            return sftp.stat(name).getSize();
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return -1;
            }
            throw e;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new TransferException("cannot read " + file + ": " + e.getMessage(), false, e);
        }
    }

    private Connection connect(SftpAccess access, SshKeyPair key) {
        try {
            JSch jsch = new JSch();
            hostKeys.apply(jsch);
            jsch.addIdentity(access.sftpUser(), key.privateKey(), key.publicKey().getBytes(StandardCharsets.UTF_8), null);
            Session session = jsch.getSession(access.sftpUser(), access.hostname(), access.sftpPort());
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            session.connect((int) connectTimeout.toMillis());
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect((int) connectTimeout.toMillis());
            return new Connection(session, sftp);
        } catch (JSchException e) {
            String m = String.valueOf(e.getMessage());
            boolean hostKeyProblem = m.contains("HostKey") || m.contains("host key");
            boolean authProblem = m.contains("Auth fail") || m.contains("Auth cancel");
            String why = hostKeyProblem ? "the server's host key is not the trusted one for " + access.hostname() + ":" + access.sftpPort()
                    + " (" + m + "); refusing to connect"
                    : "SFTP connection to " + access.hostname() + ":" + access.sftpPort() + " as " + access.sftpUser() + " failed: " + m;
            throw new TransferException(why, !hostKeyProblem && !authProblem, e);
        }
    }

    private record Connection(Session session, ChannelSftp sftp) implements AutoCloseable {
        @Override
        public void close() {
            sftp.disconnect();
            session.disconnect();
        }
    }

    /** JSch's progress callback, counted from the resumed offset. */
    /** JSch's progress, from 0: a resumed put or get first counts the bytes it skips, then what it moves. */
    private static final class Monitor implements SftpProgressMonitor {
        private final TransferProgress progress;
        private final long total;
        private long done;

        Monitor(TransferProgress progress, long total) {
            this.progress = progress;
            this.total = total;
        }

        @Override
        public void init(int op, String src, String dest, long max) {
            // the skipped part, if any, comes as the first count
        }

        @Override
        public boolean count(long count) {
            done += count;
            progress.update(Math.min(done, total), total);
            return true;
        }

        @Override
        public void end() {
            // the caller checks the sizes
        }
    }
}
