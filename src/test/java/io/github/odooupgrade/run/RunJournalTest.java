package io.github.odooupgrade.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.secrets.Sealer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's journal: what a restart reads back, never half written, readable by its owner only. */
class RunJournalTest {
    @TempDir
    Path folder;

    private static RunJournal atRequest(long id) {
        return RunJournal.begin(List.of("--dump", "/data/db.sql"), "sealed:v1:contract", SealKey.FILE_SOURCE)
                .at("Check the request status", Map.of(Var.REQUEST_ID, id, Var.REQUEST_KEY_SEALED, "sealed:v1:key"));
    }

    @Test
    void whatIsWrittenIsReadBackForTheRestart() {
        atRequest(12).withSandbox(8780, 2200).write(folder);

        RunJournal read = RunJournal.read(folder).orElseThrow();

        assertThat(read.requestId()).isEqualTo(12);
        assertThat(read.step()).isEqualTo("Check the request status");
        assertThat(read.runOptions()).containsExactly("--dump", "/data/db.sql");
        assertThat(read.sandboxHttpPort()).isEqualTo(8780);
        assertThat(read.finished()).isFalse();
        assertThat(read.ended(0).finished()).isTrue();
        assertThat(read.ended(3).finished()).as("an incident leaves the request to continue").isFalse();
    }

    @Test
    void aCrashWhileWritingLeavesThePreviousJournal() throws Exception {
        atRequest(12).write(folder);
        // what a crash between the temporary file and the rename leaves behind
        Files.writeString(folder.resolve(RunJournal.FILE + ".tmp"), "{\"version\": 1, \"status\": \"runn");

        assertThat(RunJournal.read(folder).orElseThrow().requestId()).isEqualTo(12);
        atRequest(13).write(folder); // and the next write is not stopped by it
        assertThat(RunJournal.read(folder).orElseThrow().requestId()).isEqualTo(13);
        assertThat(folder.resolve(RunJournal.FILE + ".tmp")).doesNotExist();
    }

    @Test
    void aWriteReplacesTheFileWholeAndNeverRewritesItInPlace() throws Exception {
        atRequest(12).write(folder);
        try (InputStream before = Files.newInputStream(folder.resolve(RunJournal.FILE))) {
            atRequest(13).write(folder);
            // a reader of the old journal (resume, status) still reads all of it: the new one is another file
            RunJournal old = new ObjectMapper().findAndRegisterModules().readValue(before.readAllBytes(), RunJournal.class);
            assertThat(old.requestId()).isEqualTo(12);
        }
        assertThat(RunJournal.read(folder).orElseThrow().requestId()).isEqualTo(13);
    }

    @Test
    void theJournalAndTheSealKeyAreTheOwnersOnly() throws Exception {
        SealKey key = SealKey.forNewRun(folder, Map.of());
        atRequest(12).write(folder);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve(RunJournal.FILE)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve(SealKey.FILE)))).isEqualTo("rw-------");
        assertThat(SealKey.of(RunJournal.read(folder).orElseThrow(), folder, Map.of()).key()).isEqualTo(key.key());
    }

    @Test
    void aKeyFromTheEnvironmentIsNotWrittenAndIsAskedForAgain() {
        String given = Sealer.newBase64Key();
        SealKey key = SealKey.forNewRun(folder, Map.of(SealKey.VARIABLE, given));
        RunJournal journal = RunJournal.begin(List.of(), null, key.source());

        assertThat(folder.resolve(SealKey.FILE)).doesNotExist();
        assertThat(SealKey.of(journal, folder, Map.of(SealKey.VARIABLE, given)).key()).isEqualTo(given);
        assertThatThrownBy(() -> SealKey.of(journal, folder, Map.of())).hasMessageContaining(SealKey.VARIABLE);
    }

    @Test
    void aContinuedRunKeepsItsRequestAndTheDumpADatabaseStepMade() {
        RunJournal journal = RunJournal.begin(List.of(), null, SealKey.FILE_SOURCE).at("Upload the dump over SFTP", Map.of(
                Var.REQUEST_ID, 12, Var.REQUEST_KEY_SEALED, "sealed:v1:key", Var.SFTP_KEY_SEALED, "sealed:v1:pair",
                Var.UPLOAD_METHOD, "sftp", Var.DUMP_FILE, "/out/mydb.dump", Var.RESTORE_DATABASE, "mydb_upgraded_13_0"));

        Map<String, Object> start = journal.continuing(Map.of(Var.SOURCE_DATABASE, "mydb", Var.INCLUDE_FILESTORE, false,
                Var.UPLOAD_METHOD, "auto", Var.TARGET, "13.0"));

        assertThat(start).containsEntry(Var.REQUEST_ID, 12).containsEntry(Var.REQUEST_KEY_SEALED, "sealed:v1:key")
                .containsEntry(Var.SFTP_KEY_SEALED, "sealed:v1:pair").containsEntry(Var.UPLOAD_METHOD, "sftp")
                .containsEntry(Var.DUMP_FILE, "/out/mydb.dump").containsEntry(Var.TARGET, "13.0")
                .doesNotContainKeys(Var.SOURCE_DATABASE, Var.INCLUDE_FILESTORE);
        RunJournal today = RunJournal.begin(List.of(), null, SealKey.FILE_SOURCE).at("Check the request status", Map.of(
                Var.REQUEST_ID, 7, Var.REQUEST_KEY_SEALED, "sealed:v1:token", Var.REQUEST_HOST, "upgrade-p3.odoo.com",
                Var.SSH_KEY_SEALED, "sealed:v1:ed25519", Var.UPLOAD_METHOD, "auto"));
        assertThat(today.continuing(Map.of(Var.PLATFORM_API, "current"))).as("today's platform: its host and the request's key too")
                .containsEntry(Var.REQUEST_HOST, "upgrade-p3.odoo.com").containsEntry(Var.SSH_KEY_SEALED, "sealed:v1:ed25519")
                .containsEntry(Var.REQUEST_KEY_SEALED, "sealed:v1:token").containsEntry(Var.PLATFORM_API, "current");
        assertThat(RunJournal.begin(List.of(), null, SealKey.FILE_SOURCE).continuing(Map.of(Var.TARGET, "13.0")))
                .as("no request yet: the run starts again as it began").containsOnlyKeys(Var.TARGET);
    }
}
