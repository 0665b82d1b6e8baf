package io.github.odooupgrade.worker;

import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.CamundaError;
import io.github.odooupgrade.api.ApiFailure;
import io.github.odooupgrade.api.UpgradeRejectedException;
import io.github.odooupgrade.api.UpgradeTechnicalException;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.transfer.TransferException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a worker's outcome reaches the engine:
 * <ul>
 * <li>the platform said no ({@link UpgradeRejectedException}) → a BPMN error whose code is the
 * platform's first {@code reason}, with every failure in {@code failures} — the model catches it;</li>
 * <li>a technical fault that may pass (connection, timeout, 5xx, a cut transfer) → the job fails
 * with one retry less and a backoff; at zero retries Operate shows an incident with the message;</li>
 * <li>anything that will not pass by trying again (a host key refused, a secret that cannot be
 * opened, a bug) → the job fails with no retries left: an incident at once.</li>
 * </ul>
 * Messages come from the API and transfer layers, which keep keys and contracts out of them.
 */
final class JobFailures {
    private static final Logger log = LoggerFactory.getLogger(JobFailures.class);

    private JobFailures() {}

    static <T> T guard(ActivatedJob job, Duration backoff, Supplier<T> work) {
        try {
            return work.get();
        } catch (CamundaError e) {
            throw e;
        } catch (UpgradeRejectedException e) {
            log.warn("{} of instance {}: the platform refused: {}", job.getType(), job.getProcessInstanceKey(), e.getMessage());
            throw CamundaError.bpmnError(e.reason(), e.getMessage(),
                    Map.of(Var.FAILURES, failures(e.failures()), Var.REJECTION, e.getMessage()));
        } catch (UpgradeTechnicalException e) {
            throw retry(job, e.isTransient(), e.getMessage(), backoff);
        } catch (TransferException e) {
            throw retry(job, e.isTransient(), e.getMessage(), backoff);
        } catch (UncheckedIOException e) {
            throw retry(job, true, e.getMessage(), backoff);
        } catch (RuntimeException e) {
            throw retry(job, false, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), backoff);
        }
    }

    private static CamundaError retry(ActivatedJob job, boolean mayPass, String message, Duration backoff) {
        int retries = mayPass ? Math.max(0, job.getRetries() - 1) : 0;
        if (retries > 0) {
            log.warn("{} of instance {} failed, {} retries left, next in {}: {}", job.getType(), job.getProcessInstanceKey(),
                    retries, backoff, message);
        } else {
            log.error("{} of instance {} failed, no retries left (incident): {}", job.getType(), job.getProcessInstanceKey(), message);
        }
        // no cause given to the engine: with one, the starter reports a stack trace where Operate should show the message
        return CamundaError.jobError(message, null, retries, retries > 0 ? backoff : Duration.ZERO);
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
