package io.github.odooupgrade.sandbox;

import io.github.odooupgrade.sandbox.http.SandboxHttpServer;
import io.github.odooupgrade.sandbox.rsync.RsyncWindows;
import io.github.odooupgrade.sandbox.sftp.SandboxSftpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local upgrade platform over one data folder, speaking both APIs: the document's v1 (HTTP API and SFTP)
 * and today's (JSON-RPC on the same HTTP port, rsync over SSH through a window per transfer), with the
 * request lifecycle behind both. {@code Sandbox.start(options)} gives a running platform; close it to stop it.
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);

    private final SandboxOptions options;
    private final Faults faults;
    private final RequestStore store;
    private final Lifecycle lifecycle;
    private final Platform platform;
    private final SandboxHttpServer http;
    private final SandboxSftpServer sftp;
    private final RsyncWindows windows;
    private final SandboxTls tls;

    private Sandbox(SandboxOptions options) throws IOException {
        Clock clock = Clock.systemUTC();
        this.options = options;
        this.faults = new Faults(options);
        this.store = new RequestStore(options.dataDir);
        this.lifecycle = new Lifecycle(store, options, faults, clock);
        this.platform = new Platform(store, lifecycle, options, clock);
        this.tls = options.tls ? SandboxTls.loadOrCreate(options.dataDir, List.of(options.bindHost, options.sftpHostname()))
                : null;
        this.http = new SandboxHttpServer(options.bindHost, options.httpPort, tls == null ? null : tls.sslContext());
        this.sftp = new SandboxSftpServer(store, platform, faults, options.dataDir, options.bindHost, options.sftpPort,
                options.sftpHostname());
        sftp.start();
        this.windows = new RsyncWindows(store, faults, sftp.hostKeys(), options.bindHost, options.transferIdle);
        CurrentPlatform current = new CurrentPlatform(store, lifecycle, windows, faults, options, this::hostUri, clock);
        StatusView.Urls urls = new StatusView.Urls(options.publicUrl(http.port()), options.region);
        http.start(platform, current, faults, options.normalizedBasePath(), urls, this::sftpAccessView, clock);
        lifecycle.resumeAll();
        log.info("upgrade sandbox ready: API {}, SFTP {}:{}, data in {}", apiUrl(), options.sftpHostname(), sftp.port(),
                options.dataDir.toAbsolutePath());
        if (tls != null) {
            log.info("TLS certificate {} ({}): clients trust this file", tls.certificateFile().toAbsolutePath(), tls.fingerprint());
        }
    }

    public static Sandbox start(SandboxOptions options) {
        try {
            return new Sandbox(options);
        } catch (IOException e) {
            throw new UncheckedIOException("the sandbox cannot start: " + e.getMessage(), e);
        }
    }

    /** The base URL of the API methods, e.g. {@code http://127.0.0.1:8780/database/v1}. */
    public String apiUrl() {
        String base = options.normalizedBasePath();
        return options.publicUrl(http.port()) + base.substring(0, base.length() - 1);
    }

    /**
     * Where today's API sends a client after create (assigned_host_uri, host_uri): the host alone when the sandbox
     * serves HTTPS on 443, as Odoo's client writes {@code https://} + it; {@code host:port} otherwise.
     */
    public String hostUri() {
        URI url = URI.create(options.publicUrl(http.port()));
        int port = url.getPort() < 0 ? ("https".equals(url.getScheme()) ? 443 : 80) : url.getPort();
        return "https".equals(url.getScheme()) && port == 443 ? url.getHost() : url.getHost() + ":" + port;
    }

    /** Today's API's base, e.g. {@code https://127.0.0.1:8780} (its calls are under /upgrade/request/). */
    public String currentApiUrl() {
        return options.publicUrl(http.port());
    }

    /** The rsync windows of today's API (tests look at them). */
    public RsyncWindows rsyncWindows() {
        return windows;
    }

    public int httpPort() {
        return http.port();
    }

    public int sftpPort() {
        return sftp.port();
    }

    public SandboxSftpServer sftp() {
        return sftp;
    }

    /** The HTTPS certificate clients trust, or null when the sandbox serves plain HTTP. */
    public Path certificateFile() {
        return tls == null ? null : tls.certificateFile().toAbsolutePath();
    }

    public Faults faults() {
        return faults;
    }

    public RequestStore store() {
        return store;
    }

    /** Abandons a request as the platform would (the API has no cancel method). */
    public UpgradeRequest cancel(long id, String message) {
        return lifecycle.cancel(id, message);
    }

    private Map<String, Object> sftpAccessView(UpgradeRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostname", options.sftpHostname());
        m.put("sftp_port", sftp.port());
        m.put("sftp_user", r.sftpUser());
        m.put("shared_file", r.filename);
        m.put("request_id", r.id);
        m.put("sample_command", "sftp -P " + sftp.port() + " " + r.sftpUser() + "@" + options.sftpHostname());
        return m;
    }

    @Override
    public void close() {
        lifecycle.close();
        http.close();
        windows.close();
        try {
            sftp.close();
        } catch (IOException e) {
            log.warn("SFTP server did not stop cleanly: {}", e.getMessage());
        }
    }
}
