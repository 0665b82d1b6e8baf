package io.github.odooupgrade.notify;

import io.github.odooupgrade.process.CampaignProcess;
import io.github.odooupgrade.process.CampaignSummary;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a person is told, and when: a user task that waits for them, or the end of a run. Built from
 * the element the model's listener sits on and the instance's variables — only the ones that carry no
 * secret (the request key, the contract and URLs embedding the key are never among them).
 */
public record Notification(String subject, List<String> lines) {

    /**
     * The notification for the model's element {@code elementId}, or null where nobody needs telling.
     * {@code now}: when it is sent (an end tells how long the run took).
     */
    public static Notification of(String elementId, Map<String, Object> vars, Instant now) {
        String what = text(vars, Var.DUMP_NAME) + " to " + text(vars, Var.TARGET) + " (request " + text(vars, Var.REQUEST_ID) + ")";
        List<String> lines = new ArrayList<>();
        String subject = switch (elementId) {
            case Element.APPROVE_PRODUCTION -> {
                lines.add("The production upgrade of " + what + " waits for an approval.");
                lines.add("Detected by the platform: " + text(vars, Var.DETECTED));
                yield "Approval needed: production upgrade of " + text(vars, Var.DUMP_NAME);
            }
            case Element.APPROVE_AFTER_TEST, Element.REMINDER_SENT -> {
                boolean reminder = elementId.equals(Element.REMINDER_SENT);
                lines.add((reminder ? "Still waiting: the" : "The") + " test upgrade of " + what + " is restored into "
                        + text(vars, Var.TEST_DATABASE) + ". Try it, then approve or reject the production upgrade.");
                lines.add("Acceptance report: " + text(vars, Var.ACCEPTANCE_SUMMARY));
                yield (reminder ? "Reminder: " : "") + "Try the test database, approve production: " + text(vars, Var.DUMP_NAME);
            }
            case CampaignProcess.Element.APPROVE -> {
                lines.add("A campaign's " + text(vars, CampaignProcess.Var.PRODUCTION_ITEMS) + " production upgrades wait for one approval:");
                lines.add(text(vars, CampaignProcess.Var.APPROVAL_LIST).trim());
                yield "Approval needed: a campaign's production upgrades";
            }
            case CampaignProcess.Element.END -> {
                @SuppressWarnings("unchecked")
                CampaignSummary summary = new CampaignSummary(vars.get(CampaignProcess.Var.SUMMARY) instanceof List<?> rows
                        ? (List<Map<String, Object>>) rows : List.of());
                String counted = summary.upgraded() + " of " + summary.rows().size();
                lines.add("The campaign ended: " + counted + " items upgraded.");
                lines.addAll(summary.lines());
                addIf(lines, "Summary: ", vars.get(CampaignProcess.Var.SUMMARY_HTML));
                yield "Campaign ended: " + counted + " upgraded";
            }
            case CampaignProcess.Element.END_REFUSED -> {
                lines.add("The campaign was refused before anything started: " + text(vars, Var.INPUT_ERRORS));
                yield "Campaign refused: its list";
            }
            case Element.REVIEW_FAILURE -> {
                lines.add("The upgrade of " + what + " did not succeed: state " + text(vars, Var.REQUEST_STATE) + ".");
                addIf(lines, "Refused by the platform: ", vars.get(Var.REJECTION));
                addIf(lines, "Report: ", vars.get(Var.NOTES_FILE));
                lines.add("Try again with a new request, or abandon.");
                yield "Review needed: the upgrade of " + text(vars, Var.DUMP_NAME) + " failed";
            }
            case Element.REVIEW_OVERDUE -> {
                lines.add("The upgrade of " + what + " is past its deadline (" + text(vars, Var.DEADLINE) + "), state "
                        + text(vars, Var.REQUEST_STATE) + " after " + text(vars, Var.POLL_COUNT) + " status checks.");
                lines.add("Keep waiting, or abandon.");
                yield "Decision needed: the upgrade of " + text(vars, Var.DUMP_NAME) + " is overdue";
            }
            case Element.END_UPGRADED -> {
                lines.add("Upgraded: " + what + ".");
                lines.add("Dump sent: " + text(vars, Var.DUMP_NAME) + " (" + text(vars, Var.DUMP_SIZE) + " bytes)");
                lines.add("Upgraded dump: " + text(vars, Var.UPGRADED_DUMP) + " (" + text(vars, Var.UPGRADED_DUMP_SIZE) + " bytes, sha256 "
                        + text(vars, Var.UPGRADED_DUMP_SHA256) + ")");
                addIf(lines, "Restored into database: ", vars.get(Var.RESTORED_DATABASE));
                addIf(lines, "Report: ", vars.get(Var.NOTES_FILE));
                yield "Upgraded: " + text(vars, Var.DUMP_NAME) + " to " + text(vars, Var.TARGET);
            }
            case Element.END_INPUT_INVALID, Element.END_ADOPT_INPUT_INVALID -> {
                lines.add("The input was refused: " + text(vars, Var.INPUT_ERRORS));
                yield "Run ended: input refused";
            }
            case Element.END_REQUEST_REJECTED, Element.END_ADOPT_REFUSED -> {
                lines.add("The platform refused the request: " + text(vars, Var.REJECTION));
                yield "Run ended: refused by the platform";
            }
            case Element.END_TEST_NOT_APPROVED -> {
                lines.add("After its test upgrade (request " + text(vars, Var.TEST_REQUEST_ID) + ", database " + text(vars, Var.TEST_DATABASE)
                        + "), the production upgrade of " + text(vars, Var.DUMP_NAME) + " was not approved (by " + text(vars, Var.APPROVER)
                        + ": " + text(vars, Var.APPROVAL_COMMENT) + ").");
                yield "Run ended: production not approved after the test";
            }
            case Element.END_APPROVAL_REJECTED -> {
                lines.add("The production upgrade of " + what + " was not approved (by " + text(vars, Var.APPROVER) + ": "
                        + text(vars, Var.APPROVAL_COMMENT) + ").");
                yield "Run ended: not approved";
            }
            case Element.END_ABANDONED, Element.END_OVERDUE_ABANDONED -> {
                lines.add("The upgrade of " + what + " was abandoned (state " + text(vars, Var.REQUEST_STATE) + ").");
                yield "Run ended: abandoned";
            }
            default -> null;
        };
        if (subject == null) {
            return null;
        }
        if (Element.outcomeOf(elementId) != null && vars.get(Var.STARTED_AT) instanceof String started) {
            lines.add("Took " + shown(Duration.between(Instant.parse(started), now)) + " (started " + started + ")");
        }
        return new Notification(subject, List.copyOf(lines));
    }

    /** The same, with one more line at the end (a link to Tasklist or Operate). */
    public Notification withLine(String line) {
        List<String> more = new ArrayList<>(lines);
        more.add(line);
        return new Notification(subject, List.copyOf(more));
    }

    /** "41 s", "3 min 12 s", "2 h 05 min", "3 d 4 h". */
    static String shown(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        if (s < 86_400) {
            return (s / 3600) + " h " + String.format("%02d", (s % 3600) / 60) + " min";
        }
        return (s / 86_400) + " d " + ((s % 86_400) / 3600) + " h";
    }

    /** The message as one text: the subject, then the lines. */
    public String text() {
        return subject + "\n" + String.join("\n", lines);
    }

    private static void addIf(List<String> lines, String label, Object value) {
        if (value != null && !value.toString().isBlank()) {
            lines.add(label + value);
        }
    }

    private static String text(Map<String, Object> vars, String name) {
        Object v = vars.get(name);
        return v == null ? "-" : v.toString();
    }
}
