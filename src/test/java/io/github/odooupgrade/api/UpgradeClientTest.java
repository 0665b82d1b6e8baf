package io.github.odooupgrade.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.SandboxFixture;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.secrets.Redact;
import io.github.odooupgrade.transfer.FileRequestBody;
import io.github.odooupgrade.transfer.TransferProgress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The API client against the sandbox's real HTTP server: every method, every failure shape, retries. */
class UpgradeClientTest {
    @TempDir
    static Path files;
    @RegisterExtension
    static final SandboxFixture platform = SandboxFixture.perClass();
    static UpgradeClient client;

    @BeforeAll
    static void start() {
        client = new UpgradeClient(UpgradeClientConfig.of(platform.sandbox.apiUrl())
                .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(50)));
    }

    static CreateParams params(String filename) {
        return new CreateParams(SandboxOptions.DEFAULT_CONTRACT, "ops@example.com", "13.0", "test", filename);
    }

    @Test
    void everyMethodFromCreateToDone() throws Exception {
        RequestStatus created = client.create(params("shop.sql"));
        assertThat(created.state()).isEqualTo("draft");
        assertThat(created.outcome()).isEqualTo(RequestStatus.Outcome.RUNNING);
        RequestRef ref = created.ref();

        client.upload(ref, FileRequestBody.of(Dumps.plain(files, "shop.sql", "12.4"), TransferProgress.NONE));
        RequestStatus uploaded = client.status(ref);
        assertThat(uploaded.compressions()).containsExactly("sql");
        assertThat(uploaded.postgresql()).isEqualTo("12");

        client.skipTest(ref);
        client.process(ref);
        RequestStatus status = Requests.awaitEnd(client, ref);
        assertThat(status.state()).isEqualTo("delivered");
        assertThat(status.outcome()).isEqualTo(RequestStatus.Outcome.SUCCEEDED);
        assertThat(status.upgradedDumpUrl()).contains("/upgraded/archive");
    }

    @Test
    void requestSftpAccessAnswersWhereToConnect() {
        RequestRef ref = client.create(params("sftp.dump")).ref();
        SftpAccess access = client.requestSftpAccess(ref, "# ops\n" + io.github.odooupgrade.transfer.SshKeyPair.generateEd25519("t").publicKey());
        assertThat(access.sftpUser()).isEqualTo("user_" + ref.id());
        assertThat(access.sftpPort()).isEqualTo(platform.sandbox.sftpPort());
        assertThat(access.sharedFile()).isEqualTo("sftp.dump");
        assertThat(access.upgradedFile()).isEqualTo("upgraded_sftp.dump");
    }

    @Test
    void aRejectedCreateCarriesEveryFailureAndSaysWhatToDo() {
        CreateParams bad = new CreateParams("M123456-abcxyz", "ops@example.com", "5.0", "test", "db.dump");

        assertThatThrownBy(() -> client.create(bad))
                .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> {
                    assertThat(e.failures()).extracting(ApiFailure::reason).containsExactlyInAnyOrder("TARGET:INVALID", "CONTRACT:NOT_FOUND");
                    assertThat(e.getMessage()).contains("target 5.0 is not valid; expected one of 11.0, 12.0, 13.0")
                            .contains("the contract number was not found");
                    assertThat(e.getMessage()).doesNotContain("M123456-abcxyz");
                    ApiFailure target = e.failures().stream().filter(f -> f.reason().equals("TARGET:INVALID")).findFirst().orElseThrow();
                    assertThat(target.value()).isEqualTo("5.0");
                    assertThat(target.expected()).containsExactly("11.0", "12.0", "13.0");
                    ApiFailure contract = e.failures().stream().filter(f -> f.reason().equals("CONTRACT:NOT_FOUND")).findFirst().orElseThrow();
                    assertThat(contract.code()).as("the contract number is redacted from the failure too").isEqualTo("***");
                    assertThat(contract.message()).doesNotContain("M123456-abcxyz");
                });
    }

    @Test
    void wrongStateAndWrongKeyAreRejectionsNotFaults() {
        RequestRef ref = client.create(params("early.dump")).ref();
        assertThatThrownBy(() -> client.process(ref)).isInstanceOfSatisfying(UpgradeRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo("DUMP:MISSING"));
        assertThatThrownBy(() -> client.status(new RequestRef(ref.id(), "AAAAAAAAAAAAAAAAAAAAAA==")))
                .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.reason()).isEqualTo("REQUEST:NOT_FOUND"));
    }

    @Test
    void a503IsRetriedForIdempotentCalls() {
        RequestRef ref = client.create(params("retry.dump")).ref();
        platform.sandbox.faults().failNextCalls(2);

        assertThat(client.status(ref).id()).isEqualTo(ref.id());
    }

    @Test
    void retriesAreBounded() {
        RequestRef ref = client.create(params("bounded.dump")).ref();
        platform.sandbox.faults().failNextCalls(3);

        assertThatThrownBy(() -> client.status(ref)).isInstanceOfSatisfying(UpgradeTechnicalException.class, e -> {
            assertThat(e.kind()).isEqualTo(UpgradeTechnicalException.Kind.HTTP_STATUS);
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.isTransient()).isTrue();
        });
        platform.sandbox.faults().failNextCalls(0);
    }

    @Test
    void createIsSentAgainAfterA503AndMakesOneRequest() {
        int before = platform.sandbox.store().all().size();
        platform.sandbox.faults().failNextCalls(1); // "unable to handle the request now": nothing was created

        assertThat(client.create(params("again.dump")).id()).isPositive();
        assertThat(platform.sandbox.store().all()).hasSize(before + 1);
    }

    @Test
    void createIsSentAgainWhenTheConnectionWasRefused() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        UpgradeClient nowhere = new UpgradeClient(UpgradeClientConfig.of("http://127.0.0.1:" + closedPort + "/database/v1")
                .withRetries(3, Duration.ofMillis(5), Duration.ofMillis(10)));
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(HttpTransport.class)).addAppender(log);
        try {
            assertThatThrownBy(() -> nowhere.create(params("refused.dump"))).isInstanceOfSatisfying(UpgradeTechnicalException.class,
                    e -> assertThat(e.neverSent()).isTrue());
        } finally {
            ((Logger) LoggerFactory.getLogger(HttpTransport.class)).detachAppender(log);
        }
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).filteredOn(m -> m.startsWith("create failed"))
                .as("sent three times in all").hasSize(2);
    }

    @Test
    void createIsNotSentAgainWhenItsAnswerWasLost() {
        int before = platform.sandbox.store().all().size();
        platform.sandbox.faults().loseNextAnswers(1, 504); // created, then a gateway answered 504

        assertThatThrownBy(() -> client.create(params("once.dump"))).isInstanceOfSatisfying(UpgradeTechnicalException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(504);
            assertThat(e.notHandled()).isFalse();
        });
        assertThat(platform.sandbox.store().all()).as("one request: not a second one").hasSize(before + 1);
    }

    @Test
    void createIsNotSentAgainAfterTheConnectionBrokeOnceItWasSent() throws Exception {
        // a server that reads the whole request, then closes without an answer
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            AtomicInteger received = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                        int length = 0;
                        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                                length = Integer.parseInt(line.substring(15).trim());
                            }
                        }
                        in.skip(length);
                        received.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            UpgradeClient resetting = new UpgradeClient(UpgradeClientConfig.of("http://127.0.0.1:" + server.getLocalPort() + "/v1")
                    .withRetries(3, Duration.ofMillis(5), Duration.ofMillis(10)));

            assertThatThrownBy(() -> resetting.create(params("reset.dump"))).isInstanceOfSatisfying(UpgradeTechnicalException.class,
                    e -> assertThat(e.notHandled()).isFalse());
            assertThat(received.get()).as("sent once").isEqualTo(1);
        }
    }

    /**
     * A server that takes the request's first bytes, then reads no more: the upload's write timeout (kept by
     * UploadWatch, not okio's watchdog) gives up on it as a timeout, instead of waiting for ever on a full socket.
     */
    @Test
    void anUploadTheServerStopsTakingIsGivenUpAfterTheWriteTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    held.add(server.accept()); // accepted, never read
                } catch (IOException closed) {
                    // the test ended
                }
            });
            UpgradeClient patient = new UpgradeClient(UpgradeClientConfig.of("http://127.0.0.1:" + server.getLocalPort() + "/v1")
                    .withRetries(1, Duration.ofMillis(5), Duration.ofMillis(10)).withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500)));
            RequestBody endless = new RequestBody() { // 1 GiB of zeros, far more than the socket's buffers hold
                @Override
                public MediaType contentType() {
                    return MediaType.get("application/octet-stream");
                }

                @Override
                public long contentLength() {
                    return 1L << 30;
                }

                @Override
                public void writeTo(BufferedSink sink) throws IOException {
                    byte[] block = new byte[1 << 20];
                    for (int i = 0; i < 1024; i++) {
                        sink.write(block);
                        sink.emit();
                    }
                }
            };

            UpgradeTechnicalException stalled = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> catchThrowableOfType(UpgradeTechnicalException.class, () -> patient.upload(new RequestRef(1, "k"), endless)));
            assertThat(stalled).as("the stalled upload's fault").isNotNull();
            assertThat(stalled.kind()).isEqualTo(UpgradeTechnicalException.Kind.TIMEOUT);
            assertThat(stalled).hasMessageContaining("took no byte of the dump for PT0.5S");
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void processIsSentAgainOnlyWhenTheServiceDidNotActOnIt() {
        RequestRef ref = client.create(params("p.sql")).ref();
        client.upload(ref, FileRequestBody.of(writeSql("p.sql"), TransferProgress.NONE));
        platform.sandbox.faults().loseNextAnswers(1, 502);

        assertThatThrownBy(() -> client.process(ref)).isInstanceOf(UpgradeTechnicalException.class);
        assertThat(client.status(ref).state()).as("the lost answer's call took effect, and was not sent again").isEqualTo("pending");

        RequestRef other = client.create(params("p2.sql")).ref();
        client.upload(other, FileRequestBody.of(writeSql("p2.sql"), TransferProgress.NONE));
        platform.sandbox.faults().failNextCalls(1);
        client.process(other); // a 503, then sent again
        assertThat(client.status(other).state()).isEqualTo("pending");
    }

    @Test
    void aRetryAfterIsWaitedFor() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        server.createContext("/", ex -> {
            arrivals.add(System.nanoTime());
            byte[] body = arrivals.size() == 1 ? "busy".getBytes(StandardCharsets.UTF_8)
                    : "{\"failures\": [], \"request\": {\"id\": 7, \"state\": \"draft\"}}".getBytes(StandardCharsets.UTF_8);
            if (arrivals.size() == 1) {
                ex.getResponseHeaders().set("Retry-After", "1");
            }
            ex.sendResponseHeaders(arrivals.size() == 1 ? 503 : 200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            UpgradeClient c = new UpgradeClient(UpgradeClientConfig.of("http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
                    .withRetries(2, Duration.ofMillis(5), Duration.ofMillis(10)));

            assertThat(c.status(new RequestRef(7, "k")).state()).isEqualTo("draft");
            assertThat(arrivals).hasSize(2);
            assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).as("the service asked for a second; the backoff is 5 ms")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void retryAfterIsReadInSecondsOrAsADate() {
        ZonedDateTime now = ZonedDateTime.of(2026, 11, 25, 8, 0, 0, 0, ZoneOffset.UTC);
        assertThat(Resend.retryAfter("120", now)).isEqualTo(Duration.ofMinutes(2));
        assertThat(Resend.retryAfter("Wed, 25 Nov 2026 08:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Resend.retryAfter("soon", now)).isNull();
        assertThat(Resend.retryAfter(null, now)).isNull();
    }

    private static Path writeSql(String name) {
        try {
            return Dumps.plain(files, name, "15.1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aConnectionRefusedIsAConnectionFault() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        UpgradeClient nowhere = new UpgradeClient(UpgradeClientConfig.of("http://127.0.0.1:" + closedPort + "/database/v1")
                .withRetries(2, Duration.ofMillis(5), Duration.ofMillis(10)));
        assertThatThrownBy(() -> nowhere.status(new RequestRef(1, "k")))
                .isInstanceOfSatisfying(UpgradeTechnicalException.class, e -> {
                    assertThat(e.kind()).isEqualTo(UpgradeTechnicalException.Kind.CONNECTION);
                    assertThat(e.getMessage()).contains("cannot connect to http://127.0.0.1:" + closedPort);
                });
    }

    /** A server that answers whatever we tell it to: for the shapes the sandbox never sends. */
    private static String withServer(int status, String contentType, String body, Function<UpgradeClient, String> use)
            throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/", ex -> {
            calls.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        try {
            return use.apply(new UpgradeClient(UpgradeClientConfig.of("http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
                    .withRetries(2, Duration.ofMillis(5), Duration.ofMillis(10)))) + " calls=" + calls.get();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBodyThatIsNotTheServicesJsonIsAClearTechnicalError() throws Exception {
        String outcome = withServer(200, "text/html", "<html>Welcome to our portal</html>", c -> {
            try {
                c.status(new RequestRef(1, "secretkey123"));
                return "no error";
            } catch (UpgradeTechnicalException e) {
                assertThat(e.kind()).isEqualTo(UpgradeTechnicalException.Kind.BAD_RESPONSE);
                assertThat(e.isTransient()).isFalse();
                return e.getMessage();
            }
        });
        assertThat(outcome).isEqualTo("status: the answer is not the upgrade service's JSON (HTTP 200, text/html): "
                + "<html>Welcome to our portal</html> calls=1");
    }

    @Test
    void unknownFieldsAndUnknownStatesAreTolerated() throws Exception {
        String outcome = withServer(200, "application/json", """
                {"failures": [], "new_top_level": 1,
                 "request": {"id": 7, "key": "k", "state": "archived", "brand_new_field": {"x": [1, 2]}, "compressions": ["zstd"]}}
                """, c -> {
            RequestStatus s = c.status(new RequestRef(7, "k"));
            return s.state() + "/" + s.outcome() + "/" + s.compressions();
        });
        assertThat(outcome).isEqualTo("archived/RUNNING/[zstd] calls=1");
    }

    @Test
    void toStringsNeverShowSecrets() {
        RequestStatus s = new RequestStatus(3, "SeCrEtKeY==", "a@b.c", "13.0", "test", "f", null, "done", null, null,
                "http://h/database/eu1/3/SeCrEtKeY==/status", null, null, null, null, "http://h/database/eu1/3/SeCrEtKeY==/upgraded/archive",
                null, null, null, null, null, null, null, null, null, null, null, List.of());
        List<String> printed = new ArrayList<>(List.of(s.toString(), s.ref().toString(),
                new CreateParams("M999-secret", "a@b.c", "13.0", "test", "f").toString()));
        assertThat(printed).noneMatch(p -> p.contains("SeCrEtKeY") || p.contains("M999-secret"));
        assertThat(Redact.url("http://h/database/eu1/3/SeCrEtKeY==/upgraded/archive")).isEqualTo("http://h/database/eu1/3/***/upgraded/archive");
        assertThat(Redact.url("http://h/database/v1/upload?key=SeCrEtKeY%3D%3D&request=3")).isEqualTo("http://h/database/v1/upload?key=***&request=3");
    }
}
