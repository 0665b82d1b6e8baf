package io.github.odooupgrade.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.odooupgrade.process.CampaignProcess;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The user tasks of the process, answered at the terminal: the same decisions an operator takes
 * in Tasklist's forms, with the same variables as result. End of input counts as the cautious
 * answer (reject, abandon).
 */
public final class TerminalTasks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedReader in;
    private final PrintWriter out;

    public TerminalTasks(BufferedReader in, PrintWriter out) {
        this.in = in;
        this.out = out;
    }

    /** Asks the person at the terminal; answers the variables the task's form would submit. */
    Map<String, Object> answer(String elementId, Map<String, String> variables) {
        Map<String, JsonNode> v = read(variables);
        Map<String, Object> result = new HashMap<>();
        switch (elementId) {
            case Element.APPROVE_PRODUCTION -> {
                JsonNode d = v.getOrDefault(Var.DETECTED, JSON.createObjectNode());
                out.println();
                out.println("  Approve the production upgrade");
                out.println("    request:   " + text(v, Var.REQUEST_ID));
                out.println("    dump:      " + text(v, Var.DUMP_FILE) + " (" + text(v, Var.DUMP_SIZE) + " bytes)");
                out.println("    target:    " + text(v, Var.TARGET));
                out.println("    detected:  " + d.path("filesize").asText("?") + ", PostgreSQL " + d.path("postgresql").asText("?")
                        + ", " + words(d.path("compressions")) + ", filestore: " + d.path("filestore").asText("?"));
                String decision = choose("  Approve or reject?", List.of(Value.APPROVE, Value.REJECT), Value.REJECT);
                result.put(Var.APPROVAL, decision);
                result.put(Var.APPROVER, ask("  Your name", System.getProperty("user.name", "operator")));
                result.put(Var.APPROVAL_COMMENT, ask("  Comment", ""));
            }
            case Element.APPROVE_AFTER_TEST -> {
                out.println();
                out.println("  Try the test database, then approve production");
                out.println("    test request:  " + text(v, Var.REQUEST_ID));
                out.println("    test database: " + text(v, Var.TEST_DATABASE));
                out.println("    report:        " + text(v, Var.ACCEPTANCE_REPORT));
                text(v, Var.ACCEPTANCE_SUMMARY).lines().forEach(line -> out.println("    " + line));
                result.put(Var.APPROVAL, choose("  Approve the production upgrade, or reject?", List.of(Value.APPROVE, Value.REJECT), Value.REJECT));
                result.put(Var.APPROVER, ask("  Your name", System.getProperty("user.name", "operator")));
                result.put(Var.APPROVAL_COMMENT, ask("  Comment", ""));
            }
            case Element.REVIEW_FAILURE -> {
                out.println();
                out.println("  The upgrade did not succeed: request " + text(v, Var.REQUEST_ID) + " is " + text(v, Var.REQUEST_STATE));
                if (v.containsKey(Var.REJECTION) && !v.get(Var.REJECTION).isNull()) {
                    out.println("    refused:            " + text(v, Var.REJECTION));
                }
                out.println("    platform's message: " + v.getOrDefault(Var.PLATFORM, JSON.createObjectNode()).path("customerMessage").asText("-"));
                out.println("    report:             " + text(v, Var.NOTES_FILE));
                result.put(Var.REVIEW, choose("  Try again with a new request, or abandon?", List.of(Value.RETRY, Value.ABANDON), Value.ABANDON));
                result.put(Var.REVIEW_COMMENT, ask("  Comment", ""));
            }
            case Element.REVIEW_OVERDUE -> {
                out.println();
                out.println("  The upgrade is past its deadline (" + text(v, Var.DEADLINE) + "): request " + text(v, Var.REQUEST_ID)
                        + " is " + text(v, Var.REQUEST_STATE));
                result.put(Var.OVERDUE, choose("  Keep waiting, or abandon?", List.of(Value.WAIT, Value.ABANDON), Value.ABANDON));
            }
            case CampaignProcess.Element.APPROVE -> {
                out.println();
                out.println("  Approve the campaign's " + text(v, CampaignProcess.Var.PRODUCTION_ITEMS) + " production upgrades");
                text(v, CampaignProcess.Var.APPROVAL_LIST).lines().forEach(line -> out.println("    " + line));
                result.put(CampaignProcess.Var.APPROVAL, choose("  Approve or reject?", List.of(Value.APPROVE, Value.REJECT), Value.REJECT));
                result.put(CampaignProcess.Var.DROPPED_ITEMS, ask("  Items to leave out (numbers, e.g. 2, 5)", ""));
                result.put(Var.APPROVER, ask("  Your name", System.getProperty("user.name", "operator")));
                result.put(Var.APPROVAL_COMMENT, ask("  Comment", ""));
            }
            default -> throw new IllegalStateException("no terminal form for user task " + elementId);
        }
        return result;
    }

    private String choose(String question, List<String> choices, String onEndOfInput) {
        while (true) {
            out.print(question + " [" + String.join("/", choices) + "]: ");
            out.flush();
            String line = readLine();
            if (line == null) {
                out.println(onEndOfInput + " (end of input)");
                return onEndOfInput;
            }
            String answer = line.trim().toLowerCase(Locale.ROOT);
            for (String c : choices) {
                if (!answer.isEmpty() && c.startsWith(answer)) {
                    return c;
                }
            }
            out.println("  please answer " + String.join(" or ", choices));
        }
    }

    private String ask(String question, String fallback) {
        out.print(question + (fallback.isEmpty() ? "" : " [" + fallback + "]") + ": ");
        out.flush();
        String line = readLine();
        return line == null || line.isBlank() ? fallback : line.trim();
    }

    private String readLine() {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A list as words ("pgdmp_custom, gzip"), not as JSON. */
    static String words(JsonNode list) {
        if (!list.isArray()) {
            return list.isMissingNode() || list.isNull() ? "?" : list.asText();
        }
        List<String> items = new java.util.ArrayList<>();
        list.forEach(item -> items.add(item.asText()));
        return items.isEmpty() ? "none" : String.join(", ", items);
    }

    static String text(Map<String, JsonNode> v, String name) {
        JsonNode n = v.get(name);
        return n == null || n.isNull() ? "-" : n.isTextual() ? n.asText() : n.toString();
    }

    /** Variables as the engine gives them (JSON values), read. */
    static Map<String, JsonNode> read(Map<String, String> variables) {
        Map<String, JsonNode> v = new HashMap<>();
        variables.forEach((name, json) -> {
            try {
                v.put(name, JSON.readTree(json));
            } catch (IOException e) {
                v.put(name, JSON.getNodeFactory().textNode(json));
            }
        });
        return v;
    }
}
