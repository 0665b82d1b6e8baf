package io.github.odooupgrade.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.odooupgrade.process.CampaignProcess;
import io.github.odooupgrade.process.CampaignSummary;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign on this machine: the stack started, the campaign started, a line per step of each
 * item's upgrade and per move of a transfer's percent, the approval and the reviews asked at the terminal, the summary at the end. Exit 0
 * when every item was upgraded, 1 otherwise, 3 stopped on an incident.
 */
public final class CampaignSession {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CampaignSession() {}

    public static int run(RunPlan plan, BufferedReader in, PrintWriter out, PrintWriter err) throws InterruptedException {
        try (LocalStack stack = LocalStack.start(plan, out, err)) {
            CampaignObserver campaign = stack.startCampaign(plan.variables());
            TerminalTasks tasks = new TerminalTasks(in, out);
            Map<Integer, String> names = new HashMap<>();
            while (true) {
                for (Object event : campaign.poll()) {
                    switch (event) {
                        case CampaignObserver.ItemStep s -> out.println(s.item() == 0 ? "> " + s.name()
                                : itemLine(campaign, names, s.item(), s.name()));
                        case CampaignObserver.ItemProgress p -> out.println(itemLine(campaign, names, p.item(), p.step() + " " + p.percent() + "%"));
                        case CampaignObserver.UserTaskOpened t -> campaign.completeUserTask(t.key(),
                                tasks.answer(t.elementId(), campaign.variables(t.instance())));
                        case CampaignObserver.Incident i -> {
                            err.println("error: " + (i.item() == 0 ? "the campaign" : "item " + i.item()) + " stopped at \"" + i.elementId()
                                    + "\" on an incident: " + i.message());
                            return 3;
                        }
                        case CampaignObserver.Ended e -> {
                            return summary(campaign.variables(campaign.instance()), e, out, err);
                        }
                        default -> throw new IllegalStateException("unknown event " + event);
                    }
                }
                out.flush();
                Thread.sleep(100);
            }
        }
    }

    /** "  item 2 shop.sql: TEXT". */
    private static String itemLine(CampaignObserver campaign, Map<Integer, String> names, int item, String text) {
        return "  item " + item + " " + name(campaign, names, item) + ": " + text;
    }

    /** The item's name, from the campaign's checked items (read once). */
    private static String name(CampaignObserver campaign, Map<Integer, String> names, int item) {
        if (names.isEmpty()) {
            for (Map<String, Object> i : list(campaign.variables(campaign.instance()).get(CampaignProcess.Var.ITEMS))) {
                names.put(((Number) i.get(CampaignProcess.Item.NUMBER)).intValue(), String.valueOf(i.get(CampaignProcess.Item.NAME)));
            }
        }
        return names.getOrDefault(item, "");
    }

    private static int summary(Map<String, String> vars, CampaignObserver.Ended end, PrintWriter out, PrintWriter err) {
        if (!CampaignProcess.Element.END.equals(end.endEventId())) {
            err.println("error: the campaign was refused: " + vars.get(Var.INPUT_ERRORS));
            return 1;
        }
        CampaignSummary summary = new CampaignSummary(list(vars.get(CampaignProcess.Var.SUMMARY)));
        out.println();
        summary.lines().forEach(out::println);
        out.println("summary: " + text(vars.get(CampaignProcess.Var.SUMMARY_CSV)) + ", " + text(vars.get(CampaignProcess.Var.SUMMARY_HTML)));
        out.flush();
        return summary.allUpgraded() ? 0 : 1;
    }

    private static List<Map<String, Object>> list(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String json) {
        return json == null ? "-" : json.replaceAll("^\"|\"$", "");
    }
}
