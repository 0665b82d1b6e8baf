package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.odooupgrade.api.CurrentApiClient;
import io.github.odooupgrade.api.CurrentRef;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.database.OdooDatabases;
import io.github.odooupgrade.engine.EmbeddedEngine.OpenUserTask;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.TransferGauge;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import io.github.odooupgrade.secrets.SecretForms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The same model and workers against today's platform (the sandbox's JSON-RPC API, dumps moved with the real rsync over
 * ssh): a test upgrade, a production one approved from a live database restored with its rows and filestore, a refusal
 * at create, a failed upgrade reviewed and tried again, a PostgreSQL too old for the result, the platform's copy deleted.
 */
class CurrentPlatformProcessTest extends ProcessTestCase {
    private final OdooDatabases.Scratch databases = new OdooDatabases.Scratch();

    @AfterEach
    void dropDatabases() {
        databases.dropAll();
    }

    private static Map<String, Object> current(Path dump, String aim) {
        Map<String, Object> in = input(dump, aim, Value.METHOD_AUTO);
        in.put(Var.PLATFORM_API, Value.PLATFORM_CURRENT);
        in.put(Var.TARGET, "18.0");
        in.remove(Var.EMAIL); // today's platform does not ask for one
        return in;
    }

    private UpgradeRequest requestOf(ProcessRecords run) {
        return SANDBOX.store().get(run.variable(Var.REQUEST_ID).asLong());
    }

