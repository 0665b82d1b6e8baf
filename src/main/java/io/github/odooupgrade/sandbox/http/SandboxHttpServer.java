package io.github.odooupgrade.sandbox.http;

import com.sun.net.httpserver.HttpServer;
import io.github.odooupgrade.sandbox.Faults;
import io.github.odooupgrade.sandbox.Platform;
import io.github.odooupgrade.sandbox.StatusView;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The sandbox's HTTP server (the JDK's own: request bodies are streams, so a dump of any size
 * goes straight to disk). One virtual thread per exchange.
 */
public class SandboxHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public SandboxHttpServer(String bindHost, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
        server.setExecutor(executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Mounts the API and the file URLs; the answers' URLs need the port, hence after bind. */
    public void start(Platform platform, Faults faults, String basePath, StatusView.Urls urls,
            Function<UpgradeRequest, Map<String, Object>> sftpAccessView, Clock clock) {
        server.createContext(basePath, new ApiHandler(platform, faults, basePath, urls, sftpAccessView, clock));
        server.createContext("/database/", new FileHandler(platform, faults, urls.region(), new HtmlPages(platform, urls, clock)));
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
