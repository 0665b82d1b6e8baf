package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.github.odooupgrade.database.OdooDatabases;
import io.github.odooupgrade.engine.EmbeddedEngine.OpenUserTask;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import io.github.odooupgrade.secrets.SecretForms;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The model's listeners tell a person through a webhook and by mail: a user task waiting for them,
 * and how the run ended — received by a real HTTP listener and a real SMTP server (GreenMail) on
 * loopback, with no secret in them; a channel that is down does not stop the upgrade.
 */
class NotificationsTest extends ProcessTestCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    /** Every message the webhook was sent, whatever it answered. */
    private static final List<String> ATTEMPTED = new CopyOnWriteArrayList<>();
    private static volatile int answer = 200;
    private static final HttpServer CHAT = chat();
    private static final GreenMail SMTP = started();
    /** Where the workers send their mail: relays to SMTP, or is down, and counts the connections either way. */
    private static final SmtpFront MAIL = new SmtpFront(SMTP.getSmtp().getPort());

    private static GreenMail started() {
        GreenMail server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        server.start();
        return server;
    }

    /** The mails received, each as "subject\nbody". */
    private static List<String> mails() throws Exception {
        List<String> all = new ArrayList<>();
        for (MimeMessage m : SMTP.getReceivedMessages()) {
            all.add(m.getSubject() + "\n" + GreenMailUtil.getBody(m));
        }
        return all;
    }

    private static HttpServer chat() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/hooks/upgrades", ex -> {
                String text = JSON.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).path("text").asText();
                ATTEMPTED.add(text);
                if (answer == 200) {
                    RECEIVED.add(text);
                }
                ex.sendResponseHeaders(answer, -1);
                ex.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void webhook(DynamicPropertyRegistry r) {
        r.add("upgrade.notify.webhook-url", () -> "http://127.0.0.1:" + CHAT.getAddress().getPort() + "/hooks/upgrades");
        r.add("upgrade.notify.backoff", () -> "PT0.05S");
        r.add("upgrade.notify.email-to", () -> "ops@example.com");
        r.add("spring.mail.host", () -> "127.0.0.1");
        r.add("spring.mail.port", MAIL::port);
        r.add("upgrade.notify.tasklist-url", () -> "https://camunda.example/");
        r.add("upgrade.notify.operate-url", () -> "https://camunda.example");
    }

    private final OdooDatabases.Scratch databases = new OdooDatabases.Scratch();

    @AfterEach
    void reset() throws Exception {
        databases.dropAll();
        SMTP.purgeEmailFromAllMailboxes();
        RECEIVED.clear();
        ATTEMPTED.clear();
        MAIL.up(true);
        answer = 200;
    }

    private static List<String> about(String dumpName) {
        return RECEIVED.stream().filter(m -> m.contains(dumpName)).toList();
    }

    @Test
    void anApprovalWaitingAndTheUpgradedRunAreToldWithNoSecretInThem() throws Exception {
        ProcessRecords run = start(input(Dumps.plain(dumps, "told.sql", "15.4"), "production", "https"));

        OpenUserTask approval = run.awaitUserTask(Element.APPROVE_PRODUCTION, RUN);
        await().atMost(RUN).until(() -> !about("told.sql").isEmpty());
        assertThat(about("told.sql").get(0)).startsWith("Approval needed: production upgrade of told.sql")
                .contains("waits for an approval", "to 13.0 (request " + run.variable(Var.REQUEST_ID).asText() + ")")
                .contains("Open the task in Tasklist: https://camunda.example/tasklist/" + approval.key() + "\n")
                .endsWith("The run in Operate: https://camunda.example/operate/processes/" + run.instance());
        ENGINE.completeUserTask(approval.key(), Map.of(Var.APPROVAL, "approve", Var.APPROVER, "Ada"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.variable(Var.RUN_OUTCOME).asText()).isEqualTo("upgraded");
        await().atMost(RUN).until(() -> about("told.sql").size() == 2);
        assertThat(about("told.sql").get(1)).startsWith("Upgraded: told.sql to 13.0")
                .contains(run.variable(Var.UPGRADED_DUMP).asText(), run.variable(Var.UPGRADED_DUMP_SHA256).asText())
                .contains("Dump sent: told.sql (" + run.variable(Var.DUMP_SIZE).asText() + " bytes)")
                .containsPattern("\nTook \\d+ s \\(started " + run.variable(Var.STARTED_AT).asText() + "\\)\n");
        UpgradeRequest request = SANDBOX.store().get(run.variable(Var.REQUEST_ID).asLong());
        assertThat(SecretForms.foundIn(about("told.sql"), SecretForms.of(request.key))).as("the request key").isNull();
        assertThat(SecretForms.foundIn(about("told.sql"), SecretForms.of(SandboxOptions.DEFAULT_CONTRACT))).as("the contract").isNull();

        // the same two, by mail
        await().atMost(RUN).until(() -> mails().stream().filter(m -> m.contains("told.sql")).count() == 2);
        List<String> mails = mails().stream().filter(m -> m.contains("told.sql")).toList();
        assertThat(mails).anyMatch(m -> m.startsWith("Approval needed: production upgrade of told.sql\n"))
                .anyMatch(m -> m.startsWith("Upgraded: told.sql to 13.0\n") && m.contains(run.variable(Var.UPGRADED_DUMP_SHA256).asText()));
        assertThat(SMTP.getReceivedMessages()[0].getAllRecipients()[0].toString()).isEqualTo("ops@example.com");
        assertThat(SecretForms.foundIn(mails, SecretForms.of(request.key))).as("the request key in a mail").isNull();
        assertThat(SecretForms.foundIn(mails, SecretForms.of(SandboxOptions.DEFAULT_CONTRACT))).as("the contract in a mail").isNull();
    }

    @Test
    void theApprovalAfterATestIsToldWithWhatTheTestProvedAndItsApproverIsRemindedWhileItWaits() throws Exception {
        Path dump = Dumps.plain(dumps, "remind.sql", "15.4");
        Map<String, Object> in = input(dump, "production", "https");
        in.put(Var.TEST_FIRST, true);
        in.put(Var.APPROVAL_REMINDER, "PT1S");

        ProcessRecords run = start(in);

        OpenUserTask approval = run.awaitUserTask(Element.APPROVE_AFTER_TEST, RUN);
        databases.dropLater(run.variable(Var.TEST_DATABASE).asText());
        await().atMost(RUN).until(() -> about("remind.sql").stream().anyMatch(m -> m.startsWith("Reminder: ")));
        assertThat(about("remind.sql").get(0)).startsWith("Try the test database, approve production: remind.sql")
                .contains("is restored into " + run.variable(Var.TEST_DATABASE).asText())
                .contains("Acceptance report: " + run.variable(Var.ACCEPTANCE_SUMMARY).asText())
                .contains("Open the task in Tasklist: https://camunda.example/tasklist/" + approval.key());
        assertThat(about("remind.sql")).filteredOn(m -> m.startsWith("Reminder: ")).first().asString()
                .startsWith("Reminder: Try the test database, approve production: remind.sql\nStill waiting: the test upgrade");
        assertThat(run.openUserTasksOfFamily()).as("the reminder leaves the task open").extracting(OpenUserTask::key)
                .containsExactly(approval.key());
        ENGINE.completeUserTask(approval.key(), Map.of(Var.APPROVAL, "reject", Var.APPROVER, "Ada", Var.APPROVAL_COMMENT, "not today"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_TEST_NOT_APPROVED);
        await().atMost(RUN).until(() -> about("remind.sql").stream().anyMatch(m -> m.startsWith("Run ended: production not approved")));
    }

    @Test
    void aRefusedRunIsToldWithThePlatformsReason() throws Exception {
        Map<String, Object> in = input(Dumps.plain(dumps, "refused.sql", "15.4"), "test", "https");
        in.put(Var.TARGET, "5.0");

        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_REQUEST_REJECTED);
        await().atMost(RUN).until(() -> RECEIVED.stream().anyMatch(m -> m.startsWith("Run ended: refused by the platform")));
        assertThat(RECEIVED).filteredOn(m -> m.startsWith("Run ended")).singleElement().asString().contains("target 5.0 is not valid");
    }

    @Test
    void aWebhookAndAMailServerThatAreDownAreTriedThreeTimesAndDoNotStopTheUpgrade() throws Exception {
        answer = 503;
        MAIL.up(false);
        int connections = MAIL.connections();

        ProcessRecords run = start(input(Dumps.plain(dumps, "unheard.sql", "15.4"), "test", "https"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.incidents()).isEmpty();
        // the end's message, tried three times on each channel, then let go
        await().atMost(RUN).until(() -> MAIL.connections() - connections == 3 && ATTEMPTED.size() == 3);
        assertThat(ATTEMPTED).allMatch(m -> m.startsWith("Upgraded: unheard.sql to 13.0"));
        Thread.sleep(500); // a fourth try would come 50 ms after the third
        assertThat(MAIL.connections() - connections).as("connections to the mail server").isEqualTo(3);
        assertThat(ATTEMPTED).as("webhook calls").hasSize(3);
        assertThat(mails()).noneMatch(m -> m.contains("unheard.sql"));
    }

    @Test
    void aMessageTheWebhookRefusesIsNotSentAgain() throws Exception {
        answer = 404; // a chat tool's answer to a webhook that was deleted

        ProcessRecords run = start(input(Dumps.plain(dumps, "refused-hook.sql", "15.4"), "test", "https"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        await().atMost(RUN).until(() -> mails().stream().anyMatch(m -> m.startsWith("Upgraded: refused-hook.sql"))); // sent after the webhook
        assertThat(ATTEMPTED).filteredOn(m -> m.contains("refused-hook.sql")).hasSize(1);
    }

    /**
     * An SMTP server's front on a port of its own: relays each connection to the real server while up; while down,
     * answers as a server that cannot take mail now (421) and hangs up. Counts connections: the mail channel's tries.
     */
    private static final class SmtpFront {
        private final ServerSocket socket;
        private final int target;
        private final AtomicInteger connections = new AtomicInteger();
        private volatile boolean up = true;

        SmtpFront(int target) {
            this.target = target;
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        void up(boolean up) {
            this.up = up;
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    connections.incrementAndGet();
                    if (up) {
                        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                        Thread.ofVirtual().start(() -> pipe(client, server));
                        Thread.ofVirtual().start(() -> pipe(server, client));
                    } else {
                        try (client) {
                            client.getOutputStream().write("421 4.3.2 Service not available, closing channel\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                } catch (IOException e) {
                    // the next connection
                }
            }
        }

        private static void pipe(Socket from, Socket to) {
            try (from; to) {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException closed) {
                // either side hung up
            }
        }
    }
}
