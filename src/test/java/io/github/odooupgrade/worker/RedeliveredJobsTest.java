package io.github.odooupgrade.worker;

import static io.github.odooupgrade.database.LocalPostgres.psql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.CreateParams;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.database.DatabaseRestore;
import io.github.odooupgrade.database.LocalPostgres;
import io.github.odooupgrade.process.InputValidator;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.SandboxFixture;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.secrets.Sealer;
import io.github.odooupgrade.transfer.FileRequestBody;
import io.github.odooupgrade.transfer.TransferProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Zeebe delivers a job at least once: each worker here gets the job again after its work was done
 * (a crash before completing, a timeout) and must recognise that work instead of doing it twice. No
 * job lease is given: a worker that started its work again would fail on it.
 */
class RedeliveredJobsTest {
    @TempDir
    Path output;
    @RegisterExtension
    static final SandboxFixture platform = SandboxFixture.perClass("--pending", "1h");
    static UpgradeClient client;
    static ProcessSecrets secrets;
    final List<String> dropAfter = new ArrayList<>();

    @BeforeAll
    static void start() {
        client = new UpgradeClient(UpgradeClientConfig.of(platform.sandbox.apiUrl()).withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20)));
        secrets = new ProcessSecrets(Sealer.fromBase64Key(Sealer.newBase64Key()), null);
    }

    @AfterEach
    void dropDatabases() {
        dropAfter.forEach(db -> psql("postgres", "DROP DATABASE IF EXISTS " + db));
    }

    private UpgradeProperties properties() {
        return new Binder(new MapConfigurationPropertySource(Map.of("upgrade.output-dir", output.toString(),
                "upgrade.postgres.host", "127.0.0.1", "upgrade.postgres.user", "postgres"))).bind("upgrade", UpgradeProperties.class).get();
    }

    private static ActivatedJob job(long instance, Map<String, Object> variables) {
        ActivatedJob job = mock(ActivatedJob.class);
        when(job.getProcessInstanceKey()).thenReturn(instance);
        when(job.getKey()).thenReturn(instance + 1);
        when(job.getVariablesAsMap()).thenReturn(variables);
        return job;
    }

    private static Map<String, Object> requestVariables(RequestRef ref) {
        Map<String, Object> vars = new HashMap<>();
        vars.put(Var.REQUEST_ID, ref.id());
        vars.put(Var.REQUEST_KEY_SEALED, secrets.seal(ref.key()));
        return vars;
    }

    @Test
    void theDumpWorkerReusesTheDumpItMadeForTheInstance() throws Exception {
        UpgradeProperties p = properties();
        // what the first delivery wrote; the database itself does not exist: dumping it again would fail
        Path made = Files.createDirectories(output.resolve("source")).resolve("gone_db-42.dump");
        Files.writeString(made, "the first delivery's dump");
        DumpDatabaseWorker worker = new DumpDatabaseWorker(new WorkerConfiguration.Databases(p.postgres()),
                new InputValidator(null, 1024, Duration.ofMinutes(5), Duration.ofDays(2)), null, p);

        Map<String, Object> out = worker.dump(job(42, new HashMap<>(Map.of(Var.SOURCE_DATABASE, "gone_db", Var.UPLOAD_METHOD, "auto"))));

        assertThat(out).containsEntry(Var.DUMP_FILE, made.toAbsolutePath().toString()).containsEntry(Var.DUMP_SIZE, 25L);
        assertThat(made).hasContent("the first delivery's dump");
    }

    @Test
    void theRestoreWorkerRecognisesTheDatabaseItRestoredAndNoOtherOne() throws Exception {
        UpgradeProperties p = properties();
        Path dump = Dumps.plain(output, "upgraded_db.sql", "15.4");
        String sha = Dumps.sha256(dump);
        String mine = "redelivered_" + UUID.randomUUID().toString().substring(0, 8);
        dropAfter.add(mine);
        new DatabaseRestore(LocalPostgres.PG, 1).restore(dump, mine, null, "odoo-upgrade restore of sha256:" + sha);
        psql(mine, "INSERT INTO res_partner VALUES (2, 'written after the restore')");
        RestoreDatabaseWorker worker = new RestoreDatabaseWorker(new WorkerConfiguration.Databases(p.postgres()), null);
        Map<String, Object> vars = Map.of(Var.RESTORE_DATABASE, mine, Var.UPGRADED_DUMP, dump.toString(), Var.UPGRADED_DUMP_SHA256, sha);

        assertThat(worker.restore(job(7, vars))).containsEntry(Var.RESTORED_DATABASE, mine);
        assertThat(psql(mine, "SELECT count(*) FROM res_partner")).as("not restored again").isEqualTo("2");

        // a database of that name that this restore did not make is never taken for its own (the restore then refuses the name)
        String other = "someone_elses_" + UUID.randomUUID().toString().substring(0, 8);
        dropAfter.add(other);
        psql("postgres", "CREATE DATABASE " + other);
        assertThat(new DatabaseRestore(LocalPostgres.PG, 1).restoredAlready(other, "odoo-upgrade restore of sha256:" + sha)).isFalse();
    }

    @Test
    void aRestoreOfTodaysPlatformDeliveredAgainAfterTheDatabaseMergesTheFilestoreItHadNotYetMerged() throws Exception {
        Path filestores = Files.createDirectories(output.resolve("filestore"));
        UpgradeProperties p = new Binder(new MapConfigurationPropertySource(Map.of("upgrade.output-dir", output.toString(),
                "upgrade.postgres.host", "127.0.0.1", "upgrade.postgres.user", "postgres",
                "upgrade.postgres.filestore-root", filestores.toString()))).bind("upgrade", UpgradeProperties.class).get();
        Path dump = Dumps.plain(Files.createDirectories(output.resolve("request-9")), "upgraded.sql", "15.4");
        Files.writeString(Files.createDirectories(dump.resolveSibling("filestore/0a")).resolve("0a1b"), "from the platform");
        Files.writeString(Files.createDirectories(filestores.resolve("shop/0c")).resolve("0c2d"), "from the source");
        String sha = Dumps.sha256(dump);
        String mine = "redelivered_" + UUID.randomUUID().toString().substring(0, 8);
        dropAfter.add(mine);
        // the first delivery restored the database, then died before the filestore
        new DatabaseRestore(LocalPostgres.PG, 1).restore(dump, mine, null, "odoo-upgrade restore of sha256:" + sha);
        RestoreDatabaseWorker worker = new RestoreDatabaseWorker(new WorkerConfiguration.Databases(p.postgres()), null);
        Map<String, Object> vars = Map.of(Var.RESTORE_DATABASE, mine, Var.UPGRADED_DUMP, dump.toString(), Var.UPGRADED_DUMP_SHA256, sha,
                Var.PLATFORM_API, "current", Var.SOURCE_DATABASE, "shop");

        assertThat(worker.restore(job(9, vars))).containsEntry(Var.RESTORED_FILESTORE, filestores.resolve(mine).toString());
        assertThat(filestores.resolve(mine + "/0a/0a1b")).hasContent("from the platform");
        assertThat(filestores.resolve(mine + "/0c/0c2d")).hasContent("from the source");
        assertThat(worker.restore(job(9, vars))).as("and once there, it is left as it is")
                .containsEntry(Var.RESTORED_FILESTORE, filestores.resolve(mine).toString());
    }

    @Test
    void theHttpsUploadIsSkippedOnceTheRequestLeftDraft() throws Exception {
        Path dump = Dumps.plain(output, "db.sql", "15.4");
        RequestRef ref = client.create(new CreateParams(SandboxOptions.DEFAULT_CONTRACT, "ops@example.com", "13.0", "test", "db.sql")).ref();
        client.upload(ref, FileRequestBody.of(dump, TransferProgress.NONE));
        client.process(ref); // the first delivery uploaded, and the run went on
        Map<String, Object> vars = requestVariables(ref);
        vars.put(Var.DUMP_FILE, output.resolve("not-there-any-more.sql").toString()); // an upload now would fail to read it
        UploadHttpsWorker worker = new UploadHttpsWorker(new DraftUpload(client, secrets, null, null), client);

        Map<String, Object> out = worker.upload(job(9, vars));

        assertThat(out).containsEntry(Var.REQUEST_STATE, "pending");
    }

    @Test
    void processIsSentOnlyWhileTheRequestIsADraft() throws Exception {
        RequestRef ref = client.create(new CreateParams(SandboxOptions.DEFAULT_CONTRACT, "ops@example.com", "13.0", "test", "p.sql")).ref();
        client.upload(ref, FileRequestBody.of(Dumps.plain(output, "p.sql", "15.4"), TransferProgress.NONE));
        StartProcessingWorker worker = new StartProcessingWorker(client, secrets, null);

        assertThat(worker.process(job(10, requestVariables(ref)))).containsEntry(Var.REQUEST_STATE, "pending");
        // delivered again: a second process would be refused (STATE:INVALID) and the worker would throw
        assertThat(worker.process(job(10, requestVariables(ref)))).containsEntry(Var.REQUEST_STATE, "pending");
        assertThat(platform.sandbox.store().get(ref.id()).history).filteredOn(t -> t.state().wire().equals("pending")).hasSize(1);
    }
}