    @Test
    void aTestUpgradeGoesThroughTodaysPlatformWithRsync() throws Exception {
        ProcessRecords run = start(current(Dumps.plain(dumps, "today.sql", "15.4"), "test"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        UpgradeRequest request = requestOf(run);
        assertThat(request.isCurrent()).isTrue();
        assertThat(run.timesCompleted("upload-rsync")).isEqualTo(1);
        assertThat(run.timesCompleted("upload-https") + run.timesCompleted("upload-sftp") + run.timesCompleted("skip-test")).isZero();
        Path upgraded = Path.of(run.variable(Var.UPGRADED_DUMP).asText());
        assertThat(upgraded).isDirectory().hasFileName("upgraded.dump");
        assertThat(upgraded.resolve("toc.dat")).exists();
        assertThat(run.variable(Var.UPGRADED_DUMP_SHA256).asText()).hasSize(64);
        assertThat(run.variable(Var.PLATFORM_LOG).asText()).contains("done: upgraded.dump");
        assertThat(upgraded.resolveSibling("platform.log")).content().contains("upgrade of request " + request.id);
        assertThat(run.variable(Var.NOTES_FILE).asText()).endsWith("upgrade-report.html");
        // the token and the request's private key travel sealed: in clear in no variable, ever
        assertThat(run.everyVariableValue().filter(v -> SecretForms.foundIn(List.of(v), SecretForms.of(request.token)) != null))
                .isEmpty();
        assertThat(run.variable(Var.SSH_KEY_SEALED).asText()).startsWith("sealed:v1:");
    }

    @Test
    void aProductionUpgradeOfALiveDatabaseIsApprovedThenRestoredWithItsRowsAndFilestore() throws Exception {
        String source = databases.name("live");
        Path filestoreRoot = ROOT.resolve("filestore"); // the fixture's upgrade.postgres.filestore-root
        OdooDatabases.create(source, 123, filestoreRoot);
        String restored = databases.name("restored");
        Map<String, Object> in = current(null, "production");
        in.remove(Var.DUMP_FILE);
        in.put(Var.SOURCE_DATABASE, source);
        in.put(Var.RESTORE, true);
        in.put(Var.RESTORE_DATABASE, restored);

        ProcessRecords run = start(in);

        OpenUserTask approval = run.awaitUserTask(Element.APPROVE_PRODUCTION, RUN);
        assertThat(run.timesCompleted("start-processing")).as("nothing processed before the approval").isZero();
        ENGINE.completeUserTask(approval.key(), Map.of(Var.APPROVAL, Value.APPROVE, Var.APPROVER, "Ada"));
        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(Path.of(run.variable(Var.DUMP_FILE).asText())).as("the live database, dumped in the directory format").isDirectory();
        assertThat(OdooDatabases.counts(restored)).isEqualTo(OdooDatabases.counts(source));
        assertThat(OdooDatabases.filestore(filestoreRoot.resolve(restored))).isEqualTo(OdooDatabases.filestore(filestoreRoot.resolve(source)))
                .hasSize(2);
    }

    @Test
    void aCustomFormatDumpAndAnOdooZipWithItsFilestoreAreUpgradedAndRestored() throws Exception {
        String source = databases.name("kinds");
        OdooDatabases.create(source, 57, null);
        Path custom = pgDump(source, "custom", dumps.resolve("kinds.dump"));
        Path zip = Dumps.odooZip(dumps, "kinds.zip", Files.readString(pgDump(source, "plain", dumps.resolve("kinds.sql"))), true);
        String fromCustom = databases.name("from_custom");
        String fromZip = databases.name("from_zip");

        ProcessRecords customRun = start(restoring(current(custom, "test"), fromCustom));
        ProcessRecords zipRun = start(restoring(current(zip, "test"), fromZip));

        assertThat(customRun.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(zipRun.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(SANDBOX.store().dataDir(requestOf(customRun).id).resolve("origin.dump")).as("sent as a custom archive").isRegularFile();
        assertThat(SANDBOX.store().dataDir(requestOf(zipRun).id).resolve("origin.zip")).as("sent as Odoo's backup").isRegularFile();
        assertThat(OdooDatabases.counts(fromCustom)).isEqualTo(OdooDatabases.counts(source));
        assertThat(OdooDatabases.counts(fromZip)).isEqualTo(OdooDatabases.counts(source));
        assertThat(Path.of(zipRun.variable(Var.RESTORED_FILESTORE).asText()).resolve("ab/ab12cd")).as("the zip's filestore, upgraded")
                .hasBinaryContent(new byte[] {1, 2, 3});
    }

    private static Map<String, Object> restoring(Map<String, Object> in, String database) {
        in.put(Var.RESTORE, true);
        in.put(Var.RESTORE_DATABASE, database);
        return in;
    }

    /** pg_dump of {@code database} in {@code format} (plain, custom) to {@code file}. */
    private static Path pgDump(String database, String format, Path file) throws Exception {
        Process p = new ProcessBuilder("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--no-owner", "--format", format, "-f", file.toString(),
                database).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(said).isZero();
        return file;
    }

    @Test
    void aTargetThePlatformRefusesEndsTheRunWithItsSentence() throws Exception {
        Map<String, Object> in = current(Dumps.plain(dumps, "too-old.sql", "15.4"), "test");
        in.put(Var.TARGET, "13.0");

        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_REQUEST_REJECTED);
        assertThat(run.variable(Var.REJECTION).asText()).contains("The target version 13.0 is not available; choose one of 17.0, 18.0, 19.0.");
    }

    @Test
    void aFailedUpgradeIsReviewedAndTriedAgainWithANewRequest() throws Exception {
        SANDBOX.faults().failFilenames(Pattern.compile("^origin\\.sql$"));
        ProcessRecords run = start(current(Dumps.plain(dumps, "twice.sql", "15.4"), "test"));

        OpenUserTask review = run.awaitUserTask(Element.REVIEW_FAILURE, RUN);
        long first = run.variable(Var.REQUEST_ID).asLong();
        assertThat(run.variable(Var.REQUEST_STATE).asText()).isEqualTo("failed");
        SANDBOX.faults().failFilenames(null);
        ENGINE.completeUserTask(review.key(), Map.of(Var.REVIEW, Value.RETRY));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        long second = run.variable(Var.REQUEST_ID).asLong();
        assertThat(second).isNotEqualTo(first);
        assertThat(run.variable(Var.PLATFORM_LOG).asText()).as("the new request's log, read from its start")
                .contains("upgrade of request " + second + " to 18.0 (test) started");
    }

    @Test
    void anUpgradeForANewerPostgresIsDownloadedButNotRestoredAndSaysWhy() throws Exception {
        SANDBOX.faults().pgIncompatible(true);
        Map<String, Object> in = current(Dumps.plain(dumps, "newer.sql", "15.4"), "test");
        String restored = databases.name("never");
        in.put(Var.RESTORE, true);
        in.put(Var.RESTORE_DATABASE, restored);

        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.timesCompleted("restore-database")).isZero();
        assertThat(run.variable(Var.RESTORE_SKIPPED).asText()).contains("needs a newer PostgreSQL");
        assertThat(Path.of(run.variable(Var.UPGRADED_DUMP).asText())).isDirectory();
    }

    @Test
    void thePlatformsCopyIsDeletedAtTheEndWhenAsked() throws Exception {
        Map<String, Object> in = current(Dumps.plain(dumps, "wiped.sql", "15.4"), "test");
        in.put(Var.WIPE_AFTER, true);

        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        UpgradeRequest request = requestOf(run);
        assertThat(request.archived).isTrue();
        assertThat(run.variable(Var.WIPED).asText()).isEqualTo("the platform deleted its copy of request " + request.id);
        try (var files = Files.list(SANDBOX.store().dataDir(request.id))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anRsyncUploadCutMidwayGoesOnFromWhatArrived() throws Exception {
        Path dump = Dumps.sqlWithRows(dumps.resolve("cut.sql"), 3_000_000, 7);
        long sentBefore = SANDBOX.faults().transfers().bytes(TransferGauge.Kind.RSYNC_UPLOAD);
        SANDBOX.faults().cutTransfers(1_500_000, 1);

        ProcessRecords run = start(current(dump, "test"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.timesCompleted("upload-rsync")).isEqualTo(1);
        assertThat(SANDBOX.faults().transfers().bytes(TransferGauge.Kind.RSYNC_UPLOAD) - sentBefore)
                .as("bytes sent by both attempts: the first's part once, not twice").isLessThan(4_000_000);
        assertThat(Files.size(SANDBOX.store().dataDir(requestOf(run).id).resolve("origin.sql"))).isEqualTo(Files.size(dump));
    }

    @Test
    void aRequestWipedElsewhereWhileItRunsGoesToTheReview() throws Exception {
        SANDBOX.faults().holdFilenames(Pattern.compile("^origin\\.sql$"));
        ProcessRecords run = start(current(Dumps.plain(dumps, "gone.sql", "15.4"), "test"));
        await().atMost(RUN).until(() -> run.variable(Var.REQUEST_STATE) != null && run.variable(Var.REQUEST_STATE).asText().equals("progress"));
        UpgradeRequest request = requestOf(run);

        // someone with the token (Odoo's own client, the support) deletes the platform's copy
        new CurrentApiClient(UpgradeClientConfig.of(SANDBOX.currentApiUrl()))
                .wipe(new CurrentRef(request.id, request.token, SANDBOX.hostUri()), request.contract);

        OpenUserTask review = run.awaitUserTask(Element.REVIEW_FAILURE, RUN);
        assertThat(run.variable(Var.PLATFORM).path("archived").asBoolean()).isTrue();
        assertThat(run.timesCompleted("download")).isZero();
        ENGINE.completeUserTask(review.key(), Map.of(Var.REVIEW, Value.ABANDON));
        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_ABANDONED);
    }
}
