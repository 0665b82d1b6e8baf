package io.github.odooupgrade.run;

import static io.github.odooupgrade.run.TerminalTasks.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.io.PrintWriter;
import java.util.Map;

/** How a run ended, for the person at the terminal: the upgraded dump, or why there is none. */
final class RunSummary {
    private final Map<String, JsonNode> v;
    private final PrintWriter out;
    private final PrintWriter err;

    RunSummary(Map<String, String> variables, PrintWriter out, PrintWriter err) {
        this.v = TerminalTasks.read(variables);
        this.out = out;
        this.err = err;
    }

    private boolean set(String name) {
        return v.containsKey(name) && !v.get(name).isNull();
    }

    /** Prints the end; answers the exit code (0 upgraded, 1 otherwise). */
    int print(RunObserver.Ended end) {
        String id = end.endEventId() == null ? "" : end.endEventId();
        if (id.equals(Element.END_UPGRADED)) {
            out.println();
            out.println("upgraded: " + text(v, Var.UPGRADED_DUMP));
            out.println("  size:   " + text(v, Var.UPGRADED_DUMP_SIZE) + " bytes");
            out.println("  sha256: " + text(v, Var.UPGRADED_DUMP_SHA256));
            out.println("  notes:  " + text(v, Var.NOTES_FILE));
            if (set(Var.RESTORED_DATABASE)) { // a test-first run's production clears its test's
                out.println("  restored into database " + text(v, Var.RESTORED_DATABASE)
                        + (set(Var.RESTORED_FILESTORE) ? " (filestore " + text(v, Var.RESTORED_FILESTORE) + ")" : ""));
            }
            if (set(Var.TEST_DATABASE)) {
                out.println("  tested in database " + text(v, Var.TEST_DATABASE) + " (request " + text(v, Var.TEST_REQUEST_ID)
                        + ", acceptance report: " + text(v, Var.ACCEPTANCE_VERDICT) + ")");
            }
            out.println("  request " + text(v, Var.REQUEST_ID) + " ended " + text(v, Var.REQUEST_STATE)
                    + (v.containsKey(Var.POLL_COUNT) ? " after " + text(v, Var.POLL_COUNT) + " status check(s)" : ""));
            out.flush();
            return 0;
        }
        String reason = switch (id) {
            case Element.END_INPUT_INVALID -> "the input was refused: " + text(v, Var.INPUT_ERRORS);
            case Element.END_REQUEST_REJECTED -> "the upgrade platform refused the request: " + text(v, Var.REJECTION);
            case Element.END_APPROVAL_REJECTED, Element.END_TEST_NOT_APPROVED -> "the production upgrade was not approved (by "
                    + text(v, Var.APPROVER) + ": " + text(v, Var.APPROVAL_COMMENT) + ")";
            default -> "the run ended at \"" + end.name() + "\"" + (v.containsKey(Var.REQUEST_STATE)
                    ? " (request " + text(v, Var.REQUEST_ID) + " " + text(v, Var.REQUEST_STATE) + ")" : "")
                    + (v.containsKey(Var.REJECTION) && !v.get(Var.REJECTION).isNull() ? ": " + text(v, Var.REJECTION) : "");
        };
        err.println("error: " + reason);
        return 1;
    }
}
