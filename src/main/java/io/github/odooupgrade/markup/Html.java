package io.github.odooupgrade.markup;

/** Text placed in an HTML page (the sandbox's pages and reports, the campaign summary) as text, never as markup. */
public final class Html {
    private Html() {}

    public static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
