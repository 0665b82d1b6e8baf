package io.github.odooupgrade.run;

/** The first line of the innermost cause: what a person needs of a failure at the command line. */
public final class RootCause {
    private RootCause() {}

    public static String of(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
