package io.github.odooupgrade.sandbox.rsync;

import io.github.odooupgrade.files.Executables;
import io.github.odooupgrade.sandbox.AuthorizedKeys;
import io.github.odooupgrade.sandbox.Faults;
import io.github.odooupgrade.sandbox.Refusal;
import io.github.odooupgrade.sandbox.RequestState;
import io.github.odooupgrade.sandbox.RequestStore;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Today's API moves dumps with rsync over SSH, through a window per transfer: {@code transfer/start} opens an
 * SSH server (Apache MINA SSHD) of its own on a free port, {@code transfer/stop} closes it, and so does
 * {@link #idle} without a connection. Odoo's client reuses one key for every request, so the port, not the key,
 * says which request a connection is for. A window lets in the user {@code odoo} with the request's key and
 * nothing else, and runs nothing but rsync's server side, through Debian's {@code rrsync} confined to the
 * request's folder — {@code rrsync -wo} for an upload (while the request is new), {@code -ro} for a download
 * (once it is done), {@code -munge} so that a link sent can point nowhere — and only on paths under
 * {@code /data}. No shell, no other command, no subsystem, no forwarding.
 */
public final class RsyncWindows implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RsyncWindows.class);
    public static final String USER = "odoo";
    /** The restricted rsync on the server side: Debian's rsync package has it. */
    private static final String RRSYNC = "rrsync";

    /** What a window is for: rsync writing into /data, or reading from it. */
    public enum Direction {
        UPLOAD("-wo"), DOWNLOAD("-ro");

        final String rrsyncFlag;

        Direction(String rrsyncFlag) {
            this.rrsyncFlag = rrsyncFlag;
        }
    }

    private final RequestStore store;
    private final Faults faults;
    private final KeyPairProvider hostKeys;
    private final PublicKey hostKey;
    private final String bindHost;
    private final Duration idle;
    private final Map<Long, Window> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-rsync-windows");
        t.setDaemon(true);
        return t;
    });

    /** @param hostKeys the sandbox's SSH host key (the SFTP server's): clients get it in transfer/start's known_hosts */
    public RsyncWindows(RequestStore store, Faults faults, KeyPairProvider hostKeys, String bindHost, Duration idle) {
        this.store = store;
        this.faults = faults;
        this.hostKeys = hostKeys;
        this.bindHost = bindHost;
        this.idle = idle;
        try {
            this.hostKey = hostKeys.loadKeys(null).iterator().next().getPublic();
        } catch (Exception e) {
            throw new IllegalStateException("the sandbox's SSH host key cannot be read: " + e.getMessage(), e);
        }
        long every = Math.max(100, Math.min(1000, idle.toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::closeIdle, every, every, TimeUnit.MILLISECONDS);
    }

    /** Opens the request's window for this direction (the one already open, when it is so), and answers its port. */
    public int open(long requestId, Direction direction) {
        if (Executables.find(RRSYNC) == null) {
            throw new Refusal("The platform cannot take rsync transfers now (the sandbox lacks rrsync: install Debian's rsync package).");
        }
        Window current = open.get(requestId);
        if (current != null && current.direction == direction) {
            current.touch();
            return current.port();
        }
        close(requestId);
        Window w = new Window(requestId, direction);
        open.put(requestId, w);
        return w.port();
    }

    /** Closes the request's window, if one is open; connections in it end. */
    public void close(long requestId) {
        Window w = open.remove(requestId);
        if (w != null) {
            w.close();
        }
    }

    /** The known_hosts line a client trusts the window's server by ({@code [host]:port type key}). */
    public String knownHostsLine(String host, int port) {
        return (port == 22 ? host : "[" + host + "]:" + port) + " " + PublicKeyEntry.toString(hostKey);
    }

    /** The window's port, or -1 when the request has none open (tests). */
    public int portOf(long requestId) {
        Window w = open.get(requestId);
        return w == null ? -1 : w.port();
    }

    private void closeIdle() {
        long now = System.nanoTime();
        for (Window w : List.copyOf(open.values())) {
            if (w.connections.get() == 0 && now - w.lastActivity > idle.toNanos()) {
                log.info("request {}: {} window on port {} closed after {} without a connection", w.requestId,
                        w.direction.name().toLowerCase(), w.port(), idle);
                open.remove(w.requestId, w);
                w.close();
            }
        }
    }

    /** Why this command may not run in this window (a sentence for the client's terminal), or null when it may. */
    String refusal(Window w, String command) {
        UpgradeRequest r = store.get(w.requestId);
        if (r == null || r.archived) {
            return "the request's data is gone";
        }
        if (w.direction == Direction.UPLOAD && r.state != RequestState.DRAFT) {
            return "this window takes uploads while the request is new; it is " + r.state.wire();
        }
        if (w.direction == Direction.DOWNLOAD && r.state != RequestState.DONE) {
            return "this window serves the upgraded database once the request is done; it is " + r.state.wire();
        }
        List<String> words = CommandFactory.split(command);
        if (words.size() < 2 || !words.get(0).equals("rsync") || !words.contains("--server")) {
            return "only rsync runs here (rsync -e ssh … " + USER + "@host:/data/…)";
        }
        if (words.contains("--sender") != (w.direction == Direction.DOWNLOAD)) {
            return w.direction == Direction.UPLOAD ? "this window takes uploads only" : "this window serves downloads only";
        }
        int dot = words.indexOf(".");
        List<String> paths = dot < 0 ? List.of() : words.subList(dot + 1, words.size());
        for (String p : paths) {
            String path = p.startsWith("/") ? p.substring(1) : p;
            if (!(path.equals("data") || path.startsWith("data/"))) {
                return "only /data is offered here, not " + p;
            }
        }
        return paths.isEmpty() ? "name a path under /data" : null;
    }

    /** rrsync's command for the window: confined to the request's folder, one direction, links munged, no lock shared across requests. */
    List<String> rrsyncCommand(Window w) {
        return List.of(Executables.find(RRSYNC).toString(), "-no-lock", "-munge", w.direction.rrsyncFlag, store.remoteDir(w.requestId).toString());
    }

    Faults faults() {
        return faults;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        for (Long id : new ArrayList<>(open.keySet())) {
            close(id);
        }
    }

    /** One window: its own SSH server, for one request and one direction. */
    final class Window {
        final long requestId;
        final Direction direction;
        final AtomicInteger connections = new AtomicInteger();
        volatile long lastActivity = System.nanoTime();
        private final SshServer sshd = SshServer.setUpDefaultServer();

        Window(long requestId, Direction direction) {
            this.requestId = requestId;
            this.direction = direction;
            sshd.setHost(bindHost);
            sshd.setPort(0);
            sshd.setKeyPairProvider(hostKeys);
            sshd.setPasswordAuthenticator(null);
            sshd.setKeyboardInteractiveAuthenticator(null);
            sshd.setGSSAuthenticator(null);
            sshd.setHostBasedAuthenticator(null);
            sshd.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && open.get(requestId) == this
                    && AuthorizedKeys.contains(sshKeyOf(requestId), key));
            sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
            sshd.setShellFactory(null);
            sshd.setSubsystemFactories(List.of());
            sshd.setCommandFactory((channel, command) -> new RrsyncCommand(command, this, RsyncWindows.this));
            // AES-GCM only: the JDK runs it on the processor's AES instructions, while the Java ChaCha20 an OpenSSH
            // client would otherwise pick costs the sandbox more CPU than the transfer (bench/current-api.sh)
            sshd.setCipherFactories(List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm));
            CoreModuleProperties.TCP_NODELAY.set(sshd, true);
            sshd.addSessionListener(new SessionListener() {
                @Override
                public void sessionCreated(Session session) {
                    connections.incrementAndGet();
                    touch();
                }

                @Override
                public void sessionClosed(Session session) {
                    connections.decrementAndGet();
                    touch();
                }
            });
            try {
                sshd.start();
            } catch (IOException e) {
                throw new UncheckedIOException("the rsync window of request " + requestId + " cannot open: " + e.getMessage(), e);
            }
        }

        int port() {
            return sshd.getPort();
        }

        void touch() {
            lastActivity = System.nanoTime();
        }

        void close() {
            try {
                sshd.stop(true);
            } catch (IOException e) {
                log.warn("request {}: the rsync window on port {} did not close cleanly: {}", requestId, port(), e.getMessage());
            }
        }
    }

    private String sshKeyOf(long requestId) {
        UpgradeRequest r = store.get(requestId);
        return r == null ? null : r.sshKey;
    }
}
