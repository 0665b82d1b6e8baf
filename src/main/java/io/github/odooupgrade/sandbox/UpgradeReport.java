package io.github.odooupgrade.sandbox;

import io.github.odooupgrade.database.DatabaseFacts;
import io.github.odooupgrade.dumpformat.DumpFormat;
import io.github.odooupgrade.markup.Html;
import java.nio.file.Path;

/** {@code upgrade-report.html}: what the sandbox found in a request's dump and database, for a person. */
final class UpgradeReport {
    private UpgradeReport() {}

    static String html(UpgradeRequest r, Path origin, DumpFormat format, DatabaseFacts facts) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Upgrade report, request ")
                .append(r.id).append("</title></head><body>\n<h1>Upgrade report of request ").append(r.id).append("</h1>\n<table>\n");
        row(h, "Target", r.target);
        row(h, "Aim", r.aim);
        row(h, "Dump received", origin.getFileName() + ": " + DatabaseUpgrade.describe(format));
        row(h, "Restored on", "PostgreSQL " + facts.serverVersion());
        row(h, "Tables", Integer.toString(facts.tables()));
        if (facts.isOdoo()) {
            row(h, "Odoo", facts.odooSeries() + " (base " + facts.odooVersion() + ")");
            row(h, "Modules installed", Integer.toString(facts.installed().size()));
        } else {
            row(h, "Odoo", "not an Odoo database: it has no ir_module_module table");
        }
        h.append("</table>\n<p>The sandbox does not migrate data: the upgraded database is the one received, dumped again.</p>\n");
        if (facts.isOdoo()) {
            h.append("<h2>Modules</h2>\n<table>\n<tr><th>module</th><th>state</th><th>version</th></tr>\n");
            for (DatabaseFacts.Module m : facts.modules()) {
                h.append("<tr><td>").append(Html.escape(m.name())).append("</td><td>").append(Html.escape(m.state())).append("</td><td>")
                        .append(Html.escape(m.version())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static void row(StringBuilder h, String label, String value) {
        h.append("<tr><th>").append(Html.escape(label)).append("</th><td>").append(Html.escape(value)).append("</td></tr>\n");
    }
}
