package io.github.odooupgrade.process;

import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The start variables read as typed values, as a form sends them (blank is absent; a number may come as 12.0). */
final class FormValues {
    private FormValues() {}

    static Long requestId(Map<String, Object> vars, List<String> problems) {
        String text = text(vars, Var.REQUEST_ID);
        if (text == null) {
            return null;
        }
        try {
            long id = Long.parseLong(text.endsWith(".0") ? text.substring(0, text.length() - 2) : text); // a form's number may come as 12.0
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        problems.add("requestId " + text + " is not a request number: give the number the platform gave (e.g. 10534), or leave it empty");
        return null;
    }

    static boolean bool(Map<String, Object> vars, String name) {
        Object v = vars.get(name);
        return v instanceof Boolean b ? b : v != null && Boolean.parseBoolean(v.toString());
    }

    static Duration duration(Map<String, Object> vars, String name, Duration fallback, List<String> problems) {
        String text = text(vars, name);
        if (text == null) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative() || d.isZero()) {
                problems.add(name + " " + text + " must be longer than zero");
            }
            return d;
        } catch (DateTimeParseException e) {
            problems.add(name + " " + text + " is not an ISO-8601 duration: write it like PT5M or PT48H");
            return fallback;
        }
    }

    static String text(Map<String, Object> vars, String name) {
        Object v = vars.get(name);
        return v == null ? null : blankToNull(v.toString());
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
