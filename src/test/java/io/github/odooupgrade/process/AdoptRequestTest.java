package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.odooupgrade.api.CreateParams;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.api.Requests;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.engine.EmbeddedEngine.OpenUserTask;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.secrets.SecretForms;
import io.github.odooupgrade.transfer.FileRequestBody;
import io.github.odooupgrade.transfer.TransferProgress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A request made outside this instance — by a run that stopped, by Odoo's own client — is continued,
 * not made again: the start form gives its number and key, "Look up the existing request" asks the
 * platform, and the process enters where the request is.
 */
class AdoptRequestTest extends ProcessTestCase {

    @Autowired
    UpgradeClient client;

    /** What Odoo's own client (or a stopped run) left on the platform: a request and its key. */
    private RequestRef madeElsewhere(Path dump) {
        RequestStatus created = client.create(new CreateParams(SandboxOptions.DEFAULT_CONTRACT, "ops@example.com", "13.0", "test",
                dump.getFileName().toString()));
        return created.ref();
    }

    /** The same, with its dump uploaded and the upgrade started. */
    private RequestRef processedElsewhere(Path dump) {
        RequestRef ref = madeElsewhere(dump);
        client.upload(ref, FileRequestBody.of(dump, TransferProgress.NONE));
        client.process(ref);
        return ref;
    }

    private Map<String, Object> continuing(RequestRef ref, Path dump) {
        Map<String, Object> in = input(dump, "test", "https");
        in.put(Var.REQUEST_ID, ref.id());
        in.put(Var.REQUEST_KEY, ref.key());
        return in;
    }

    private long requestsFor(Path dump) {
        return SANDBOX.store().all().stream().filter(r -> r.filename.equals(dump.getFileName().toString())).count();
    }

    @Test
    void aDraftGetsItsDumpAndIsUpgradedWithoutASecondRequest() throws Exception {
        Path dump = Dumps.plain(dumps, "left-in-draft.sql", "15.4");
        RequestRef ref = madeElsewhere(dump);

        ProcessRecords run = start(continuing(ref, dump));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.timesCompleted("create-request")).isZero();
        assertThat(run.timesCompleted("upload-https")).isEqualTo(1);
        assertThat(requestsFor(dump)).isEqualTo(1);
        assertThat(run.variable(Var.REQUEST_ID).asLong()).isEqualTo(ref.id());
        assertThat(run.variable(Var.UPGRADED_DUMP_SHA256).asText()).isEqualTo(Dumps.sha256(dump));
        // the key typed in the form is sealed and masked by the validation, like the contract
        assertThat(run.variable(Var.REQUEST_KEY).asText()).doesNotContain(ref.key()).endsWith("****");
        assertThat(run.variable(Var.REQUEST_KEY_SEALED).asText()).startsWith("sealed:v1:");
        // it went into the engine once, with the start form; everything written after is sealed or masked
        assertThat(run.everyVariableValue().filter(v -> SecretForms.foundIn(List.of(v), SecretForms.of(ref.key())) != null))
                .hasSize(1);
    }

    @Test
    void aProductionDraftStoppedAtItsApprovalAsksForItAgain() throws Exception {
        Path dump = Dumps.plain(dumps, "awaiting-approval.sql", "15.4");
        RequestRef ref = client.create(new CreateParams(SandboxOptions.DEFAULT_CONTRACT, "ops@example.com", "13.0", "production",
                dump.getFileName().toString())).ref();
        client.upload(ref, FileRequestBody.of(dump, TransferProgress.NONE)); // uploaded; the run stopped at the approval
        Map<String, Object> in = continuing(ref, dump);
        in.put(Var.AIM, "production");

        ProcessRecords run = start(in);

        OpenUserTask approval = run.awaitUserTask(Element.APPROVE_PRODUCTION, RUN);
        assertThat(run.timesCompleted("start-processing")).as("nothing processed before the approval").isZero();
        ENGINE.completeUserTask(approval.key(), Map.of(Var.APPROVAL, "approve", Var.APPROVER, "Ada"));
        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(requestsFor(dump)).isEqualTo(1);
    }

    @Test
    void aRequestAlreadyUpgradingIsWaitedForThenDownloaded() throws Exception {
        Path dump = Dumps.plain(dumps, "already-running.sql", "15.4");
        RequestRef ref = processedElsewhere(dump);

        ProcessRecords run = start(continuing(ref, dump));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.timesCompleted("upload-https") + run.timesCompleted("upload-sftp") + run.timesCompleted("start-processing")).isZero();
        assertThat(run.timesCompleted("check-status")).isPositive();
        assertThat(run.variable(Var.UPGRADED_DUMP_SHA256).asText()).isEqualTo(Dumps.sha256(dump));
        assertThat(requestsFor(dump)).isEqualTo(1);
    }

    @Test
    void aFinishedRequestIsDownloadedAtOnceEvenWithoutTheDump() throws Exception {
        Path dump = Dumps.plain(dumps, "already-done.sql", "15.4");
        RequestRef ref = processedElsewhere(dump);
        Requests.awaitEnd(client, ref);
        Map<String, Object> in = continuing(ref, dump);
        in.remove(Var.DUMP_FILE); // Odoo's client sent it from another machine

        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.timesCompleted("check-status")).isZero();
        Path upgraded = Path.of(run.variable(Var.UPGRADED_DUMP).asText());
        assertThat(upgraded).hasFileName("upgraded_already-done.sql"); // named after the platform's filename
        assertThat(Dumps.sha256(upgraded)).isEqualTo(Dumps.sha256(dump));
    }

    @Test
    void aFailedRequestGoesToTheReview() throws Exception {
        SANDBOX.faults().failFilenames(Pattern.compile("doomed.*"));
        Path dump = Dumps.plain(dumps, "doomed.sql", "15.4");
        RequestRef ref = processedElsewhere(dump);
        Requests.awaitEnd(client, ref);

        ProcessRecords run = start(continuing(ref, dump));

        OpenUserTask review = run.awaitUserTask(Element.REVIEW_FAILURE, RUN);
        assertThat(run.variable(Var.REQUEST_STATE).asText()).isEqualTo("failed");
        assertThat(run.timesCompleted("download")).isZero();
        ENGINE.completeUserTask(review.key(), Map.of(Var.REVIEW, Value.ABANDON));
        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_ABANDONED);
    }

    @Test
    void aRequestThePlatformDoesNotKnowEndsTheRunWithItsAnswer() throws Exception {
        Path dump = Dumps.plain(dumps, "unknown.sql", "15.4");
        RequestRef ref = madeElsewhere(dump);

        ProcessRecords run = start(continuing(new RequestRef(ref.id(), "not-the-key"), dump));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_ADOPT_REFUSED);
        assertThat(run.variable(Var.REJECTION).asText()).isNotBlank();
        assertThat(requestsFor(dump)).isEqualTo(1);
    }

    @Test
    void aDraftWithoutItsDumpIsRefusedWithWhatToGive() throws Exception {
        Path dump = Dumps.plain(dumps, "draft-no-dump.sql", "15.4");
        RequestRef ref = madeElsewhere(dump);
        Map<String, Object> in = continuing(ref, dump);
        in.remove(Var.DUMP_FILE);

        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_ADOPT_INPUT_INVALID);
        assertThat(run.variable(Var.INPUT_ERRORS).toString()).contains("still a draft", "dumpFile");
    }
}
