package io.github.odooupgrade.api;

/**
 * The parameters of {@code create}. {@code timezone} is optional (source versions before 6.1).
 * The contract number is a secret: it never prints.
 */
public record CreateParams(String contract, String email, String target, String aim, String filename, String timezone) {
    public CreateParams(String contract, String email, String target, String aim, String filename) {
        this(contract, email, target, aim, filename, null);
    }

    @Override
    public String toString() {
        return "CreateParams[contract=***, email=" + email + ", target=" + target + ", aim=" + aim + ", filename=" + filename
                + ", timezone=" + timezone + "]";
    }
}
