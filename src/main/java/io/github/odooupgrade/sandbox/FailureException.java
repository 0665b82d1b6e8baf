package io.github.odooupgrade.sandbox;

import java.util.List;

/** The platform said no: answered as HTTP 200 with a non-empty failures list. */
public class FailureException extends RuntimeException {
    private final List<Failure> failures;

    public FailureException(List<Failure> failures) {
        super(failures.stream().map(Failure::message).reduce((a, b) -> a + "; " + b).orElse("failure"));
        this.failures = List.copyOf(failures);
    }

    public FailureException(Failure failure) {
        this(List.of(failure));
    }

    public List<Failure> failures() {
        return failures;
    }
}
