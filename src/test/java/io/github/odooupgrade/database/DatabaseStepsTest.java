package io.github.odooupgrade.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.odooupgrade.sandbox.Dumps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pg_dump and pg_restore steps against the real PostgreSQL on 127.0.0.1:5432. */
class DatabaseStepsTest {
    static final PgConnection PG = LocalPostgres.PG;
    final PgTools sql = new PgTools(PG);
    final List<String> created = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void dropDatabases() {
        for (String db : created) {
            sql.query("postgres", "DROP DATABASE IF EXISTS " + db);
            sql.query("postgres", "DROP DATABASE IF EXISTS " + db + "_restoring");
        }
    }

    String name(String prefix) {
        String n = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        created.add(n);
        return n;
    }

    /** A small Odoo-like database: partners and modules, with a known number of rows. */
    String sourceDatabase() {
        String db = name("src");
        sql.query("postgres", "CREATE DATABASE " + db);
        sql.query(db, "CREATE TABLE res_partner (id serial PRIMARY KEY, name text NOT NULL);"
                + "INSERT INTO res_partner (name) SELECT 'partner ' || i FROM generate_series(1, 1234) i;"
                + "CREATE TABLE ir_module_module (id serial PRIMARY KEY, name text UNIQUE, state text);"
                + "INSERT INTO ir_module_module (name, state) VALUES ('base', 'installed'), ('sale', 'installed');");
        return db;
    }

    long rows(String db, String table) {
        return Long.parseLong(sql.query(db, "SELECT count(*) FROM " + table));
    }

    @Test
    void aDatabaseDumpedAndRestoredUnderANewNameHasTheSameRows() {
        String source = sourceDatabase();
        Path dump = new DatabaseDump(PG).dump(source, dir.resolve("src.dump"), null);
        String target = name("up");

        DatabaseRestore.Restored restored = new DatabaseRestore(PG, 2).restore(dump, target, null);

        assertThat(restored.database()).isEqualTo(target);
        assertThat(rows(target, "res_partner")).isEqualTo(1234);
        assertThat(rows(target, "ir_module_module")).isEqualTo(2);
        assertThat(rows(source, "res_partner")).as("the source is untouched").isEqualTo(1234);
        assertThat(new DatabaseRestore(PG, 1).exists(target + "_restoring")).isFalse();
        assertThat(dir.resolve("src.dump.part")).doesNotExist();
    }

    @Test
    void withItsFilestoreTheDumpIsAnOdooZipAndTheRestorePlacesTheFilestore() throws Exception {
        String source = sourceDatabase();
        Path filestore = Files.createDirectories(dir.resolve("filestore").resolve(source).resolve("ab"));
        Files.writeString(filestore.resolve("abcdef"), "attachment bytes");
        Path dump = new DatabaseDump(PG).dump(source, dir.resolve("src.zip"), dir.resolve("filestore").resolve(source));
        try (ZipFile zip = new ZipFile(dump.toFile())) {
            assertThat(zip.getEntry("dump.sql")).isNotNull();
            assertThat(zip.getEntry("filestore/ab/abcdef")).isNotNull();
        }
        String target = name("up");
        Path filestoreRoot = Files.createDirectories(dir.resolve("restored-filestores"));

        DatabaseRestore.Restored restored = new DatabaseRestore(PG, 2).restore(dump, target, filestoreRoot);

        assertThat(rows(target, "res_partner")).isEqualTo(1234);
        assertThat(restored.filestore()).isEqualTo(filestoreRoot.resolve(target));
        assertThat(filestoreRoot.resolve(target).resolve("ab/abcdef")).hasContent("attachment bytes");
    }

    @Test
    void anExistingDatabaseIsNeverOverwritten() {
        String source = sourceDatabase();
        Path dump = new DatabaseDump(PG).dump(source, dir.resolve("src.dump"), null);

        assertThatThrownBy(() -> new DatabaseRestore(PG, 2).restore(dump, source, null))
                .isInstanceOf(PgToolException.class)
                .hasMessage("database " + source + " already exists: a restore never overwrites a database; choose another name or drop it first");
        assertThat(new DatabaseRestore(PG, 1).exists(source + "_restoring")).isFalse();
    }

