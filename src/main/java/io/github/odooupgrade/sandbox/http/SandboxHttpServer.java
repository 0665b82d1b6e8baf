package io.github.odooupgrade.sandbox.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.odooupgrade.sandbox.CurrentPlatform;
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
import javax.net.ssl.SSLContext;

/**
 * The sandbox's HTTP server (the JDK's own: request bodies are streams, so a dump of any size
 * goes straight to disk), serving both APIs on one port: the document's v1 under its base path
 * (and the files its answers link to), today's under {@code /upgrade/request/}. One virtual thread
 * per exchange.
 */
public class SandboxHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /** Plain HTTP when {@code tls} is null, else HTTPS with that context. */
    public SandboxHttpServer(String bindHost, int port, SSLContext tls) throws IOException {
        if (tls == null) {
            server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
        } else {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(bindHost, port), 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.setExecutor(executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Mounts the API and the file URLs; the answers' URLs need the port, hence after bind. */
    public void start(Platform platform, CurrentPlatform current, Faults faults, String basePath, StatusView.Urls urls,
            Function<UpgradeRequest, Map<String, Object>> sftpAccessView, Clock clock) {
        server.createContext(basePath, new ApiHandler(platform, faults, basePath, urls, sftpAccessView, clock));
        server.createContext(RpcHandler.PATH, new RpcHandler(current, faults));
        server.createContext("/database/", new FileHandler(platform, faults, urls.region(), new HtmlPages(platform, urls, clock)));
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
