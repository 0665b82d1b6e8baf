package io.github.odooupgrade.markup;

/**
 * Text placed in an HTML page (the sandbox's pages and reports, the campaign summary) as text, never as markup; and
 * a page's text without its markup (the platform's report, for a form).
 */
public final class Html {
    private Html() {}

    public static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** What a person reads of a page: its text, one line per block, at most {@code limit} characters ("…" where cut). */
    public static String text(String html, int limit) {
        String body = html.replaceAll("(?is)<(script|style|head)[^>]*>.*?</\\1>", " ")
                .replaceAll("(?i)<(br|/p|/tr|/h[1-6]|/li|/div|/table)[^>]*>", "\n")
                .replaceAll("(?i)</t[dh]>", " ")
                .replaceAll("<[^>]*>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&nbsp;", " ")
                .replace("&amp;", "&");
        String text = body.lines().map(l -> l.replaceAll("\\s+", " ").strip()).filter(l -> !l.isEmpty())
                .collect(java.util.stream.Collectors.joining("\n"));
        return text.length() <= limit ? text : text.substring(0, Math.max(0, limit - 1)) + "…";
    }
}