    @Test
    void aBrokenDumpFailsWithPgRestoresOwnWordsAndLeavesNoDatabase() throws Exception {
        String source = sourceDatabase();
        Path dump = new DatabaseDump(PG).dump(source, dir.resolve("src.dump"), null);
        byte[] bytes = Files.readAllBytes(dump);
        Path broken = Files.write(dir.resolve("broken.dump"), Arrays.copyOf(bytes, bytes.length / 2));
        String target = name("up");

        assertThatThrownBy(() -> new DatabaseRestore(PG, 2).restore(broken, target, null))
                .isInstanceOf(PgToolException.class)
                .hasMessageStartingWith("restoring broken.dump into " + target + " failed, nothing was kept: pg_restore failed (exit 1): ")
                .hasMessageContaining("pg_restore: error:");
        DatabaseRestore restore = new DatabaseRestore(PG, 1);
        assertThat(restore.exists(target)).isFalse();
        assertThat(restore.exists(target + "_restoring")).isFalse();
    }

    @Test
    void aRestoreThatFailsAfterPlacingFilestoreFilesKeepsNeitherDatabaseNorFilestore() throws Exception {
        // the SQL restores, the first filestore file is written, then an entry that points outside the filestore stops it
        Path zip = dir.resolve("slip.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("dump.sql"));
            out.write(Dumps.plainSql("15.4").getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("filestore/ab/ab12cd"));
            out.write(new byte[] {1, 2, 3});
            out.putNextEntry(new ZipEntry("filestore/../../escaped"));
            out.write(new byte[] {4});
        }
        String target = name("slip");
        Path filestoreRoot = Files.createDirectories(dir.resolve("slip-filestores"));

        assertThatThrownBy(() -> new DatabaseRestore(PG, 1).restore(zip, target, filestoreRoot))
                .isInstanceOf(PgToolException.class)
                .hasMessageStartingWith("restoring slip.zip into " + target + " failed, nothing was kept: ")
                .hasMessageContaining("points outside the filestore");
        DatabaseRestore restore = new DatabaseRestore(PG, 1);
        assertThat(restore.exists(target)).isFalse();
        assertThat(restore.exists(target + "_restoring")).isFalse();
        try (Stream<Path> left = Files.list(filestoreRoot)) {
            assertThat(left).as("no filestore under the final name, no part of one").isEmpty();
        }
        assertThat(dir.resolve("escaped")).doesNotExist();
    }

    @Test
    void aDumpFromNewerToolsIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path future = Files.writeString(dir.resolve("future.sql"),
                "--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 99.1\n-- Dumped by pg_dump version 99.1\n\nSELECT 1;\n");
        String target = name("up");

        assertThatThrownBy(() -> new DatabaseRestore(PG, 2).restore(future, target, null))
                .isInstanceOf(PgToolException.class)
                .hasMessageMatching("the dump was made by pg_dump 99, newer than psql \\d+ here: use the PostgreSQL 99 client tools .*");
        assertThat(new DatabaseRestore(PG, 1).exists(target + "_restoring")).isFalse();
    }

    @Test
    void aToolsStderrReachesTheMessageWithThePasswordRedacted() {
        PgTools tools = new PgTools(new PgConnection("127.0.0.1", 5432, "postgres", "s3cr3t-pw", null));

        assertThatThrownBy(() -> tools.run(List.of("sh", "-c", "echo \"FATAL: password s3cr3t-pw rejected for $PGUSER\" >&2; exit 2"), null, null))
                .isInstanceOf(PgToolException.class)
                .hasMessage("sh failed (exit 2): FATAL: password *** rejected for postgres");
        assertThat(tools.toString()).doesNotContain("s3cr3t");
        assertThat(new PgConnection("h", 1, "u", "s3cr3t-pw", null).toString()).doesNotContain("s3cr3t");
    }

    @Test
    void aToolThatHangsIsStoppedAfterTheMaximumDuration() {
        PgTools tools = new PgTools(new PgConnection("127.0.0.1", 5432, "postgres", null, null, Duration.ofMillis(500)));
        long start = System.nanoTime();

        assertThatThrownBy(() -> tools.run(List.of("sleep", "30"), null, null))
                .isInstanceOf(PgToolException.class)
                .hasMessage("sleep did not finish within PT0.5S and was stopped (upgrade.postgres.max-duration)");
        assertThat(System.nanoTime() - start).as("stopped, not waited for").isLessThan(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void theDefaultNameIsOdoosOwn() {
        assertThat(io.github.odooupgrade.process.RestoreNames.upgraded("mydb", "13.0")).isEqualTo("mydb_upgraded_13_0");
        assertThatThrownBy(() -> PgConnection.checkName("my db; drop")).hasMessageContaining("is not allowed");
    }
}
