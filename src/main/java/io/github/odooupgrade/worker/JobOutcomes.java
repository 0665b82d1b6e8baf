package io.github.odooupgrade.worker;

import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.JobError;
import io.camunda.client.jobhandling.JobExceptionHandlingStrategy;
import io.github.odooupgrade.api.ApiFailure;
import io.github.odooupgrade.api.UpgradeRejectedException;
import io.github.odooupgrade.api.UpgradeTechnicalException;
import io.github.odooupgrade.process.InputValidator.InvalidInputException;
import io.github.odooupgrade.process.UpgradeProcess.ErrorCode;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.transfer.TransferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * How what a worker throws reaches the engine — one place for all workers, which only throw:
 * <ul>
 * <li>bad input ({@link InvalidInputException}) → the BPMN error {@code INVALID_INPUT}, every problem in {@code inputErrors};</li>
 * <li>the platform said no ({@link UpgradeRejectedException}) → the BPMN error {@code PLATFORM_REJECTED}, every
 * failure in {@code failures}, one sentence in {@code rejection};</li>
 * <li>a technical fault that may pass (connection, timeout, 5xx, a cut transfer) → the job fails with one retry
 * less and {@code upgrade.retry-backoff}; at zero retries Operate shows an incident with the message;</li>
 * <li>anything that will not pass by trying again (a host key refused, a secret that cannot be opened, a bug),
 * and a BPMN error the job's type does not declare ({@link ErrorCode#thrownBy}) → an incident at once.</li>
 * </ul>
 * Messages come from the API and transfer layers, which keep keys and contracts out of them; no stack
 * trace is sent (the starter's default would send one, and Operate would show it as the incident).
 */
@Component
final class JobOutcomes implements JobExceptionHandlingStrategy {
    private static final Logger log = LoggerFactory.getLogger(JobOutcomes.class);

    private final Duration backoff;
    private final UpgradeMetrics metrics;

    JobOutcomes(UpgradeProperties props, UpgradeMetrics metrics) {
        this.backoff = props.retryBackoff();
        this.metrics = metrics;
    }

    @Override
    public void handleException(Exception e, ExceptionHandlingContext context) {
        ActivatedJob job = context.job();
        switch (e) {
            case InvalidInputException invalid -> bpmnError(context, ErrorCode.INVALID_INPUT, invalid.getMessage(),
                    Map.of(Var.INPUT_ERRORS, invalid.problems()));
            case UpgradeRejectedException rejected -> bpmnError(context, ErrorCode.PLATFORM_REJECTED, rejected.getMessage(),
                    Map.of(Var.FAILURES, failures(rejected.failures()), Var.REJECTION, rejected.getMessage()));
            case JobError failure -> fail(context, failure.getRetries() == null ? Math.max(0, job.getRetries() - 1) : failure.getRetries(),
                    failure.getErrorMessage());
            case UpgradeTechnicalException t -> retry(context, t.isTransient(), t.getMessage());
            case TransferException t -> retry(context, t.isTransient(), t.getMessage());
            case UncheckedIOException io -> retry(context, true, io.getMessage());
            case IOException io -> retry(context, true, io.getMessage());
            default -> retry(context, false, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private void bpmnError(ExceptionHandlingContext context, String code, String message, Map<String, Object> variables) {
        ActivatedJob job = context.job();
        if (!ErrorCode.thrownBy(job.getType()).contains(code)) {
            // the model has no path for it here: an incident says what happened, where an uncaught error would not
            fail(context, 0, message);
            return;
        }
        log.warn("{} of instance {}: {}", job.getType(), job.getProcessInstanceKey(), message);
        metrics.bpmnError(job.getType(), code);
        context.jobClient().newThrowErrorCommand(job).errorCode(code).errorMessage(message).variables(variables).send();
    }

    private void retry(ExceptionHandlingContext context, boolean mayPass, String message) {
        fail(context, mayPass ? Math.max(0, context.job().getRetries() - 1) : 0, message);
    }

    private void fail(ExceptionHandlingContext context, int retries, String message) {
        ActivatedJob job = context.job();
        metrics.jobFailed(job.getType(), retries == 0);
        if (retries > 0) {
            log.warn("{} of instance {} failed, {} retries left, next in {}: {}", job.getType(), job.getProcessInstanceKey(),
                    retries, backoff, message);
        } else {
            log.error("{} of instance {} failed, no retries left (incident): {}", job.getType(), job.getProcessInstanceKey(), message);
        }
        context.jobClient().newFailCommand(job).retries(retries).retryBackoff(retries > 0 ? backoff : Duration.ZERO)
                .errorMessage(message).send();
    }

    static List<Map<String, Object>> failures(List<ApiFailure> failures) {
        return failures.stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reason", f.reason());
            m.put("message", f.describe());
            if (f.code() != null) {
                m.put("code", f.code()); // the client has already redacted the contract from it
            }
            if (f.value() != null) {
                m.put("value", f.value());
            }
            if (f.expected() != null) {
                m.put("expected", f.expected());
            }
            return m;
        }).toList();
    }
}
