package io.github.odooupgrade.acceptance;

import static io.github.odooupgrade.markup.Html.escape;

import io.github.odooupgrade.acceptance.AcceptanceRules.Rule;
import io.github.odooupgrade.acceptance.Snapshot.Amount;
import io.github.odooupgrade.acceptance.Snapshot.Count;
import io.github.odooupgrade.acceptance.Snapshot.Module;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The acceptance report as one HTML page (no script, no outside resource): verdict, differences, then every figure read. */
public final class AcceptanceHtml {
    private AcceptanceHtml() {}

    public static String page(AcceptanceReport r) {
        StringBuilder h = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Acceptance report</title>
                <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}
                td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}td.n{text-align:right}.diff{background:#fde2e1}
                .verdict{font-size:1.3em}</style></head><body>
                <h1>Acceptance report</h1>
                """);
        h.append("<p class=\"verdict\">Verdict: <strong>").append(escape(r.verdict().words)).append("</strong></p>\n");
        if (r.source() == null) {
            h.append("<p>").append(escape(r.reason())).append("</p>\n</body></html>\n");
            return h.toString();
        }
        h.append("<p>Source <code>").append(escape(r.source().database())).append("</code> (Odoo ").append(escape(series(r.source())))
                .append("), upgraded <code>").append(escape(r.upgraded().database())).append("</code> (Odoo ")
                .append(escape(series(r.upgraded()))).append(r.target() == null ? "" : ", target " + escape(r.target())).append(").</p>\n");
        list(h, "Differences to look at", r.differences());
        list(h, "Notes", r.notes());
        records(h, r);
        sums(h, r);
        modules(h, r);
        Snapshot.Attachments before = r.source().attachments();
        Snapshot.Attachments after = r.upgraded().attachments();
        h.append("<h2>Attachments' files</h2>\n<p>");
        h.append(before == null ? "source: not checked" : "source: " + before.stored() + " in the filestore, " + before.missing().size() + " missing");
        h.append("; ");
        h.append(after == null ? "upgraded: not checked" : "upgraded: " + after.stored() + " in the filestore, " + after.missing().size() + " missing");
        h.append(".</p>\n</body></html>\n");
        return h.toString();
    }

    private static String series(Snapshot s) {
        return s.series() == null ? "series unknown" : s.series();
    }

    private static void list(StringBuilder h, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        h.append("<h2>").append(escape(title)).append("</h2>\n<ul>\n");
        items.forEach(i -> h.append("<li>").append(escape(i)).append("</li>\n"));
        h.append("</ul>\n");
    }

    private static void records(StringBuilder h, AcceptanceReport r) {
        h.append("<h2>Records</h2>\n<table><thead><tr><th>records</th><th>table (source → upgraded)</th><th>source</th><th>upgraded</th>"
                + "</tr></thead><tbody>\n");
        for (Rule rule : r.rules().records()) {
            Count was = r.source().counts().get(rule.name());
            Count now = r.upgraded().counts().get(rule.name());
            if (was == null || now == null) {
                continue;
            }
            h.append("<tr").append(AcceptanceReport.differs(rule, was, now) ? " class=\"diff\"" : "").append("><td>").append(escape(rule.name()))
                    .append("</td><td>").append(escape(AcceptanceReport.tables(was, now))).append("</td><td class=\"n\">")
                    .append(rows(was)).append("</td><td class=\"n\">").append(rows(now)).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static String rows(Count c) {
        return c.rows() == null ? "no table" : Long.toString(c.rows());
    }

    private static void sums(StringBuilder h, AcceptanceReport r) {
        for (Rule rule : r.rules().sums()) {
            Map<Amount, BigDecimal> was = r.source().sums().getOrDefault(rule.name(), Map.of());
            Map<Amount, BigDecimal> now = r.upgraded().sums().getOrDefault(rule.name(), Map.of());
            Set<Amount> amounts = AcceptanceReport.amounts(rule, r.source(), r.upgraded());
            if (amounts.isEmpty()) {
                continue;
            }
            h.append("<h2>").append(escape(rule.name())).append("</h2>\n<table><thead><tr><th>").append(escape(rule.per()))
                    .append("</th><th>column</th><th>source</th><th>upgraded</th></tr></thead><tbody>\n");
            for (Amount a : amounts) {
                h.append("<tr><td>").append(escape(a.group())).append("</td><td>").append(escape(a.column())).append("</td><td class=\"n\">")
                        .append(amount(was.get(a))).append("</td><td class=\"n\">").append(amount(now.get(a))).append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }
    }

    private static String amount(BigDecimal v) {
        return v == null ? "—" : v.toPlainString();
    }

    private static void modules(StringBuilder h, AcceptanceReport r) {
        Set<String> names = new LinkedHashSet<>(r.source().modules().keySet());
        names.addAll(r.upgraded().modules().keySet());
        h.append("<h2>Modules</h2>\n<table><thead><tr><th>module</th><th>source</th><th>upgraded</th></tr></thead><tbody>\n");
        for (String name : names.stream().sorted().toList()) {
            Module was = r.source().modules().get(name);
            Module now = r.upgraded().modules().get(name);
            if ((was == null || !was.installed()) && (now == null || !now.installed())) {
                continue; // neither installed: nothing to judge
            }
            h.append("<tr><td>").append(escape(name)).append("</td><td>").append(module(was)).append("</td><td>").append(module(now))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static String module(Module m) {
        return m == null ? "—" : escape(m.state() + (m.version().isEmpty() ? "" : " " + m.version()));
    }
}
