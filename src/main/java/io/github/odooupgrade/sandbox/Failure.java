package io.github.odooupgrade.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One entry of the {@code failures} list every answer carries: always reason and message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Failure(String reason, String message, String code, String value, List<String> expected) {

    public static Failure of(String reason, String message) {
        return new Failure(reason, message, null, null, null);
    }

    public static Failure invalid(String field, String value, List<String> expected) {
        return new Failure(field.toUpperCase() + ":INVALID", "Invalid value \"" + value + "\"", null, value, expected);
    }

    public static Failure missing(String field) {
        return of(field.toUpperCase() + ":MISSING", "Missing parameter \"" + field + "\"");
    }

    public static Failure wrongState(long requestId, RequestState state, String action, List<RequestState> allowed) {
        List<String> names = allowed.stream().map(RequestState::wire).toList();
        return new Failure("STATE:INVALID",
                "Request " + requestId + " is in state \"" + state.wire() + "\"; " + action + " needs state "
                        + String.join(" or ", names.stream().map(n -> "\"" + n + "\"").toList()),
                null, state.wire(), names);
    }
}
