package io.github.odooupgrade.sandbox.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.odooupgrade.sandbox.Failure;
import io.github.odooupgrade.sandbox.FailureException;
import io.github.odooupgrade.sandbox.Faults;
import io.github.odooupgrade.sandbox.TransferGauge;
import io.github.odooupgrade.sandbox.Platform;
import io.github.odooupgrade.sandbox.StatusView;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The v1 methods under the base path. Every answer is a JSON object with a {@code failures} list;
 * a refusal by the platform is HTTP 200 with failures (the seed's examples read failures, not the
 * status code); only injected faults answer 5xx.
 */
final class ApiHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final Platform platform;
    private final Faults faults;
    private final String basePath;
    private final StatusView.Urls urls;
    private final Function<UpgradeRequest, Map<String, Object>> sftpAccessView;
    private final Clock clock;

    ApiHandler(Platform platform, Faults faults, String basePath, StatusView.Urls urls,
            Function<UpgradeRequest, Map<String, Object>> sftpAccessView, Clock clock) {
        this.platform = platform;
        this.faults = faults;
        this.basePath = basePath;
        this.urls = urls;
        this.sftpAccessView = sftpAccessView;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestURI().getPath().substring(basePath.length());
        if (faults.callFails()) {
            log.info("{}: answered 503 (fault injection)", method);
            Exchanges.text(ex, 503, "text/html", "<html><body><h1>503 Service Unavailable</h1>"
                    + "<p>The upgrade platform is overloaded (sandbox fault injection).</p></body></html>");
            return;
        }
        try {
            Map<String, Object> answer = switch (method) {
                case "create" -> withRequest(platform.create(Params.of(ex, true)));
                case "upload" -> upload(ex);
                case "request_sftp_access" -> {
                    Map<String, String> p = Params.of(ex, true);
                    UpgradeRequest r = platform.requestSftpAccess(platform.authorize(p), p.get("ssh_keys"));
                    yield answer(sftpAccessView.apply(r));
                }
                case "process" -> {
                    platform.process(platform.authorize(Params.of(ex, true)));
                    yield answer(null);
                }
                case "skip_test" -> {
                    platform.skipTest(platform.authorize(Params.of(ex, true)));
                    yield answer(null);
                }
                case "status" -> {
                    Map<String, Object> status = withRequest(platform.authorize(Params.of(ex, true)));
                    faults.statusAnswered();
                    yield status;
                }
                default -> {
                    Exchanges.json(ex, 404, failures(List.of(Failure.of("METHOD:UNKNOWN",
                            "Unknown method \"" + method + "\"; the methods are create, upload, request_sftp_access, "
                                    + "process, skip_test and status"))));
                    yield null;
                }
            };
            int lost = answer == null ? -1 : faults.lostAnswerStatus();
            if (lost > 0) {
                log.info("{}: handled, then answered {} (fault injection: a proxy that lost the answer)", method, lost);
                Exchanges.text(ex, lost, "text/html", "<html><body><h1>" + lost + "</h1>"
                        + "<p>The gateway lost the upgrade platform's answer (sandbox fault injection).</p></body></html>");
            } else if (answer != null) {
                Exchanges.json(ex, 200, answer);
            }
        } catch (FailureException e) {
            Exchanges.json(ex, 200, failures(e.failures()));
        } catch (Exchanges.ConnectionCut e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("{} failed", method, e);
            Exchanges.json(ex, 500, failures(List.of(Failure.of("SERVER:ERROR", "Internal error of the sandbox: " + e))));
        }
    }

    private Map<String, Object> upload(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            throw new FailureException(Failure.of("METHOD:NOT_ALLOWED",
                    "upload takes the dump as the body of a POST (Content-Type: application/octet-stream)"));
        }
        UpgradeRequest r = platform.authorize(Params.of(ex, false));
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        long contentLength = length == null ? -1 : Long.parseLong(length.trim());
        InputStream body = new Exchanges.CuttingInputStream(ex.getRequestBody(), faults.cutPointForNewTransfer(), faults);
        try (TransferGauge.Transfer t = faults.transfers().begin(TransferGauge.Kind.HTTP_UPLOAD)) {
            platform.upload(r, body, contentLength);
        } catch (IOException e) {
            // the client went away or sent less than it announced: nothing was kept, nothing to answer
            log.info("request {}: HTTP upload broke: {}", r.id, e.getMessage());
            throw new Exchanges.ConnectionCut(e.getMessage());
        }
        return answer(null);
    }

    private Map<String, Object> withRequest(UpgradeRequest r) {
        Long size = platform.currentFilesize(r);
        return answer(StatusView.of(r, urls, platform.lifecycle(), size, clock.instant()));
    }

    private static Map<String, Object> answer(Map<String, Object> request) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("failures", List.of());
        if (request != null) {
            m.put("request", request);
        }
        return m;
    }

    private static Map<String, Object> failures(List<Failure> failures) {
        return Map.of("failures", failures);
    }
}
