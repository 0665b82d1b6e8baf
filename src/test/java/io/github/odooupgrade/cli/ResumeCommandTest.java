package io.github.odooupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.run.RunJournal;
import io.github.odooupgrade.run.SealKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code run} and {@code resume} say about a folder before anything starts: no second request
 * into a folder that holds an unfinished run, nothing to resume where nothing (or a finished run) is.
 * (Resuming itself, after a SIGKILL at each step: {@link SurvivalIT}.)
 */
class ResumeCommandTest {
    @TempDir
    Path out;

    private RunJournal stoppedAtRequest(List<String> options) {
        SealKey key = SealKey.forNewRun(out, Map.of());
        RunJournal journal = RunJournal.begin(options, null, key.source()).at("Check the request status",
                Map.of(Var.REQUEST_ID, 7, Var.REQUEST_KEY_SEALED, key.sealer().seal("the-key")));
        journal.write(out);
        return journal;
    }

    @Test
    void runRefusesAFolderWithAnUnfinishedRunAndNamesResume() throws Exception {
        stoppedAtRequest(List.of());

        Outcome o = Outcome.main("", "run", "--output", out.toString());

        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("error: " + out + " holds an unfinished run (request 7, last step \"Check the request status\"): "
                + "continue it with `odoo-upgrade resume --output " + out + "`, or give another --output\n");
        assertThat(out.resolve("sandbox")).as("nothing started").doesNotExist();
    }

    @Test
    void aFinishedRunIsReplacedByTheNextButNotResumed() {
        stoppedAtRequest(List.of()).ended(0).write(out);

        Outcome o = Outcome.main("", "resume", "--output", out.toString());

        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("has finished (exit 0): nothing to continue", "odoo-upgrade run --output " + out);
    }

    @Test
    void whereNoRunIsRecordedThereIsNothingToResume() {
        Outcome o = Outcome.main("", "resume", "--output", out.toString());

        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).startsWith("error: no run is recorded in " + out).contains("odoo-upgrade run --output");
    }

    @Test
    void aClusterRunIsFollowedInOperateNotResumedHere() {
        stoppedAtRequest(List.of("--cluster"));

        Outcome o = Outcome.main("", "resume", "--output", out.toString());

        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("lives on in the Camunda cluster", "Continue an existing request", "request 7");
    }

    @Test
    void withoutItsSealKeyTheRecordedRequestCannotBeOpened() throws Exception {
        stoppedAtRequest(List.of());
        Files.delete(out.resolve(SealKey.FILE));

        Outcome o = Outcome.main("", "resume", "--output", out.toString());

        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("seal key", "cannot be read");
    }
}
