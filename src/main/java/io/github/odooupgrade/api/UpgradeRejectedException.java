package io.github.odooupgrade.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The service answered and said no: a non-empty {@code failures} list. Retrying the same call will
 * not help; the input or the request's state must change. Carries every failure, secrets removed.
 */
public class UpgradeRejectedException extends UpgradeApiException {
    private final String method;
    private final List<ApiFailure> failures;

    public UpgradeRejectedException(String method, List<ApiFailure> failures) {
        super(method + " refused: " + failures.stream().map(ApiFailure::describe).collect(Collectors.joining("; ")), null);
        this.method = method;
        this.failures = List.copyOf(failures);
    }

    public String method() {
        return method;
    }

    public List<ApiFailure> failures() {
        return failures;
    }

    /** The first failure's reason, e.g. {@code TARGET:INVALID}: what a BPMN error code can be. */
    public String reason() {
        return failures.isEmpty() ? "UNKNOWN" : failures.get(0).reason();
    }

    public boolean hasReason(String reason) {
        return failures.stream().anyMatch(f -> reason.equals(f.reason()));
    }
}
