package io.github.odooupgrade.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.odooupgrade.dumpformat.PgArchiveHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the status says about an uploaded file: compressions, postgresql, filestore, filesize. */
class DumpInspectionTest {
    @TempDir
    static Path files;
    @RegisterExtension
    static final SandboxFixture platform = SandboxFixture.perClass();

    private JsonNode uploaded(Path file) throws Exception {
        JsonNode r = platform.create(file.getFileName().toString(), "test");
        long id = r.path("id").asLong();
        String key = r.path("key").asText();
        assertThat(platform.upload(id, key, file).path("failures")).isEmpty();
        return platform.status(id, key);
    }

    @Test
    void aRealPgDumpCustomArchive() throws Exception {
        Path dump = Dumps.pgDumpCustom(files);
        String serverMajor = new String(new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
                "show server_version").start().getInputStream().readAllBytes()).trim().split("[. ]")[0];

        JsonNode status = uploaded(dump);

        assertThat(status.path("state").asText()).isEqualTo("draft");
        assertThat(status.path("compressions")).extracting(JsonNode::asText).containsExactly("pgdmp_custom", "sql");
        assertThat(status.path("postgresql").asText()).isEqualTo(serverMajor);
        assertThat(status.path("filestore").asBoolean()).isFalse();
    }

    @Test
    void plainSqlGzippedSqlAndOdoosZipBackup() throws Exception {
        JsonNode plain = uploaded(Dumps.plain(files, "plain.sql", "10.23"));
        assertThat(plain.path("compressions")).extracting(JsonNode::asText).containsExactly("sql");
        assertThat(plain.path("postgresql").asText()).isEqualTo("10");

        JsonNode gz = uploaded(Dumps.gzipped(files, "plain.sql.gz", Dumps.plainSql("9.6.24")));
        assertThat(gz.path("compressions")).extracting(JsonNode::asText).containsExactly("gzip", "sql");
        assertThat(gz.path("postgresql").asText()).isEqualTo("9.6");

        JsonNode zip = uploaded(Dumps.odooZip(files, "backup.zip", Dumps.plainSql("12.17"), true));
        assertThat(zip.path("compressions")).extracting(JsonNode::asText).containsExactly("zip", "sql");
        assertThat(zip.path("filestore").asBoolean()).isTrue();
        assertThat(zip.path("postgresql").asText()).isEqualTo("12");

        JsonNode zipNoFilestore = uploaded(Dumps.odooZip(files, "nofs.zip", Dumps.plainSql("12.17"), false));
        assertThat(zipNoFilestore.path("filestore").asBoolean()).isFalse();
    }

    @Test
    void filesizeIsTheSeedsHumanString() throws Exception {
        Path file = Dumps.sqlHeadedRandom(files.resolve("sized.sql"), 934_673, 3);
        assertThat(Files.size(file)).isEqualTo(934_673);

        JsonNode status = uploaded(file);

        assertThat(status.path("filesize").asText()).isEqualTo("912.77 Kb");
    }

    @Test
    void everyUnitOfTheHumanSize() {
        assertThat(Human.size(0)).isEqualTo("0 b");
        assertThat(Human.size(1023)).isEqualTo("1023 b");
        assertThat(Human.size(1024)).isEqualTo("1.00 Kb");
        assertThat(Human.size(5 * 1024 * 1024 + 512 * 1024)).isEqualTo("5.50 Mb");
        assertThat(Human.size(3L * 1024 * 1024 * 1024)).isEqualTo("3.00 Gb");
        assertThat(Human.size(2L * 1024 * 1024 * 1024 * 1024)).isEqualTo("2.00 Tb");
        assertThat(Human.size(3000L * 1024 * 1024 * 1024 * 1024)).as("no unit past Tb").isEqualTo("3000.00 Tb");
    }

    @Test
    void filesThatAreNotDumpsSayWhy() throws Exception {
        JsonNode zipWithoutSql = uploaded(Dumps.odooZip(files, "nosql.zip", null, true));
        assertThat(zipWithoutSql.path("state").asText()).isEqualTo("failed");
        assertThat(zipWithoutSql.path("customer_message").asText()).contains("no dump.sql");

        JsonNode empty = uploaded(Files.createFile(files.resolve("empty.dump")));
        assertThat(empty.path("customer_message").asText()).contains("empty");

        JsonNode gzNoise = uploaded(Dumps.gzipped(files, "noise.gz", "\u0000\u0001 not sql"));
        assertThat(gzNoise.path("customer_message").asText()).contains("gzipped file does not hold a database dump");
    }

    @Test
    void headerParsingKnowsOldAndNewArchiveVersions() {
        assertThat(PgArchiveHeader.major("9.4.26")).isEqualTo("9.4");
        assertThat(PgArchiveHeader.major("15.20 (Debian 15.20-0+deb12u1)")).isEqualTo("15");
        // archive 1.9 (before server versions were recorded): no guess rather than a wrong one
        byte[] old = {'P', 'G', 'D', 'M', 'P', 1, 9, 0, 4, 8, 1};
        assertThat(PgArchiveHeader.read(old).serverVersion()).isNull();
    }
}
