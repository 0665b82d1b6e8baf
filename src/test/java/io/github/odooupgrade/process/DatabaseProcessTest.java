package io.github.odooupgrade.process;

import static io.github.odooupgrade.database.LocalPostgres.psql;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.odooupgrade.database.DatabaseRestore;
import io.github.odooupgrade.database.LocalPostgres;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.Dumps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * From a live database to an upgraded database: pg_dump of a database on the machine's PostgreSQL,
 * the whole process against the sandbox, and pg_restore into a new database.
 */
class DatabaseProcessTest extends ProcessTestCase {
    final List<String> databases = new ArrayList<>();





    @AfterEach
    void dropDatabases() throws Exception {
        for (String db : databases) {
            psql("postgres", "DROP DATABASE IF EXISTS " + db);
            psql("postgres", "DROP DATABASE IF EXISTS " + db + "_restoring");
        }
    }

    @Test
    void aDatabaseIsDumpedUpgradedAndRestoredUnderANewName() throws Exception {
        String source = sourceDatabase();
        String restored = source + "_upgraded_13_0";
        databases.add(restored);
        Map<String, Object> in = input(null, "test", "auto");
        in.remove(Var.DUMP_FILE);
        in.put(Var.SOURCE_DATABASE, source);
        in.put(Var.RESTORE, true);
        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.timesCompleted("dump-database")).isEqualTo(1);
        assertThat(run.variable(Var.RESTORED_DATABASE).asText()).isEqualTo(restored);
        Path dump = Path.of(run.variable(Var.DUMP_FILE).asText());
        assertThat(dump).exists().startsWith(ROOT.resolve("output/source"));
        assertThat(Files.readAllBytes(dump)).startsWith("PGDMP".getBytes(StandardCharsets.US_ASCII));
        // the sandbox's "upgraded" dump is the uploaded one: the new database has the source's rows
        assertThat(psql(restored, "SELECT count(*) FROM res_partner")).isEqualTo("321");
        assertThat(psql(restored, "SELECT count(*) FROM ir_module_module")).isEqualTo("2");
    }

    @Test
    void withItsFilestoreTheDatabaseTravelsAsOdoosZipAndTheFilestoreIsRestored() throws Exception {
        String source = sourceDatabase();
        Path filestore = Files.createDirectories(ROOT.resolve("filestore").resolve(source).resolve("3f"));
        Files.writeString(filestore.resolve("3f9a"), "an attachment");
        String restored = "restored_" + source;
        databases.add(restored);
        Map<String, Object> in = input(null, "test", "https");
        in.remove(Var.DUMP_FILE);
        in.put(Var.SOURCE_DATABASE, source);
        in.put(Var.INCLUDE_FILESTORE, true);
        in.put(Var.RESTORE, true);
        in.put(Var.RESTORE_DATABASE, restored);
        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.variable(Var.DETECTED).path("filestore").asBoolean()).isTrue();
        assertThat(psql(restored, "SELECT count(*) FROM res_partner")).isEqualTo("321");
        assertThat(Path.of(run.variable(Var.RESTORED_FILESTORE).asText()).resolve("3f/3f9a")).hasContent("an attachment");
    }

    @Test
    void anExistingDatabaseNameIsRefusedBeforeAnythingIsSent() throws Exception {
        String source = sourceDatabase();
        Map<String, Object> in = input(null, "test", "https");
        in.remove(Var.DUMP_FILE);
        in.put(Var.SOURCE_DATABASE, source);
        in.put(Var.RESTORE, true);
        in.put(Var.RESTORE_DATABASE, source);
        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_INPUT_INVALID);
        assertThat(run.variable(Var.INPUT_ERRORS).toString()).contains("restoreDatabase " + source + " already exists");
        assertThat(run.timesCompleted("create-request")).isZero();
    }

    @Test
    void anUpgradedDumpThatDoesNotRestoreIsAReadableIncidentAndLeavesNoDatabase() throws Exception {
        Path broken = Files.writeString(dumps.resolve("broken.sql"), Dumps.plainSql("15.4") + "CREATE TABLE oops (;\n");
        String restored = "broken_" + UUID.randomUUID().toString().substring(0, 8);
        databases.add(restored);
        Map<String, Object> in = input(broken, "test", "https");
        in.put(Var.RESTORE, true);
        in.put(Var.RESTORE_DATABASE, restored);
        ProcessRecords run = start(in);

        ProcessRecords.Incident incident = run.awaitIncident(RUN);
        assertThat(incident.elementId()).isEqualTo("restore-database");
        assertThat(incident.message()).startsWith("restoring upgraded_broken.sql into " + restored + " failed, nothing was kept: psql failed")
                .contains("syntax error");
        DatabaseRestore restore = new DatabaseRestore(LocalPostgres.PG, 1);
        assertThat(restore.exists(restored)).isFalse();
        assertThat(restore.exists(restored + "_restoring")).isFalse();
        cancel(run);
    }

    private String sourceDatabase() throws Exception {
        String db = "src_" + UUID.randomUUID().toString().substring(0, 8);
        databases.add(db);
        psql("postgres", "CREATE DATABASE " + db);
        psql(db, "CREATE TABLE res_partner (id serial PRIMARY KEY, name text);"
                + "INSERT INTO res_partner (name) SELECT 'p' || i FROM generate_series(1, 321) i;"
                + "CREATE TABLE ir_module_module (id serial PRIMARY KEY, name text, state text);"
                + "INSERT INTO ir_module_module (name, state) VALUES ('base', 'installed'), ('web', 'installed');");
        return db;
    }

}
