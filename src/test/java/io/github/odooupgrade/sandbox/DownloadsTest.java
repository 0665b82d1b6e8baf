package io.github.odooupgrade.sandbox;

import static io.github.odooupgrade.sandbox.SandboxFixture.auth;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every URL of a status answer serves what it names; archives resume with Range. */
class DownloadsTest {
    @TempDir
    static Path files;
    @RegisterExtension
    static final SandboxFixture platform = SandboxFixture.perClass();
    static Path dump;
    static JsonNode done;

    @BeforeAll
    static void upgradeARealDump() throws Exception {
        dump = Dumps.pgDumpCustom(files);
        JsonNode r = platform.create("real.dump", "test");
        long id = r.path("id").asLong();
        String key = r.path("key").asText();
        platform.upload(id, key, dump);
        platform.get("process", auth(id, key));
        done = platform.awaitState(id, key, "done");
    }

    @Test
    void theUpgradedArchiveIsTheUploadedDumpByteForByte() throws Exception {
        HttpResponse<byte[]> response = platform.download(done.path("upgraded_dump_url").asText(), null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(response.body()).isEqualTo(Files.readAllBytes(dump));
        assertThat(platform.download(done.path("original_dump_url").asText(), null).body()).isEqualTo(Files.readAllBytes(dump));
    }

    @Test
    void rangesResumeADownload() throws Exception {
        byte[] whole = Files.readAllBytes(dump);
        String url = done.path("upgraded_dump_url").asText();

        HttpResponse<byte[]> tail = platform.download(url, "bytes=100-");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes 100-" + (whole.length - 1) + "/" + whole.length);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(whole, 100, whole.length));

        HttpResponse<byte[]> middle = platform.download(url, "bytes=10-19");
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(whole, 10, 20));

        HttpResponse<byte[]> suffix = platform.download(url, "bytes=-5");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 5, whole.length));

        HttpResponse<byte[]> beyond = platform.download(url, "bytes=" + whole.length + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + whole.length);
    }

    @Test
    void headAnnouncesTheSizeWithoutABody() throws Exception {
        HttpResponse<Void> head = platform.http.send(HttpRequest.newBuilder(URI.create(done.path("upgraded_dump_url").asText()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length").orElse(-1)).isEqualTo(Files.size(dump));
    }

    @Test
    void theSqlViewOfACustomArchiveIsItsSqlScript() {
        HttpResponse<byte[]> sql = platform.download(done.path("upgraded_sql_url").asText(), null);
        assertThat(sql.statusCode()).isEqualTo(200);
        assertThat(new String(sql.body(), StandardCharsets.UTF_8)).contains("PostgreSQL database dump");
    }

    @Test
    void theSqlViewOfAZipBackupIsItsDumpSql() throws Exception {
        JsonNode r = platform.create("backup.zip", "test");
        platform.upload(r.path("id").asLong(), r.path("key").asText(),
                Dumps.odooZip(files, "backup.zip", Dumps.plainSql("12.1"), true));
        HttpResponse<byte[]> sql = platform.download(r.path("original_sql_url").asText(), null);
        assertThat(new String(sql.body(), StandardCharsets.UTF_8)).isEqualTo(Dumps.plainSql("12.1"));
    }

    @Test
    void theModulesArchiveIsAValidZip() throws Exception {
        HttpResponse<byte[]> zip = platform.download(done.path("modules_url").asText(), null);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            assertThat(in.getNextEntry().getName()).isEqualTo("README.txt");
        }
    }

    @Test
    void statusAndNotesPagesAreReadableHtmlThatNeverShowTheKey() {
        String status = new String(platform.download(done.path("status_url").asText(), null).body(), StandardCharsets.UTF_8);
        String notes = new String(platform.download(done.path("notes_url").asText(), null).body(), StandardCharsets.UTF_8);
        String key = done.path("key").asText();

        assertThat(status).startsWith("<!DOCTYPE html>").contains("done").contains("real.dump");
        assertThat(status.replace(done.path("status_url").asText(), "")).doesNotContain(">" + key + "<");
        assertThat(notes).contains("Timeline").contains("pending").contains("progress").contains("does not migrate data");
        assertThat(notes).doesNotContain(key);
    }

    @Test
    void theUpgradedDumpIsNotServedBeforeItExistsNorWithAWrongKey() throws Exception {
        JsonNode r = platform.create("early.dump", "test");
        platform.upload(r.path("id").asLong(), r.path("key").asText(), dump);
        assertThat(platform.download(r.path("upgraded_dump_url").asText(), null).statusCode()).isEqualTo(404);

        String wrongKey = done.path("upgraded_dump_url").asText().replace(done.path("key").asText(), "AAAAAAAAAAAAAAAAAAAAAA==");
        assertThat(platform.download(wrongKey, null).statusCode()).isEqualTo(404);
    }
}
