package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.odooupgrade.engine.EmbeddedEngine.OpenUserTask;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import io.github.odooupgrade.secrets.Sealer;
import io.github.odooupgrade.secrets.SecretForms;
import io.github.odooupgrade.transfer.SftpTransfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every path of the upgrade process, run by the real workers on the embedded Zeebe engine against
 * the sandbox over real HTTP and SFTP. User tasks are completed the way Tasklist would, through the
 * engine adapter.
 */
class UpgradeProcessTest extends ProcessTestCase {





    @Test
    void aTestUpgradeOverHttpsEndsWithTheUpgradedDumpAndItsSha256() throws Exception {
        Path dump = Dumps.pgDumpCustom(dumps);
        ProcessRecords run = start(input(dump, "test", "https"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        Map<String, JsonNode> vars = run.variables();
        Path upgraded = Path.of(vars.get(Var.UPGRADED_DUMP).asText());
        assertThat(upgraded).exists().hasFileName("upgraded_" + dump.getFileName());
        // the sandbox's "upgraded" dump is the uploaded one, byte for byte
        assertThat(vars.get(Var.UPGRADED_DUMP_SHA256).asText()).isEqualTo(Dumps.sha256(dump)).isEqualTo(Dumps.sha256(upgraded));
        assertThat(vars.get(Var.UPGRADED_DUMP_SIZE).asLong()).isEqualTo(Files.size(dump));
        assertThat(Path.of(vars.get(Var.NOTES_FILE).asText())).exists();
        assertThat(vars.get(Var.REQUEST_STATE).asText()).isEqualTo("done");
        assertThat(vars.get(Var.DETECTED).path("compressions").toString()).contains("pgdmp_custom");
        assertThat(run.timesCompleted("upload-https")).isEqualTo(1);
        assertThat(run.timesCompleted("upload-sftp")).isZero();
        assertThat(run.timesCompleted(Element.APPROVE_PRODUCTION)).isZero();
    }

    @Test
    void noSecretReachesTheEngineOrTheLogsInClear() throws Exception {
        ListAppender<ILoggingEvent> logs = capture(org.slf4j.Logger.ROOT_LOGGER_NAME); // workers, client and sandbox alike
        ProcessRecords run;
        try {
            run = start(input(Dumps.plain(dumps, "secret.sql", "15.4"), "test", "sftp"));
            assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        } finally {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        }

        UpgradeRequest request = SANDBOX.store().get(run.variable(Var.REQUEST_ID).asLong());
        assertThat(run.variable(Var.REQUEST_KEY_SEALED).asText()).startsWith("sealed:v1:");
        assertThat(run.variable(Var.CONTRACT).asText()).isEqualTo("M12****");
        String sealedKeyPair = run.variable(Var.SFTP_KEY_SEALED).asText();
        byte[] privateKey = Base64.getDecoder().decode(Sealer.fromBase64Key(SEAL_KEY).unseal(sealedKeyPair).lines().findFirst().orElseThrow());
        Set<String> secrets = new LinkedHashSet<>(SecretForms.of(request.key));
        secrets.addAll(SecretForms.ofPrivateKey(privateKey));
        List<String> engine = run.everyVariableValue().toList();
        List<String> logLines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();

        assertThat(SecretForms.foundIn(engine, secrets)).as("the request key or the SFTP private key in the engine").isNull();
        assertThat(SecretForms.foundIn(logLines, secrets)).as("the request key or the SFTP private key in the logs").isNull();
        assertThat(SecretForms.foundIn(logLines, SecretForms.of(SandboxOptions.DEFAULT_CONTRACT))).as("the contract in the logs").isNull();
        // the contract typed in the form went in once, at the start; everything the workers wrote is sealed
        assertThat(engine.stream().filter(v -> SecretForms.foundIn(List.of(v), SecretForms.of(SandboxOptions.DEFAULT_CONTRACT)) != null))
                .hasSize(1);
        assertThat(logLines).as("the workers were heard").anyMatch(l -> l.contains("upgrade request " + request.id + " created"));
    }

    @Test
    void aContractHeldByTheWorkersNeverEntersTheEngine() throws Exception {
        Map<String, Object> in = input(Dumps.plain(dumps, "held.sql", "15.4"), "test", "https");
        in.remove(Var.CONTRACT); // the form left empty: the workers' upgrade.contract applies

        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(SANDBOX.store().get(run.variable(Var.REQUEST_ID).asLong()).contract).isEqualTo(SandboxOptions.DEFAULT_CONTRACT);
        assertThat(SecretForms.foundIn(run.everyVariableValue().toList(), SecretForms.of(SandboxOptions.DEFAULT_CONTRACT)))
                .as("the contract, in any form, in any variable").isNull();
        assertThat(run.variables()).doesNotContainKeys(Var.CONTRACT, Var.CONTRACT_SEALED);
    }

    @Test
    void aCreateAnsweredWith503IsSentAgainAndMakesOneRequest() throws Exception {
        SANDBOX.faults().failNextCalls(2); // the run's first calls to the platform are create's: "unable to handle it now"

        ProcessRecords run = start(input(Dumps.plain(dumps, "again.sql", "15.4"), "test", "https"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(SANDBOX.store().all()).filteredOn(r -> r.filename.equals("again.sql")).hasSize(1);
        assertThat(run.incidents()).isEmpty();
    }

    @Test
    void aCreateWhoseAnswerWasLostBecomesAnIncidentAndIsNotSentAgainByItself() throws Exception {
        // the platform creates the request, a gateway answers 504: the client cannot know it was created
        SANDBOX.faults().loseNextAnswers(1, 504);
        ProcessRecords run = start(input(Dumps.plain(dumps, "maybe.sql", "15.4"), "test", "https"));

        ProcessRecords.Incident incident = run.awaitIncident(RUN);
        assertThat(incident.elementId()).isEqualTo("create-request");
        assertThat(incident.message()).startsWith("create may have reached the platform (create: HTTP 504")
                .contains("if it announces a new request, cancel this instance");
        assertThat(run.jobFailures()).as("failed once, with no retry left").hasSize(1);
        assertThat(SANDBOX.store().all()).as("one request, the one whose answer was lost").filteredOn(r -> r.filename.equals("maybe.sql"))
                .hasSize(1);

        // the operator finds the platform's mail about that request and cancels the run
        camunda.newCancelInstanceCommand(run.instance()).send().join();
        await().atMost(RUN).until(run::ended);
        assertThat(run.endEvent()).as("cancelled, not ended").isEmpty();
        assertThat(SANDBOX.store().all()).filteredOn(r -> r.filename.equals("maybe.sql")).hasSize(1);
    }

    @Test
    void anSftpUploadCutMidwayResumesAndTheDumpArrivesWhole() throws Exception {
        Path dump = Dumps.sqlHeadedRandom(dumps.resolve("big.sql"), 3_000_000, 11);
        SANDBOX.faults().cutTransfers(1_000_000, 1);
        ListAppender<ILoggingEvent> log = capture(SftpTransfer.class);

        ProcessRecords run = start(input(dump, "test", "auto")); // above the 1 MB threshold: SFTP

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.variable(Var.UPLOAD_METHOD).asText()).isEqualTo("sftp");
        assertThat(run.timesCompleted("upload-sftp")).isEqualTo(1);
        assertThat(log.list).anyMatch(e -> e.getFormattedMessage().matches("resuming SFTP upload of request \\d+ at byte [1-9]\\d* of 3000000"));
        assertThat(run.variable(Var.UPGRADED_DUMP_SHA256).asText()).isEqualTo(Dumps.sha256(dump));
        assertThat(run.variable(Var.SFTP_KEY_SEALED).asText()).startsWith("sealed:v1:");
    }

    @Test
    void aProductionUpgradeWaitsForApprovalThenRuns() throws Exception {
        ProcessRecords run = start(input(Dumps.plain(dumps, "prod.sql", "15.4"), "production", "https"));

        OpenUserTask approval = run.awaitUserTask(Element.APPROVE_PRODUCTION, RUN);
        long id = run.variable(Var.REQUEST_ID).asLong();
        assertThat(SANDBOX.store().get(id).state.wire()).as("nothing processed before the approval").isEqualTo("draft");
        assertThat(run.variable(Var.DETECTED).path("postgresql").asText()).isEqualTo("15");

        ENGINE.completeUserTask(approval.key(), Map.of("approval", "approve", "approver", "Ada", "approvalComment", "window ok"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.variable(Var.APPROVER).asText()).isEqualTo("Ada");
        assertThat(run.variable(Var.APPROVAL_COMMENT).asText()).isEqualTo("window ok");
    }

    @Test
    void aRejectedProductionUpgradeEndsWithoutProcessing() throws Exception {
        ProcessRecords run = start(input(Dumps.plain(dumps, "prod2.sql", "15.4"), "production", "https"));

        OpenUserTask approval = run.awaitUserTask(Element.APPROVE_PRODUCTION, RUN);
        ENGINE.completeUserTask(approval.key(), Map.of("approval", "reject", "approver", "Bob", "approvalComment", "not today"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_APPROVAL_REJECTED);
        assertThat(run.timesCompleted("start-processing")).isZero();
        assertThat(SANDBOX.store().get(run.variable(Var.REQUEST_ID).asLong()).state.wire()).isEqualTo("draft");
    }

    @Test
    void aCreateThePlatformRefusesEndsWithEveryFailureVisible() throws Exception {
        Map<String, Object> in = input(Dumps.plain(dumps, "refused.sql", "15.4"), "test", "https");
        in.put(Var.TARGET, "5.0");
        in.put(Var.CONTRACT, "M999999-unknown");
        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_REQUEST_REJECTED);
        JsonNode failures = run.variable(Var.FAILURES);
        assertThat(failures).hasSize(2);
        assertThat(failures.findValuesAsText("reason")).containsExactlyInAnyOrder("TARGET:INVALID", "CONTRACT:NOT_FOUND");
        assertThat(run.variable(Var.REJECTION).asText()).contains("target 5.0 is not valid; expected one of 11.0, 12.0, 13.0");
        assertThat(run.variables()).doesNotContainKey(Var.REQUEST_ID);
        assertThat(run.everyVariableValue().filter(v -> v.contains("M999999-unknown")).count()).as("only the form's own input").isEqualTo(1);
    }

    @Test
    void badInputIsRefusedBeforeThePlatformIsCalled() {
        Map<String, Object> in = input(dumps.resolve("missing.dump"), "someday", "https");
        in.put(Var.EMAIL, "not-an-address");
        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_INPUT_INVALID);
        JsonNode problems = run.variable(Var.INPUT_ERRORS);
        assertThat(problems).hasSize(3);
        assertThat(problems.toString()).contains("does not exist", "not an email address", "choose test or production");
        assertThat(run.timesCompleted("create-request")).isZero();
    }

    @Test
    void aFailedUpgradeIsReviewedAndTriedAgainWithANewRequest() throws Exception {
        SANDBOX.faults().failFilenames(Pattern.compile("flaky"));
        ProcessRecords run = start(input(Dumps.plain(dumps, "flaky.sql", "15.4"), "test", "https"));

        OpenUserTask review = run.awaitUserTask(Element.REVIEW_FAILURE, RUN);
        long firstRequest = run.variable(Var.REQUEST_ID).asLong();
        assertThat(run.variable(Var.REQUEST_STATE).asText()).isEqualTo("failed");
        assertThat(run.variable(Var.PLATFORM).path("customerMessage").asText()).contains("upgrade of your database failed");
        assertThat(Path.of(run.variable(Var.NOTES_FILE).asText())).exists();

        SANDBOX.faults().failFilenames(null); // the operator fixed the cause
        ENGINE.completeUserTask(review.key(), Map.of("review", "retry", "reviewComment", "module fixed"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        long secondRequest = run.variable(Var.REQUEST_ID).asLong();
        assertThat(secondRequest).isNotEqualTo(firstRequest);
        assertThat(SANDBOX.store().get(firstRequest).state.wire()).isEqualTo("failed");
        assertThat(SANDBOX.store().get(secondRequest).state.wire()).isEqualTo("done");
        assertThat(run.timesCompleted("create-request")).isEqualTo(2);
    }

    @Test
    void aFailedUpgradeCanBeAbandoned() throws Exception {
        SANDBOX.faults().failFilenames(Pattern.compile("doomed"));
        ProcessRecords run = start(input(Dumps.plain(dumps, "doomed.sql", "15.4"), "test", "https"));

        OpenUserTask review = run.awaitUserTask(Element.REVIEW_FAILURE, RUN);
        ENGINE.completeUserTask(review.key(), Map.of("review", "abandon"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_ABANDONED);
        assertThat(run.timesCompleted("download")).isZero();
    }

    @Test
    void aRefusalAfterTheSubmissionGoesToTheReviewWithThePlatformsWords() throws Exception {
        Map<String, Object> in = input(Dumps.plain(dumps, "gone.sql", "15.4"), "production", "https");
        in.put(Var.SKIP_TESTS, true);
        ProcessRecords run = start(in);
        OpenUserTask approval = run.awaitUserTask(Element.APPROVE_PRODUCTION, RUN);
        long first = run.variable(Var.REQUEST_ID).asLong();
        SANDBOX.cancel(first, "Abandoned by the platform."); // while the approval waited
        ENGINE.completeUserTask(approval.key(), Map.of("approval", "approve", "approver", "Ada", "approvalComment", "go"));

        // skip_test on a cancelled request is refused: the model shows it, a person decides
        OpenUserTask review = run.awaitUserTask(Element.REVIEW_FAILURE, RUN);
        assertThat(run.timesCompleted("skip-test-refused")).isEqualTo(1);
        assertThat(run.variable(Var.FAILURES).findValuesAsText("reason")).containsExactly("STATE:INVALID");
        assertThat(run.variable(Var.REJECTION).asText()).startsWith("skip_test refused");
        assertThat(run.incidents()).isEmpty();

        ENGINE.completeUserTask(review.key(), Map.of("review", "retry", "reviewComment", "new request"));
        ENGINE.completeUserTask(run.awaitUserTask(Element.APPROVE_PRODUCTION, RUN).key(),
                Map.of("approval", "approve", "approver", "Ada", "approvalComment", "again"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.variable(Var.REQUEST_ID).asLong()).isNotEqualTo(first);
        assertThat(run.variable(Var.REJECTION).isNull()).as("the retry cleared the old refusal").isTrue();
    }

    @Test
    void skippingThePlatformTestsDeliversTheDump() throws Exception {
        Map<String, Object> in = input(Dumps.plain(dumps, "fast.sql", "15.4"), "test", "https");
        in.put(Var.SKIP_TESTS, true);
        ProcessRecords run = start(in);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.timesCompleted("skip-test")).isEqualTo(1);
        assertThat(run.variable(Var.REQUEST_STATE).asText()).isEqualTo("delivered");
    }

    @Test
    void thePollingLoopGoesAroundUntilThePlatformIsDone() throws Exception {
        SANDBOX.faults().holdFilenames(Pattern.compile("slow"));
        ProcessRecords run = start(input(Dumps.plain(dumps, "slow.sql", "15.4"), "test", "https"));

        await().atMost(RUN).until(() -> run.variable(Var.POLL_COUNT) != null && run.variable(Var.POLL_COUNT).asInt() >= 3);
        assertThat(run.ended()).isFalse();
        assertThat(run.variable(Var.REQUEST_STATE).asText()).isEqualTo("progress");
        SANDBOX.faults().holdFilenames(null);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.variable(Var.POLL_COUNT).asInt()).isGreaterThanOrEqualTo(4);
        assertThat(run.timesCompleted("poll-timer")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void anUpgradePastItsDeadlineGoesToAPersonWhoCanKeepWaiting() throws Exception {
        SANDBOX.faults().holdFilenames(Pattern.compile("stuck"));
        Map<String, Object> in = input(Dumps.plain(dumps, "stuck.sql", "15.4"), "test", "https");
        in.put(Var.DEADLINE, "PT3S");
        ProcessRecords run = start(in);

        OpenUserTask overdue = run.awaitUserTask(Element.REVIEW_OVERDUE, RUN);
        assertThat(run.variable(Var.REQUEST_STATE).asText()).isEqualTo("progress");
        SANDBOX.faults().holdFilenames(null);
        ENGINE.completeUserTask(overdue.key(), Map.of("overdue", "wait"));

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.timesCompleted("deadline-passed")).isEqualTo(1);
    }

    @Test
    void anOverdueUpgradeCanBeAbandoned() throws Exception {
        SANDBOX.faults().holdFilenames(Pattern.compile("forever"));
        Map<String, Object> in = input(Dumps.plain(dumps, "forever.sql", "15.4"), "test", "https");
        in.put(Var.DEADLINE, "PT2S");
        ProcessRecords run = start(in);

        ENGINE.completeUserTask(run.awaitUserTask(Element.REVIEW_OVERDUE, RUN).key(), Map.of("overdue", "abandon"));

        assertThat(run.awaitEnd(RUN)).isEqualTo("end-overdue-abandoned");
    }

    @Test
    void platformHiccupsAreRetriedByTheEngineWithBackoff() throws Exception {
        ProcessRecords run = start(input(Dumps.plain(dumps, "hiccup.sql", "15.4"), "test", "https"));
        await().atMost(RUN).until(() -> run.variable(Var.REQUEST_ID) != null);
        // more 503s in a row than the client retries by itself: the job fails, the engine hands it out again
        SANDBOX.faults().failNextCalls(6);

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
        assertThat(run.jobFailures()).isNotEmpty().allMatch(f -> f.contains("HTTP 503") && !f.contains("\tat "));
        assertThat(run.incidents()).isEmpty();
    }

    @Test
    void aPlatformThatStaysDownRaisesAReadableIncidentThatCanBeResolved() throws Exception {
        ProcessRecords run = start(input(Dumps.plain(dumps, "outage.sql", "15.4"), "test", "https"));
        await().atMost(RUN).until(() -> run.variable(Var.REQUEST_ID) != null);
        SANDBOX.faults().failNextCalls(1_000);

        ProcessRecords.Incident incident = run.awaitIncident(RUN);
        assertThat(incident.message()).startsWith("status: HTTP 503 from the upgrade service").doesNotContain("\tat ").doesNotContain(
                SANDBOX.store().get(run.variable(Var.REQUEST_ID).asLong()).key);

        SANDBOX.faults().failNextCalls(0); // the platform is back; the operator retries in Operate
        camunda.newUpdateRetriesCommand(incident.jobKey()).retries(3).send().join();
        camunda.newResolveIncidentCommand(incident.key()).send().join();

        assertThat(run.awaitEnd(RUN)).isEqualTo(Element.END_UPGRADED);
    }

    private static ListAppender<ILoggingEvent> capture(Class<?> type) {
        return capture(type.getName());
    }

    private static ListAppender<ILoggingEvent> capture(String logger) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(logger)).addAppender(appender);
        return appender;
    }
}
