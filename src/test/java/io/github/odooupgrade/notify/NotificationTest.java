package io.github.odooupgrade.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each listener of the model tells a person, from the variables an instance has at that point. */
class NotificationTest {
    private static final Instant STARTED = Instant.parse("2026-12-01T09:00:00Z");

    private static Map<String, Object> run() {
        Map<String, Object> vars = new HashMap<>();
        vars.put(Var.DUMP_NAME, "db.dump");
        vars.put(Var.TARGET, "18.0");
        vars.put(Var.REQUEST_ID, 10534);
        vars.put(Var.STARTED_AT, STARTED.toString());
        return vars;
    }

    private static Notification told(String element, Map<String, Object> vars) {
        return Notification.of(element, vars, STARTED.plusSeconds(3 * 3600 + 7 * 60));
    }

    @Test
    void aFailedUpgradeAsksForAReviewWithThePlatformsWords() {
        Map<String, Object> vars = run();
        vars.put(Var.REQUEST_STATE, "failed");
        vars.put(Var.REJECTION, "the request was cancelled");
        vars.put(Var.NOTES_FILE, "/upgrades/request-10534/notes.html");

        Notification n = told(Element.REVIEW_FAILURE, vars);

        assertThat(n.subject()).isEqualTo("Review needed: the upgrade of db.dump failed");
        assertThat(n.lines()).containsExactly("The upgrade of db.dump to 18.0 (request 10534) did not succeed: state failed.",
                "Refused by the platform: the request was cancelled", "Report: /upgrades/request-10534/notes.html",
                "Try again with a new request, or abandon.");
    }

    @Test
    void anOverdueUpgradeAsksForADecision() {
        Map<String, Object> vars = run();
        vars.put(Var.DEADLINE, "P2D");
        vars.put(Var.REQUEST_STATE, "progress");
        vars.put(Var.POLL_COUNT, 577);

        Notification n = told(Element.REVIEW_OVERDUE, vars);

        assertThat(n.subject()).isEqualTo("Decision needed: the upgrade of db.dump is overdue");
        assertThat(n.lines()).containsExactly(
                "The upgrade of db.dump to 18.0 (request 10534) is past its deadline (P2D), state progress after 577 status checks.",
                "Keep waiting, or abandon.");
    }

    @Test
    void aRunThatEndsOtherwiseSaysWhyAndHowLongItTook() {
        Map<String, Object> vars = run();
        vars.put(Var.REJECTION, "target 5.0 is not valid; expected one of 17.0, 18.0, 19.0");
        vars.put(Var.APPROVER, "Ada");
        vars.put(Var.APPROVAL_COMMENT, "not this week");
        vars.put(Var.REQUEST_STATE, "failed");
        vars.put(Var.INPUT_ERRORS, List.of("dumpFile /dumps/x.dump does not exist"));

        assertThat(told(Element.END_REQUEST_REJECTED, vars).text()).isEqualTo("""
                Run ended: refused by the platform
                The platform refused the request: target 5.0 is not valid; expected one of 17.0, 18.0, 19.0
                Took 3 h 07 min (started 2026-12-01T09:00:00Z)""");
        assertThat(told(Element.END_APPROVAL_REJECTED, vars).text()).isEqualTo("""
                Run ended: not approved
                The production upgrade of db.dump to 18.0 (request 10534) was not approved (by Ada: not this week).
                Took 3 h 07 min (started 2026-12-01T09:00:00Z)""");
        assertThat(told(Element.END_ABANDONED, vars).subject()).isEqualTo("Run ended: abandoned");
        assertThat(told(Element.END_OVERDUE_ABANDONED, vars).lines())
                .startsWith("The upgrade of db.dump to 18.0 (request 10534) was abandoned (state failed).");
        assertThat(told(Element.END_INPUT_INVALID, vars).lines()).startsWith("The input was refused: [dumpFile /dumps/x.dump does not exist]");
    }

    @Test
    void nobodyIsToldOfAStepThatNeedsNoPerson() {
        assertThat(told("check-status", run())).isNull();
    }
}
