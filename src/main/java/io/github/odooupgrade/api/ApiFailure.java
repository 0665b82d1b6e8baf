package io.github.odooupgrade.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.github.odooupgrade.secrets.Redact;
import java.util.List;
import java.util.Locale;

/** One entry of an answer's {@code failures}: always reason and message, maybe code, value, expected. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiFailure(String reason, String message, String code, String value, List<String> expected) {

    /** The field a reason like {@code TARGET:INVALID} is about, in lower case ("target"), or null. */
    public String field() {
        int colon = reason == null ? -1 : reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon).toLowerCase(Locale.ROOT) : null;
    }

    /** A sentence a person can act on, e.g. "target 5.0 is not valid; expected one of 11.0, 12.0, 13.0". */
    public String describe() {
        String kind = reason == null ? "" : reason.substring(reason.indexOf(':') + 1);
        String field = field();
        if (field != null && kind.equals("INVALID") && value != null) {
            String sentence = field + " " + value + " is not valid";
            return expected == null || expected.isEmpty() ? sentence : sentence + "; expected one of " + String.join(", ", expected);
        }
        if (field != null && kind.equals("MISSING")) {
            return field + " is missing";
        }
        if ("CONTRACT:NOT_FOUND".equals(reason)) {
            return "the contract number was not found; check it";
        }
        return message != null ? message : reason;
    }

    /** The same failure with every occurrence of the given secrets replaced. */
    ApiFailure redact(Iterable<String> secrets) {
        return new ApiFailure(reason, Redact.secrets(message, secrets), Redact.secrets(code, secrets), Redact.secrets(value, secrets),
                expected);
    }
}
