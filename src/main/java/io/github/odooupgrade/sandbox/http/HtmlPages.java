package io.github.odooupgrade.sandbox.http;

import io.github.odooupgrade.markup.Html;
import io.github.odooupgrade.sandbox.Platform;
import io.github.odooupgrade.sandbox.StatusView;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import java.time.Clock;
import java.util.Map;

/** The two pages a person reads: the request's status page and the upgrade report (notes). */
final class HtmlPages {
    private final Platform platform;
    private final StatusView.Urls urls;
    private final Clock clock;

    HtmlPages(Platform platform, StatusView.Urls urls, Clock clock) {
        this.platform = platform;
        this.urls = urls;
        this.clock = clock;
    }

    String status(UpgradeRequest r) {
        Map<String, Object> view = StatusView.of(r, urls, platform.lifecycle(), platform.currentFilesize(r), clock.instant());
        StringBuilder rows = new StringBuilder();
        view.forEach((name, value) -> {
            if (!name.equals("key")) { // the key is a secret: the page is linked with it, never shows it
                rows.append("<tr><th>").append(Html.escape(name)).append("</th><td>").append(cell(name, value)).append("</td></tr>\n");
            }
        });
        return page("Upgrade request " + r.id + " — " + r.state.wire(),
                "<p>Database upgrade request <b>" + r.id + "</b> for <b>" + Html.escape(r.filename) + "</b> to Odoo <b>"
                        + Html.escape(r.target) + "</b> (" + Html.escape(r.aim) + "): <b>" + r.state.wire() + "</b>.</p>\n"
                        + "<table>\n" + rows + "</table>\n");
    }

    String notes(UpgradeRequest r) {
        StringBuilder history = new StringBuilder();
        for (UpgradeRequest.Transition t : r.history) {
            history.append("<tr><td>").append(Html.escape(String.valueOf(t.at()))).append("</td><td>").append(t.state().wire())
                    .append("</td><td>").append(Html.escape(t.note())).append("</td></tr>\n");
        }
        String dump = r.dump == null ? "<p>No dump inspected yet.</p>"
                : r.dump.isDump()
                        ? "<p>Dump format: " + Html.escape(String.join(", ", r.dump.compressions())) + "; PostgreSQL "
                                + Html.escape(String.valueOf(r.dump.postgresql())) + "; filestore: " + r.dump.filestore() + ".</p>"
                        : "<p>The uploaded file is not a database dump: " + Html.escape(r.dump.problem()) + "</p>";
        String message = r.customerMessage == null ? "" : "<p class=\"message\"><b>Message:</b> " + Html.escape(r.customerMessage) + "</p>\n";
        return page("Upgrade report of request " + r.id,
                "<p>Target Odoo " + Html.escape(r.target) + ", aim " + Html.escape(r.aim) + ", state <b>" + r.state.wire() + "</b>"
                        + (r.skipTest ? " (platform tests skipped)" : "") + ".</p>\n" + message + dump
                        + "\n<h2>Timeline</h2>\n<table>\n<tr><th>at (UTC)</th><th>state</th><th>what happened</th></tr>\n"
                        + history + "</table>\n"
                        + "<p>This is the local upgrade sandbox: it does not migrate data. The upgraded dump is the "
                        + "uploaded file, byte for byte, so it restores wherever the original did.</p>\n");
    }

    private String cell(String name, Object value) {
        if (value instanceof String s && name.endsWith("_url")) {
            return "<a href=\"" + Html.escape(s) + "\">" + Html.escape(name.replace("_url", "")) + "</a>";
        }
        return Html.escape(String.valueOf(value));
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.escape(title) + "</title>"
                + "<style>body{font-family:sans-serif;margin:2em}th{text-align:left;padding-right:1em}"
                + "td,th{border-bottom:1px solid #ddd;padding:.2em .5em}.message{background:#fee;padding:.5em}</style>"
                + "</head><body>\n<h1>" + Html.escape(title) + "</h1>\n" + body + "</body></html>\n";
    }

}
