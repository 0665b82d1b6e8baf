package io.github.odooupgrade.sandbox.sftp;

import io.github.odooupgrade.sandbox.AuthorizedKeys;
import io.github.odooupgrade.sandbox.Faults;
import io.github.odooupgrade.sandbox.TransferGauge;
import io.github.odooupgrade.sandbox.Platform;
import io.github.odooupgrade.sandbox.RequestState;
import io.github.odooupgrade.sandbox.RequestStore;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's SFTP server (Apache MINA SSHD): public-key login as {@code user_<id>} with the
 * keys given to request_sftp_access, SFTP only (no shell, no exec, no forwarding), each account
 * rooted in its request's files folder and held to one file by {@link JailAccessor}. The host
 * key is kept in the data folder so clients can pin it.
 */
public class SandboxSftpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SandboxSftpServer.class);

    private final SshServer sshd = SshServer.setUpDefaultServer();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final RequestStore store;
    private final Path hostKeyFile;
    private final String hostname;

    public SandboxSftpServer(RequestStore store, Platform platform, Faults faults, Path dataDir, String bindHost,
            int port, String hostname) {
        this.store = store;
        this.hostname = hostname;
        this.hostKeyFile = dataDir.resolve("ssh").resolve("host_key");
        try {
            Files.createDirectories(hostKeyFile.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(hostKeyFile);
        hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        hostKeys.setKeySize(256);
        sshd.setHost(bindHost);
        sshd.setPort(port);
        sshd.setKeyPairProvider(hostKeys);
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        sshd.setPublickeyAuthenticator(this::authenticate);
        sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        // SFTP writes are acknowledged one by one: without TCP_NODELAY, Nagle and delayed ACKs stall them
        CoreModuleProperties.TCP_NODELAY.set(sshd, true);
        sshd.setFileSystemFactory(new VirtualFileSystemFactory() {
            @Override
            public Path getUserHomeDir(SessionContext session) {
                return requestOf(session.getUsername()) == null ? null : store.filesDir(idOf(session.getUsername()));
            }
        });
        SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder()
                .withFileSystemAccessor(new JailAccessor(this::requestOf))
                .build();
        sftp.addSftpEventListener(new TransferListener(platform, faults));
        sshd.setSubsystemFactories(List.of(sftp));
    }

    public void start() throws IOException {
        sshd.start();
        log.info("SFTP server on {}:{}, host key {}", sshd.getHost(), port(), hostKeyFingerprint());
        Files.writeString(hostKeyFile.resolveSibling("known_hosts"), knownHostsLine() + "\n", StandardCharsets.UTF_8);
    }

    /** Bytes clients wrote into files since the server started (what a resumed upload sent again shows here). */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    public int port() {
        return sshd.getPort();
    }

    /** The sandbox's SSH host key, which today's rsync windows serve too. */
    public KeyPairProvider hostKeys() {
        return sshd.getKeyPairProvider();
    }

    public PublicKey hostKey() {
        try {
            KeyPair pair = sshd.getKeyPairProvider().loadKeys(null).iterator().next();
            return pair.getPublic();
        } catch (Exception e) {
            throw new IllegalStateException("the SFTP host key cannot be read", e);
        }
    }

    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(hostKey());
    }

    /** The line an OpenSSH known_hosts file needs to trust this server (also written to ssh/known_hosts). */
    public String knownHostsLine() {
        String host = port() == 22 ? hostname : "[" + hostname + "]:" + port();
        return host + " " + PublicKeyEntry.toString(hostKey());
    }

    private boolean authenticate(String username, PublicKey key, ServerSession session) {
        UpgradeRequest r = requestOf(username);
        boolean open = r != null && (r.state == RequestState.DRAFT || r.state.isDelivered());
        boolean ok = open && AuthorizedKeys.contains(r.sshKeys, key);
        if (!ok) {
            log.info("SFTP login refused for {} from {}", username, session.getClientAddress());
        }
        return ok;
    }

    private UpgradeRequest requestOf(String username) {
        long id = idOf(username);
        return id < 0 ? null : store.get(id);
    }

    private static long idOf(String username) {
        if (username == null || !username.startsWith("user_")) {
            return -1;
        }
        try {
            return Long.parseLong(username.substring(5));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    /** Counts each handle's bytes for the cut and slow-line faults, and records an upload whenever a written file is closed. */
    private final class TransferListener implements SftpEventListener {
        private final Platform platform;
        private final Faults faults;
        private final Map<Handle, long[]> budgets = new ConcurrentHashMap<>();
        private final Map<Handle, Boolean> written = new ConcurrentHashMap<>();
        private final Map<Handle, TransferGauge.Transfer> inFlight = new ConcurrentHashMap<>();
        private final Map<Handle, ServerSession> sessions = new ConcurrentHashMap<>();

        TransferListener(Platform platform, Faults faults) {
            this.platform = platform;
            this.faults = faults;
        }

        @Override
        public void open(ServerSession session, String remoteHandle, Handle localHandle) {
            if (localHandle instanceof FileHandle file) {
                budgets.put(localHandle, new long[] {faults.cutPointForNewTransfer(), 0, System.nanoTime()});
                inFlight.put(localHandle, faults.transfers().begin(file.getOpenOptions().contains(StandardOpenOption.WRITE)
                        ? TransferGauge.Kind.SFTP_UPLOAD : TransferGauge.Kind.DOWNLOAD));
                sessions.put(localHandle, session);
            }
        }

        /** A session that ends with handles open (cut, killed) ends their transfers too: none stays "in flight". */
        @Override
        public void destroying(ServerSession session) {
            sessions.forEach((handle, s) -> {
                if (s == session) {
                    sessions.remove(handle);
                    budgets.remove(handle);
                    TransferGauge.Transfer t = inFlight.remove(handle);
                    if (t != null) {
                        t.close();
                    }
                }
            });
        }

        @Override
        public void writing(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                int dataOffset, int dataLen) throws IOException {
            written.put(localHandle, Boolean.TRUE);
            count(session, localHandle, dataLen);
        }

        @Override
        public void written(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                int dataOffset, int dataLen, Throwable thrown) {
            if (thrown == null) {
                bytesWritten.addAndGet(dataLen); // counted once on disk: a write cut by a dying session is not
            }
        }

        @Override
        public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                int dataOffset, int dataLen, int readLen, Throwable thrown) throws IOException {
            if (thrown == null && readLen > 0) {
                count(session, localHandle, readLen); // what was read: a request asks for more than a small file holds
            }
        }

        private void count(ServerSession session, Handle handle, int len) throws IOException {
            long[] budget = budgets.get(handle);
            if (budget == null) {
                return;
            }
            budget[1] += len;
            faults.pace(budget[1], budget[2]);
            if (budget[0] >= 0 && budget[1] > budget[0]) {
                log.info("SFTP transfer of {} cut after {} bytes (fault injection)", session.getUsername(), budget[0]);
                session.close(true);
                throw new IOException("transfer cut by fault injection");
            }
        }

        @Override
        public void closed(ServerSession session, String remoteHandle, Handle localHandle, Throwable thrown) {
            budgets.remove(localHandle);
            sessions.remove(localHandle);
            TransferGauge.Transfer t = inFlight.remove(localHandle);
            if (t != null) {
                t.close();
            }
            if (written.remove(localHandle) != null) {
                long id = idOf(session.getUsername());
                if (id >= 0) {
                    platform.sftpWritten(id);
                    // what a resumed upload is measured by (bench/resume-sftp.sh): bytes the server took, whatever was sent twice
                    log.info("request {}: SFTP upload file closed; {} bytes written over SFTP since the sandbox started", id,
                            bytesWritten.get());
                }
            }
        }
    }
}
