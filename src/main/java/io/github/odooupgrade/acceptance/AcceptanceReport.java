package io.github.odooupgrade.acceptance;

import io.github.odooupgrade.acceptance.AcceptanceRules.Rule;
import io.github.odooupgrade.acceptance.Snapshot.Amount;
import io.github.odooupgrade.acceptance.Snapshot.Count;
import io.github.odooupgrade.acceptance.Snapshot.Module;
import io.github.odooupgrade.database.PgSql;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A source database and its upgraded copy compared by the rules: modules lost, added or not upgraded; rows of business
 * records lost (or gained where they may not be); sums that moved; attachments whose file is gone. Its verdict and
 * short summary are what a person sees where they decide; the page ({@link AcceptanceHtml}) has the whole of it.
 * A comparison that cannot run is a verdict too ({@link Verdict#NOT_COMPARED}, with the reason), never a failure.
 */
public record AcceptanceReport(Verdict verdict, String reason, Snapshot source, Snapshot upgraded, String target,
        AcceptanceRules rules, List<String> differences, List<String> notes) {
    /** The longest summary a form shows; the page has the rest. */
    public static final int SUMMARY_LIMIT = 1500;

    public enum Verdict {
        NO_DIFFERENCE("no difference"), DIFFERENCES("differences to look at"), NOT_COMPARED("not compared");

        public final String words;

        Verdict(String words) {
            this.words = words;
        }
    }

    /**
     * One side of a comparison: a database, what the report calls it (the dump a scratch database was restored from), and
     * its filestore folder (null: its attachments' files are not checked).
     */
    public record Side(String database, String shownAs, Path filestore) {
        public static Side of(String database, Path filestore) {
            return new Side(database, database, filestore);
        }
    }

    /** The same with the databases called by their names. */
    public static AcceptanceReport of(PgSql pg, String source, Path sourceFilestore, String upgraded, Path upgradedFilestore,
            String target, AcceptanceRules rules) {
        return of(pg, Side.of(source, sourceFilestore), Side.of(upgraded, upgradedFilestore), target, rules);
    }

    /**
     * Reads both databases and compares them; whatever goes wrong on the way (a database gone, no permission) makes a
     * report that says so. {@code target} is the series upgraded to ("18.0").
     */
    public static AcceptanceReport of(PgSql pg, Side source, Side upgraded, String target, AcceptanceRules rules) {
        Snapshot before;
        Snapshot after;
        try {
            before = Snapshot.read(pg, source.database(), source.filestore(), rules).named(source.shownAs());
        } catch (RuntimeException e) {
            return notCompared("the source " + source.shownAs() + " cannot be read: " + e.getMessage(), target);
        }
        if (!before.odoo()) {
            return notCompared(source.shownAs() + " is not an Odoo database (it has no ir_module_module table): there are no Odoo "
                    + "records to compare", target);
        }
        try {
            after = Snapshot.read(pg, upgraded.database(), upgraded.filestore(), rules).named(upgraded.shownAs());
        } catch (RuntimeException e) {
            return notCompared("the upgraded database " + upgraded.shownAs() + " cannot be read: " + e.getMessage(), target);
        }
        return compare(before, after, target, rules);
    }

    /** A comparison that could not run, and why. */
    public static AcceptanceReport notCompared(String reason, String target) {
        return new AcceptanceReport(Verdict.NOT_COMPARED, reason, null, null, target, null, List.of(), List.of());
    }

    static AcceptanceReport compare(Snapshot before, Snapshot after, String target, AcceptanceRules rules) {
        List<String> differences = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        modules(before, after, target, rules, differences, notes);
        for (Rule rule : rules.records()) {
            records(rule, before, after, differences, notes);
        }
        for (Rule rule : rules.sums()) {
            sums(rule, before, after, differences);
        }
        attachments(before, after, differences, notes);
        Set<String> unread = new LinkedHashSet<>(before.problems().keySet());
        unread.addAll(after.problems().keySet());
        for (String name : unread) {
            String why = after.problems().getOrDefault(name, before.problems().get(name));
            differences.add(name + " could not be compared: " + why);
        }
        Verdict verdict = differences.isEmpty() ? Verdict.NO_DIFFERENCE : Verdict.DIFFERENCES;
        return new AcceptanceReport(verdict, null, before, after, target, rules, List.copyOf(differences), List.copyOf(notes));
    }

    private static void modules(Snapshot before, Snapshot after, String target, AcceptanceRules rules, List<String> differences,
            List<String> notes) {
        List<String> added = new ArrayList<>();
        for (Module m : before.modules().values()) {
            Module now = after.modules().get(m.name());
            if (m.installed() && (now == null || !now.installed()) && !rules.modulesMayGo().contains(m.name())) {
                differences.add("module " + m.name() + " was installed and is not after the upgrade ("
                        + (now == null ? "no longer listed" : "state " + now.state()) + ")");
            }
        }
        for (Module m : after.modules().values()) {
            if (!m.installed()) {
                continue;
            }
            Module was = before.modules().get(m.name());
            if (was == null || !was.installed()) {
                added.add(m.name());
            }
            String series = Snapshot.seriesOf(m.version());
            if (target != null && series != null && !series.equals(target)) {
                differences.add("module " + m.name() + " is still at version " + m.version() + ", not upgraded to " + target);
            }
        }
        if (!added.isEmpty()) {
            notes.add("installed by the upgrade: " + String.join(", ", added));
        }
    }

    private static void records(Rule rule, Snapshot before, Snapshot after, List<String> differences, List<String> notes) {
        Count was = before.counts().get(rule.name());
        Count now = after.counts().get(rule.name());
        if (was == null || now == null || (was.rows() == null && now.rows() == null)) {
            return; // not read (a problem, said apart), or in neither database
        }
        if (was.rows() == null) {
            notes.add(rule.name() + ": " + now.rows() + " after the upgrade in " + now.table() + ", which the source did not have");
        } else if (differs(rule, was, now)) {
            long by = now.rows() == null ? 0 : now.rows() - was.rows();
            differences.add(now.rows() == null
                    ? rule.name() + ": " + was.rows() + " in " + was.table() + ", and no table " + now.table() + " after the upgrade"
                    : rule.name() + " (" + tables(was, now) + "): " + was.rows() + " → " + now.rows() + ", " + Math.abs(by)
                            + (by < 0 ? " fewer" : " more"));
        }
    }

    /** Rows of a kind lost (or its table gone while it had some), or gained where the rule does not allow it. */
    static boolean differs(Rule rule, Count was, Count now) {
        if (was == null || now == null || was.rows() == null) {
            return false;
        }
        return now.rows() == null ? was.rows() > 0 : now.rows() < was.rows() || now.rows() > was.rows() && !rule.mayGrow();
    }

    /** "account_move", or "account_invoice → account_move" where the kind moved table. */
    static String tables(Count was, Count now) {
        return was.table().equals(now.table()) ? was.table() : was.table() + " → " + now.table();
    }

    /** The amounts a sum rule has in either database, the source's first. */
    static Set<Amount> amounts(Rule rule, Snapshot before, Snapshot after) {
        Set<Amount> amounts = new LinkedHashSet<>(before.sums().getOrDefault(rule.name(), Map.of()).keySet());
        amounts.addAll(after.sums().getOrDefault(rule.name(), Map.of()).keySet());
        return amounts;
    }

    private static void sums(Rule rule, Snapshot before, Snapshot after, List<String> differences) {
        Map<Amount, BigDecimal> was = before.sums().getOrDefault(rule.name(), Map.of());
        Map<Amount, BigDecimal> now = after.sums().getOrDefault(rule.name(), Map.of());
        BigDecimal tolerance = BigDecimal.valueOf(rule.tolerance());
        for (Amount amount : amounts(rule, before, after)) {
            BigDecimal a = was.getOrDefault(amount, BigDecimal.ZERO);
            BigDecimal b = now.getOrDefault(amount, BigDecimal.ZERO);
            if (a.subtract(b).abs().compareTo(tolerance) > 0) {
                differences.add(rule.name() + ", " + rule.per() + " " + amount.group() + ", " + amount.column() + ": "
                        + a.toPlainString() + " → " + b.toPlainString());
            }
        }
    }

    private static void attachments(Snapshot before, Snapshot after, List<String> differences, List<String> notes) {
        if (before.attachments() != null && !before.attachments().missing().isEmpty()) {
            notes.add(before.attachments().missing().size() + " attachments' files were already missing from the source's filestore");
        }
        if (after.attachments() == null) {
            return;
        }
        List<String> lost = new ArrayList<>(after.attachments().missing());
        if (before.attachments() == null) { // the source's files not checked (a dump without its filestore): not known lost
            if (!lost.isEmpty()) {
                notes.add(lost.size() + " attachments' files are missing from the upgraded database's filestore; the source's was not "
                        + "checked");
            }
            return;
        }
        lost.removeAll(before.attachments().missing());
        if (!lost.isEmpty()) {
            differences.add(lost.size() + " attachments' files are missing from the upgraded database's filestore (e.g. "
                    + String.join(", ", lost.subList(0, Math.min(3, lost.size()))) + ")");
        }
    }

    /** The verdict and the differences in a few lines, at most {@link #SUMMARY_LIMIT} characters: what a form shows. */
    public String summary() {
        StringBuilder s = new StringBuilder(switch (verdict) {
            case NO_DIFFERENCE -> "No difference: " + source.database() + " and " + upgraded.database() + " hold the same records"
                    + " (" + rules.records().size() + " kinds, " + rules.sums().size() + (rules.sums().size() == 1 ? " sum" : " sums") + ", modules"
                    + (upgraded.attachments() != null ? ", attachments' files" : "") + ").";
            case DIFFERENCES -> "Differences to look at between " + source.database() + " and " + upgraded.database() + ":";
            case NOT_COMPARED -> "Not compared: " + reason + ".";
        });
        for (int i = 0; i < differences.size(); i++) {
            String line = "\n- " + differences.get(i);
            String more = "\n… and " + (differences.size() - i) + " more in the report";
            if (s.length() + line.length() + more.length() > SUMMARY_LIMIT) { // room kept for the "more" line
                s.append(more);
                break;
            }
            s.append(line);
        }
        return s.toString();
    }
}
