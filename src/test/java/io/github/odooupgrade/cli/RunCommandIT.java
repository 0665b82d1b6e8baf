package io.github.odooupgrade.cli;

import static io.github.odooupgrade.database.LocalPostgres.psql;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.github.odooupgrade.database.BusinessDatabases;
import io.github.odooupgrade.database.LocalPostgres;
import io.github.odooupgrade.run.RunJournal;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.Sandbox;
import io.github.odooupgrade.sandbox.SandboxFixture;
import io.github.odooupgrade.sandbox.SandboxOptions;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code odoo-upgrade run}, through the same entry point as the command line: an embedded engine,
 * the workers and the sandbox on this machine; the approval answered as a person would type it.
 */
class RunCommandIT {
    @TempDir
    Path out;

    @Test
    void withNoDumpGivenTheSampleIsUpgradedAndTheRunExitsZero() throws Exception {
        Outcome o = Outcome.main("", "run", "--output", out.toString(), "--poll-interval", "1s");

        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.out()).as("the rehearsal goes through TLS, as with the real service").contains("sandbox:  upgrade API https://127.0.0.1:");
        assertThat(o.out()).contains("> Validate the input", "> Create the upgrade request", "> Upload the dump over HTTPS",
                "> Start the upgrade", "> Check the request status", "> Download the upgraded dump");
        Matcher upgraded = Pattern.compile("upgraded: (.+)\\R").matcher(o.out());
        assertThat(upgraded.find()).isTrue();
        Path dump = Path.of(upgraded.group(1).trim());
        assertThat(dump).exists().hasFileName("upgraded_odoo-sample.sql");
        assertThat(o.out()).contains("sha256: " + Dumps.sha256(dump)).contains("size:   " + Files.size(dump) + " bytes");
        assertThat(Dumps.sha256(dump)).isEqualTo(Dumps.sha256(out.resolve("odoo-sample.sql")));
        assertThat(o.out()).doesNotContain(SandboxOptions.DEFAULT_CONTRACT);
    }

    @Test
    void onTodaysPlatformTheSampleIsUpgradedWithRsync() throws Exception {
        Outcome o = Outcome.main("", "run", "--platform", "current", "--output", out.toString(), "--poll-interval", "1s");

        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.out()).contains("> Upload the dump with rsync", "> Download the upgraded dump", "upgraded: " + out.resolve("request-1")
                .resolve("upgraded.dump"));
        assertThat(out.resolve("request-1/upgraded.dump/toc.dat")).exists();
    }

    @Test
    void aProductionRunWaitsForTheTerminalApproval() throws Exception {
        Path dump = Dumps.plain(out, "prod.sql", "15.4");
        Outcome o = Outcome.main("approve\nAda\nmaintenance window\n", "run", "--dump", dump.toString(), "--aim", "production",
                "--output", out.resolve("run").toString(), "--poll-interval", "1s", "--upload-method", "sftp");

        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.out()).contains("Approve the production upgrade", "PostgreSQL 15", "Approve or reject? [approve/reject]:",
                "> Upload the dump over SFTP");
        assertThat(o.out().indexOf("Approve or reject?")).isLessThan(o.out().indexOf("> Start the upgrade"));
    }

    @Test
    void aRejectedProductionRunExitsNonZeroWithTheReason() throws Exception {
        Path dump = Dumps.plain(out, "prod.sql", "15.4");
        Outcome o = Outcome.main("reject\nBob\nnot during the sale\n", "run", "--dump", dump.toString(), "--aim", "production",
                "--output", out.resolve("run").toString());

        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err()).contains("error: the production upgrade was not approved (by Bob: not during the sale)");
        assertThat(o.out()).doesNotContain("> Start the upgrade");
    }

    @Test
    void aLiveDatabaseIsUpgradedIntoANewDatabase() throws Exception {
        String source = "run_src_" + Long.toHexString(System.nanoTime());
        String restored = source + "_upgraded_13_0";
        try {
            partnersDatabase(source, 42);

            Outcome o = Outcome.main("", "run", "--database", source, "--restore", "--postgres-user", "postgres",
                    "--output", out.toString(), "--poll-interval", "1s");

            assertThat(o.exit()).as(o.err()).isZero();
            assertThat(o.out()).contains("> Dump the source database", "> Restore into a new database",
                    "restored into database " + restored);
            assertThat(psql(restored, "SELECT count(*) FROM res_partner")).isEqualTo("42");
        } finally {
            psql("postgres", "DROP DATABASE IF EXISTS " + restored);
            psql("postgres", "DROP DATABASE IF EXISTS " + source);
        }
    }

    @Test
    void aLiveDatabaseIsUpgradedThroughTodaysPlatformAndItsCopyDeleted() throws Exception {
        String source = "cur_src_" + Long.toHexString(System.nanoTime());
        String restored = source + "_upgraded";
        try {
            partnersDatabase(source, 42);

            Outcome o = Outcome.main("", "run", "--platform", "current", "--database", source, "--restore", "--restore-as", restored,
                    "--wipe", "--postgres-user", "postgres", "--output", out.toString(), "--poll-interval", "1s");

            assertThat(o.exit()).as(o.err()).isZero();
            assertThat(o.out()).contains("> Dump the source database", "> Upload the dump with rsync", "> Download the upgraded dump",
                    "> Restore into a new database", "> Delete the platform's copy", "restored into database " + restored);
            assertThat(psql(restored, "SELECT count(*) FROM res_partner")).isEqualTo("42");
            JsonNode request = new ObjectMapper().readTree(out.resolve("sandbox/requests/1/request.json").toFile());
            assertThat(request.path("api").asText()).isEqualTo("current");
            assertThat(request.path("archived").asBoolean()).isTrue();
            String token = request.path("token").asText();
            assertThat(token).hasSizeGreaterThan(10);
            assertThat(o.out() + o.err()).as("the token is a secret").doesNotContain(token);
            assertThat(Files.readString(out.resolve("run-journal.json"))).as("sealed in the journal").doesNotContain(token);
        } finally {
            psql("postgres", "DROP DATABASE IF EXISTS " + restored);
            psql("postgres", "DROP DATABASE IF EXISTS " + source);
        }
    }

    @Test
    void testFirstShowsTheAcceptanceReportAtTheTerminalThenUpgradesProduction(@TempDir Path filestores) throws Exception {
        String source = "tf_src_" + Long.toHexString(System.nanoTime());
        String restored = source + "_prod";
        List<String> made = new java.util.ArrayList<>(List.of(source, restored));
        try {
            BusinessDatabases.create(source, "17.0", filestores);

            Outcome o = Outcome.main("approve\nAda\ntried the invoices\n", "run", "--platform", "current", "--database", source,
                    "--aim", "production", "--test-first", "--restore-as", restored, "--postgres-user", "postgres",
                    "--output", out.toString(), "--poll-interval", "1s");
            Matcher test = Pattern.compile("test database: (\\S+)").matcher(o.out());
            if (test.find()) {
                made.add(test.group(1));
            }

            assertThat(o.exit()).as(o.err()).isZero();
            assertThat(o.out()).contains("Try the test database, then approve production", "No difference: " + source,
                    "Approve the production upgrade, or reject? [approve/reject]:", "restored into database " + restored);
            assertThat(o.out().indexOf("Approve the production upgrade, or reject?"))
                    .isLessThan(o.out().lastIndexOf("> Dump the source database"));
            assertThat(psql(restored, "SELECT count(*) FROM res_partner")).isEqualTo(Integer.toString(BusinessDatabases.PARTNERS));
            assertThat(out.resolve("request-1/acceptance-report.html")).content().contains("no difference");
        } finally {
            made.forEach(db -> psql("postgres", "DROP DATABASE IF EXISTS " + db));
        }
    }

    @Test
    void withoutAContractTodaysPlatformGetsTheOneTheDatabaseNames(@TempDir Path platformData) throws Exception {
        String source = "cur_code_" + Long.toHexString(System.nanoTime());
        String itsContract = "M777777-" + Long.toHexString(System.nanoTime());
        try (SandboxFixture platform = SandboxFixture.start(platformData, "--contracts", itsContract)) {
            partnersDatabase(source, 3);
            psql(source, "CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar NOT NULL UNIQUE, value text NOT NULL);"
                    + "INSERT INTO ir_config_parameter (key, value) VALUES ('database.enterprise_code', '" + itsContract + "')");

            Outcome o = Outcome.main("", "run", "--platform", "current", "--database", source, "--api-url", platform.sandbox.currentApiUrl(),
                    "--postgres-user", "postgres", "--output", out.toString(), "--poll-interval", "1s");

            assertThat(o.exit()).as(o.err()).isZero();
            assertThat(o.err()).contains("note: the contract is the one the database names (ir_config_parameter database.enterprise_code)");
            assertThat(platform.sandbox.store().all()).singleElement().satisfies(r -> assertThat(r.contract).isEqualTo(itsContract));
            assertThat(o.out() + o.err()).as("a contract is a secret").doesNotContain(itsContract);
        } finally {
            psql("postgres", "DROP DATABASE IF EXISTS " + source);
        }
    }

    /** A live database to upgrade: {@code partners} rows in res_partner. */
    private static void partnersDatabase(String name, int partners) {
        psql("postgres", "CREATE DATABASE " + name);
        psql(name, "CREATE TABLE res_partner (id serial PRIMARY KEY, name text);"
                + "INSERT INTO res_partner (name) SELECT 'p' || i FROM generate_series(1, " + partners + ") i;");
    }

    @Test
    void configurationErrorsAreOneLineEachAndNothingStarts() throws Exception {
        Outcome unreadable = Outcome.main("", "run", "--dump", out.resolve("nope.dump").toString(), "--output", out.toString());
        assertThat(unreadable.exit()).isEqualTo(2);
        assertThat(unreadable.err().lines()).singleElement().asString().startsWith("error: dumpFile").contains("does not exist");

        Outcome noContract = Outcome.main("", "run", "--api-url", "https://upgrade.odoo.com/database/v1", "--output", out.toString());
        assertThat(noContract.exit()).isEqualTo(2);
        assertThat(noContract.err().lines()).containsExactly(
                "error: --contract is missing: the upgrade service needs your Odoo Enterprise contract number",
                "error: --email is missing: the upgrade service writes to it about this upgrade");

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Outcome unreachable = Outcome.main("", "run", "--api-url", "http://127.0.0.1:" + closedPort + "/database/v1", "--contract", "M1-x",
                "--email", "a@b.co", "--output", out.toString());
        assertThat(unreachable.exit()).isEqualTo(2);
        assertThat(unreachable.err().lines()).singleElement().asString()
                .startsWith("error: the upgrade API at http://127.0.0.1:" + closedPort + "/database/v1 cannot be used")
                .contains("cannot connect");

        Outcome badUrl = Outcome.main("", "run", "--api-url", "upgrade.odoo.com", "--contract", "M1-x", "--email", "a@b.co", "--output", out.toString());
        assertThat(badUrl.exit()).isEqualTo(2);
        assertThat(badUrl.err().lines()).singleElement().asString().contains("--api-url upgrade.odoo.com is not a valid URL");

        Outcome noEngine = Outcome.main("", "run", "--camunda-grpc-address", "http://127.0.0.1:" + closedPort, "--camunda-rest-address",
                "http://127.0.0.1:" + closedPort, "--output", out.toString());
        assertThat(noEngine.exit()).isEqualTo(2);
        assertThat(noEngine.err().lines().filter(l -> l.startsWith("error: "))).singleElement().asString()
                .startsWith("error: the workers cannot start against the Camunda cluster").contains("Connection refused");
        assertThat(noEngine.err()).doesNotContain("\tat ", "Exception");

        Outcome mailWithoutServer = Outcome.main("", "run", "--notify-email", "ops@example.com", "--output", out.toString());
        assertThat(mailWithoutServer.exit()).isEqualTo(2);
        assertThat(mailWithoutServer.err().lines()).containsExactly(
                "error: --notify-email needs an SMTP server: give --smtp HOST[:PORT] or set SPRING_MAIL_HOST");
        Outcome badHook = Outcome.main("", "run", "--notify-webhook", "chat.example/hooks/x", "--output", out.toString());
        assertThat(badHook.err().lines()).singleElement().asString().startsWith("error: --notify-webhook is not an http(s) URL");

        Outcome sftpWithoutHostKey = Outcome.main("", "run", "--api-url", "https://upgrade.odoo.com/database/v1", "--contract", "M1-x",
                "--email", "a@b.co", "--upload-method", "sftp", "--output", out.toString());
        assertThat(sftpWithoutHostKey.err().lines()).singleElement().asString().contains("SFTP needs the server's host key");

        Outcome v1OptionsOnToday = Outcome.main("", "run", "--platform", "current", "--upload-method", "sftp", "--output", out.toString());
        assertThat(v1OptionsOnToday.exit()).isEqualTo(2);
        assertThat(v1OptionsOnToday.err().lines()).containsExactly(
                "error: --upload-method is v1's: today's platform takes dumps by rsync only (leave it out)");
        Outcome wipeOnV1 = Outcome.main("", "run", "--wipe", "--platform", "v2", "--output", out.toString());
        assertThat(wipeOnV1.err().lines()).containsExactly(
                "error: platformApi v2 is not known: choose v1 (the document's API) or current (the API Odoo's own client uses)",
                "error: wipeAfter is today's platform's: v1 has no wipe; leave it off, or choose the platform current");
    }

    @Test
    void theRunTellsTheWebhookAndTheMailboxItIsGivenAndKeepsTheWebhookOutOfItsJournal() throws Exception {
        List<String> posted = new CopyOnWriteArrayList<>();
        HttpServer chat = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        chat.createContext("/hooks/", ex -> {
            posted.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        chat.start();
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        // what the workers, the client and the sandbox log goes to the JVM's standard error (logback.xml), as at a terminal
        PrintStream stderr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                stderr.write(b);
                logs.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                stderr.write(b, off, len);
                logs.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
        try {
            Outcome o = Outcome.main("", "run", "--output", out.toString(), "--poll-interval", "1s",
                    "--notify-webhook", "http://127.0.0.1:" + chat.getAddress().getPort() + "/hooks/T0KEN-of-the-chat",
                    "--notify-email", "ops@example.com,dba@example.com", "--smtp", "127.0.0.1:" + smtp.getSmtp().getPort());

            assertThat(o.exit()).as(o.err()).isZero();
            assertThat(posted).singleElement().asString().contains("Upgraded: odoo-sample.sql to 13.0");
            assertThat(smtp.getReceivedMessages()).hasSize(2); // one per address
            assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("Upgraded: odoo-sample.sql to 13.0");
            assertThat(Files.readString(out.resolve("run-journal.json"))).doesNotContain("T0KEN").contains("dba@example.com");
            assertThat(o.out() + o.err()).as("the webhook's URL in what the run printed").doesNotContain("T0KEN");
            assertThat(logs.toString(StandardCharsets.UTF_8)).as("the run's log").contains("notified by webhook: Upgraded")
                    .doesNotContain("T0KEN");
        } finally {
            System.setErr(stderr);
            chat.stop(0);
            smtp.stop();
        }
    }

    @Test
    void aRunAgainstAnApiOverTlsTrustsTheCertificateItIsGivenAndOnlyThat(@TempDir Path platformData) throws Exception {
        try (Sandbox tls = Sandbox.start(SandboxOptions.parse("--data-dir", platformData.toString(), "--http-port", "0", "--sftp-port", "0",
                "--tls", "--pending", "200ms", "--progress", "200ms", "--test", "200ms"))) {
            Path dump = Dumps.plain(out, "tls.sql", "15.4");
            String[] common = {"run", "--dump", dump.toString(), "--api-url", tls.apiUrl(), "--contract", SandboxOptions.DEFAULT_CONTRACT,
                "--email", "ops@example.com", "--upload-method", "https", "--poll-interval", "1s"};

            Outcome untrusted = Outcome.main("", concat(common, "--output", out.resolve("untrusted").toString()));
            assertThat(untrusted.exit()).isEqualTo(2);
            assertThat(untrusted.err().lines()).singleElement().asString().contains("the TLS certificate of " + tls.apiUrl(), "is not trusted");

            Outcome trusted = Outcome.main("", concat(common, "--output", out.resolve("trusted").toString(), "--api-certificate",
                    tls.certificateFile().toString()));
            assertThat(trusted.exit()).as(trusted.err()).isZero();
            assertThat(trusted.out()).contains("sha256: " + Dumps.sha256(dump));
        }
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void aStepThatStopsOnAnIncidentEndsTheRunWithExitThree(@TempDir Path platformData) throws Exception {
        Path dump = Dumps.plain(out, "pinned.sql", "15.4");
        try (SandboxFixture platform = SandboxFixture.start(platformData)) {
            // another upgrade API (as the real service would be), and a pinned host key that is not its key
            Outcome o = Outcome.main("", "run", "--dump", dump.toString(), "--output", out.resolve("run").toString(),
                    "--api-url", platform.sandbox.apiUrl(), "--contract", SandboxOptions.DEFAULT_CONTRACT, "--email", "ops@example.com",
                    "--upload-method", "sftp", "--sftp-host-key", "SHA256:" + "A".repeat(43), "--poll-interval", "1s");

            assertThat(o.exit()).as(o.out() + o.err()).isEqualTo(3);
            assertThat(o.err()).contains("error: the run stopped at \"upload-sftp\" on an incident: the server's host key is not the trusted one");
        }
    }

    /**
     * A run whose restore stopped on an incident (exit 3) goes on with {@code resume} once the cause is fixed; a
     * platform still down when it starts is waited for during --api-wait, then exit 2 and the run stays resumable.
     */
    @Test
    void aRunStoppedOnAnIncidentIsResumedOnceItsCauseIsFixed(@TempDir Path platformData) throws Exception {
        String database = "resumed_" + Long.toHexString(System.nanoTime());
        Path tools = LocalPostgres.toolsWith(out.resolve("pgbin"), "echo 'could not extend file: No space left on device' >&2; exit 3",
                "full");
        Path dump = Dumps.plain(out, "stopped.sql", "15.4");
        Path run = out.resolve("run");
        try (SandboxFixture platform = SandboxFixture.start(platformData)) {
            Outcome stopped = Outcome.main("", "run", "--dump", dump.toString(), "--output", run.toString(), "--api-url",
                    platform.sandbox.apiUrl(), "--contract", SandboxOptions.DEFAULT_CONTRACT, "--email", "ops@example.com",
                    "--upload-method", "https", "--poll-interval", "1s", "--api-wait", "2s", "--restore-as", database,
                    "--postgres-user", "postgres", "--postgres-bin-dir", tools.toString());
            assertThat(stopped.exit()).as(stopped.out() + stopped.err()).isEqualTo(3);
            assertThat(stopped.err()).contains("error: the run stopped at \"restore-database\" on an incident", "No space left on device");

            platform.sandbox.faults().failNextCalls(1_000); // the platform is down when the operator comes back
            Outcome waited = Outcome.main("", "resume", "--output", run.toString());
            assertThat(waited.exit()).as(waited.out() + waited.err()).isEqualTo(2);
            assertThat(waited.err().lines()).filteredOn(l -> l.startsWith("error:")).singleElement().asString()
                    .contains("was still busy after PT2S (--api-wait)");

            platform.sandbox.faults().reset();
            Files.delete(tools.resolve("full")); // room on the disk again
            Outcome resumed = Outcome.main("", "resume", "--output", run.toString());

            assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();
            assertThat(resumed.out()).doesNotContain("> Create the upgrade request", "> Upload the dump");
            assertThat(psql(database, "SELECT name FROM res_partner")).isEqualTo("Admin");
            assertThat(platform.sandbox.store().all()).filteredOn(r -> r.filename.equals("stopped.sql")).hasSize(1);
        } finally {
            psql("postgres", "DROP DATABASE IF EXISTS " + database);
        }
    }

    /** A finished run's folder takes the next run: a new journal and request; the results of the first stay where they were. */
    @Test
    void aFinishedRunsFolderIsTakenByTheNextRun() throws Exception {
        Outcome first = Outcome.main("", "run", "--output", out.toString(), "--poll-interval", "1s");
        assertThat(first.exit()).as(first.err()).isZero();
        long firstRequest = RunJournal.read(out).orElseThrow().requestId();

        Outcome second = Outcome.main("", "run", "--output", out.toString(), "--poll-interval", "1s");

        assertThat(second.exit()).as(second.err()).isZero();
        RunJournal journal = RunJournal.read(out).orElseThrow();
        assertThat(journal.finished()).isTrue();
        assertThat(journal.requestId()).isNotEqualTo(firstRequest);
        assertThat(out.resolve("request-" + firstRequest).resolve("upgraded_odoo-sample.sql")).exists();
        assertThat(out.resolve("request-" + journal.requestId()).resolve("upgraded_odoo-sample.sql")).exists();
    }
}
