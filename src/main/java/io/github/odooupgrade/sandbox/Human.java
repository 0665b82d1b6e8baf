package io.github.odooupgrade.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The human-readable formats the real service answers with. */
final class Human {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Human() {}

    /** "2018-09-09 07:13:49", UTC, as created_at in the seed. */
    static String timestamp(Instant instant) {
        return instant == null ? null : TIMESTAMP.format(instant);
    }

    /** "912.99 Kb", as filesize in the seed (binary multiples). */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " b";
        }
        String[] units = {"Kb", "Mb", "Gb", "Tb"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
    }

    /** "HH:MM", as elapsed in the seed; hours grow past 99 if they must. */
    static String hoursMinutes(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        return String.format(Locale.ROOT, "%02d:%02d", minutes / 60, minutes % 60);
    }

    static String duration(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
