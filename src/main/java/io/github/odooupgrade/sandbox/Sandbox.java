package io.github.odooupgrade.sandbox;

import io.github.odooupgrade.sandbox.http.SandboxHttpServer;
import io.github.odooupgrade.sandbox.sftp.SandboxSftpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local upgrade platform: HTTP API, SFTP server and request lifecycle over one data folder.
 * {@code Sandbox.start(options)} gives a running platform; close it to stop both servers.
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
        StatusView.Urls urls = new StatusView.Urls(options.publicUrl(http.port()), options.region);
        http.start(platform, faults, options.normalizedBasePath(), urls, this::sftpAccessView, clock);
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
        try {
            sftp.close();
        } catch (IOException e) {
            log.warn("SFTP server did not stop cleanly: {}", e.getMessage());
        }
    }
}
