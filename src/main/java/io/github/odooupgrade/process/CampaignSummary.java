package io.github.odooupgrade.process;

import io.github.odooupgrade.markup.Html;
import io.github.odooupgrade.process.CampaignProcess.Item;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a campaign ended, one row per item in the order given: the upgrades' results and the items
 * left out. The same rows as a variable (Operate), CSV and HTML (the output folder) and lines (the terminal).
 */
public record CampaignSummary(List<Map<String, Object>> rows) {
    /** The phases timed, in their order: the upload, the platform's states, the download, the restore. */
    public static final List<String> PHASES = List.of("upload", "pending", "progress", "test", "download", "restore");
    /** The columns, in their order. */
    public static final List<String> COLUMNS = columns();

    private static List<String> columns() {
        List<String> c = new ArrayList<>(List.of(Item.NUMBER, Item.NAME, Var.TARGET, Var.AIM, Item.OUTCOME, Var.REQUEST_ID));
        PHASES.forEach(p -> c.add(p + "Seconds"));
        c.addAll(List.of(Var.DUMP_SIZE, Var.UPGRADED_DUMP_SIZE, Var.UPGRADED_DUMP_SHA256, Var.UPGRADED_DUMP, Var.RESTORED_DATABASE,
                "note"));
        return List.copyOf(c);
    }

    /**
     * {@code results}: what each upgrade of {@code items} answered (its number and the upgrade's variables);
     * {@code leftOut}: the items not upgraded.
     */
    public static CampaignSummary of(List<?> items, List<?> results, List<?> leftOut) {
        Map<Object, Map<?, ?>> byNumber = new LinkedHashMap<>();
        for (Object o : items == null ? List.of() : items) {
            byNumber.put(number(((Map<?, ?>) o).get(Item.NUMBER)), (Map<?, ?>) o);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object o : results == null ? List.of() : results) {
            Map<?, ?> r = (Map<?, ?>) o;
            Map<?, ?> item = byNumber.getOrDefault(number(r.get(Item.NUMBER)), Map.of());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(Item.NUMBER, number(r.get(Item.NUMBER)));
            row.put(Item.NAME, item.get(Item.NAME));
            row.put(Var.TARGET, item.get(Var.TARGET));
            row.put(Var.AIM, item.get(Var.AIM));
            row.put(Item.OUTCOME, r.get("outcome") == null ? "unknown" : r.get("outcome"));
            row.put(Var.REQUEST_ID, r.get(Var.REQUEST_ID));
            Map<?, ?> phases = r.get(Var.PHASE_SECONDS) instanceof Map<?, ?> m ? m : Map.of();
            PHASES.forEach(p -> row.put(p + "Seconds", phases.get(p)));
            row.put(Var.DUMP_SIZE, r.get(Var.DUMP_SIZE));
            row.put(Var.UPGRADED_DUMP_SIZE, r.get(Var.UPGRADED_DUMP_SIZE));
            row.put(Var.UPGRADED_DUMP_SHA256, r.get(Var.UPGRADED_DUMP_SHA256));
            row.put(Var.UPGRADED_DUMP, r.get(Var.UPGRADED_DUMP));
            row.put(Var.RESTORED_DATABASE, r.get(Var.RESTORED_DATABASE));
            row.put("note", r.get(Var.REJECTION));
            rows.add(row);
        }
        for (Object o : leftOut == null ? List.of() : leftOut) {
            Map<?, ?> l = (Map<?, ?>) o;
            Map<String, Object> row = new LinkedHashMap<>();
            COLUMNS.forEach(c -> row.put(c, null));
            Map<?, ?> item = byNumber.getOrDefault(number(l.get(Item.NUMBER)), Map.of());
            row.put(Item.NUMBER, number(l.get(Item.NUMBER)));
            row.put(Item.NAME, l.get(Item.NAME));
            row.put(Var.TARGET, item.get(Var.TARGET));
            row.put(Var.AIM, item.get(Var.AIM));
            row.put(Item.OUTCOME, "left-out");
            row.put("note", l.get("why"));
            rows.add(row);
        }
        rows.sort(Comparator.comparingInt(r -> number(r.get(Item.NUMBER))));
        return new CampaignSummary(List.copyOf(rows));
    }

    /** An item's number as an int, however the JSON of the variables typed it. */
    private static int number(Object n) {
        return ((Number) n).intValue();
    }

    public boolean allUpgraded() {
        return !rows.isEmpty() && upgraded() == rows.size();
    }

    /** How many items were upgraded. */
    public long upgraded() {
        return rows.stream().filter(r -> Value.UPGRADED.equals(r.get(Item.OUTCOME))).count();
    }

    public String csv() {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Map<String, Object> row : rows) {
            out.append(COLUMNS.stream().map(c -> csvField(row.get(c))).collect(Collectors.joining(","))).append('\n');
        }
        return out.toString();
    }

    public String html() {
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Upgrade campaign</title></head>"
                + "<body>\n<h1>Upgrade campaign</h1>\n<table border=\"1\">\n<tr>");
        COLUMNS.forEach(c -> out.append("<th>").append(Html.escape(c)).append("</th>"));
        out.append("</tr>\n");
        for (Map<String, Object> row : rows) {
            out.append("<tr>");
            COLUMNS.forEach(c -> out.append("<td>").append(Html.escape(text(row.get(c)))).append("</td>"));
            out.append("</tr>\n");
        }
        return out.append("</table>\n</body></html>\n").toString();
    }

    /** One line per item, for the terminal. */
    public List<String> lines() {
        return rows.stream().map(r -> "item " + r.get(Item.NUMBER) + " " + r.get(Item.NAME) + ": " + r.get(Item.OUTCOME)
                + (r.get(Var.REQUEST_ID) != null ? " (request " + r.get(Var.REQUEST_ID) + ")" : "")
                + (r.get("note") != null ? ": " + r.get("note") : "")).toList();
    }

    private static String text(Object v) {
        return v == null ? "" : v.toString();
    }

    private static String csvField(Object v) {
        String s = text(v);
        return s.matches(".*[,\"\\n\\r].*") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

}
