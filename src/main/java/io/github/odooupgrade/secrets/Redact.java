package io.github.odooupgrade.secrets;

import java.util.regex.Pattern;

/** Takes secrets out of text that may be logged: request keys in URLs, and known secret values. */
public final class Redact {
    /** {@code key=...} in a query string or form body. */
    private static final Pattern KEY_PARAM = Pattern.compile("(?i)(\\bkey=)[^&\\s]+");
    /** The key segment of {@code /database/<region>/<id>/<key>/<kind>}. */
    private static final Pattern KEY_SEGMENT = Pattern.compile("(/database/[^/\\s]+/\\d+/)[^/\\s]+(/)");

    private Redact() {}

    public static String url(String url) {
        if (url == null) {
            return null;
        }
        return KEY_SEGMENT.matcher(KEY_PARAM.matcher(url).replaceAll("$1***")).replaceAll("$1***$2");
    }

    public static String secrets(String text, Iterable<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isBlank()) {
                out = out.replace(secret, "***");
            }
        }
        return out;
    }
}
