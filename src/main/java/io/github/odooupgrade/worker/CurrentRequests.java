package io.github.odooupgrade.worker;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.api.CurrentApiClient;
import io.github.odooupgrade.api.CurrentRef;
import io.github.odooupgrade.process.InputValidator.InvalidInputException;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.transfer.SshKeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The model's platform steps for a run of today's API — the second adapter behind the same workers: create, start,
 * poll (with the platform's log), continue a request made elsewhere, and delete the platform's copy. The request's
 * token travels sealed as the request's key, its host beside it; its SSH key pair is made at create and sealed.
 */
@Component
class CurrentRequests {
    private static final Logger log = LoggerFactory.getLogger(CurrentRequests.class);
    /** How many of the log's last lines a variable keeps (Operate shows it; the whole log is in the results folder). */
    static final int LOG_LINES = 20;

    private final CurrentApiClient client;
    private final ProcessSecrets secrets;
    private final CamundaClient camunda;
    private final ResultsFolder results;
    private final UpgradeMetrics metrics;

    CurrentRequests(CurrentApiClient client, ProcessSecrets secrets, CamundaClient camunda, ResultsFolder results, UpgradeMetrics metrics) {
        this.client = client;
        this.secrets = secrets;
        this.camunda = camunda;
        this.results = results;
        this.metrics = metrics;
    }

    static boolean current(Map<String, Object> vars) {
        return Value.PLATFORM_CURRENT.equals(vars.get(Var.PLATFORM_API));
    }

    /**
     * create, with a key pair made for the request (its public half given). As for v1, the request is written into
     * the instance the moment the platform answers, so a job delivered again does not make a second one.
     */
    Map<String, Object> create(ActivatedJob job, Map<String, Object> vars) {
        SshKeyPair key = SshKeyPair.generateEd25519("odoo-upgrade instance " + job.getProcessInstanceKey());
        CurrentApiClient.Created created = client.create(new CurrentApiClient.CreateParams(secrets.contract(vars),
                (String) vars.get(Var.TARGET), (String) vars.get(Var.AIM), List.of(), key.publicKey()));
        CurrentRef ref = created.ref();
        Map<String, Object> out = new HashMap<>();
        out.put(Var.REQUEST_ID, ref.id());
        out.put(Var.REQUEST_KEY_SEALED, secrets.seal(ref.token()));
        out.put(Var.REQUEST_HOST, ref.host());
        out.put(Var.SSH_KEY_SEALED, secrets.sealKeyPair(key));
        out = CreateRequestWorker.fresh(out);
        camunda.newSetVariablesCommand(job.getProcessInstanceKey()).variables(out).send().join();
        if (created.info() != null) {
            log.warn("instance {}: the platform says of request {}: {}", job.getProcessInstanceKey(), ref.id(), created.info());
        }
        log.info("instance {}: upgrade request {} created on {}", job.getProcessInstanceKey(), ref.id(), ref.host());
        return out;
    }

    /**
     * process, while the request is still new (a job delivered again after it finds it pending or further, and does
     * not ask twice). When the upgraded database will need a newer PostgreSQL than the dump came from, a restore asked
     * for is skipped with a sentence saying why: the download still happens.
     */
    Map<String, Object> process(ActivatedJob job, Map<String, Object> vars) {
        CurrentRef ref = secrets.currentRequest(vars);
        CurrentApiClient.Status before = client.status(ref);
        Map<String, Object> out = new HashMap<>();
        if (before.outcome() == CurrentApiClient.Outcome.NEW) {
            boolean compatible = client.process(ref);
            out.put(Var.PG_COMPATIBLE, compatible);
            if (!compatible && Boolean.TRUE.equals(vars.get(Var.RESTORE))) {
                out.put(Var.RESTORE_SKIPPED, "the platform says the upgraded database needs a newer PostgreSQL than the one the "
                        + "dump came from: it is downloaded, not restored here; restore it on a newer server");
            }
            log.info("instance {}: processing of request {} requested", job.getProcessInstanceKey(), ref.id());
            out.put(Var.REQUEST_STATE, client.status(ref).state());
        } else {
            log.info("instance {}: request {} is already {}, not asking again", job.getProcessInstanceKey(), ref.id(), before.state());
            out.put(Var.REQUEST_STATE, before.state());
        }
        return out;
    }

    /**
     * One turn of the polling loop: the state (an archived request counts as failed: its data is gone), the host the
     * platform names now, and the new part of its log — appended to the results folder's copy, its last lines in a
     * variable.
     */
    Map<String, Object> check(ActivatedJob job, Map<String, Object> vars) throws IOException {
        CurrentRef ref = secrets.currentRequest(vars);
        CurrentApiClient.Status s = client.status(ref);
        int polls = vars.get(Var.POLL_COUNT) instanceof Number n ? n.intValue() + 1 : 1;
        Map<String, Object> out = new HashMap<>();
        out.put(Var.REQUEST_STATE, s.state());
        out.put(Var.OUTCOME, outcome(s));
        out.put(Var.PLATFORM, platform(s));
        out.put(Var.POLL_COUNT, polls);
        if (s.hostUri() != null && !s.hostUri().equals(ref.host())) {
            out.put(Var.REQUEST_HOST, s.hostUri());
            ref = ref.at(s.hostUri());
        }
        long offset = vars.get(Var.PLATFORM_LOG_OFFSET) instanceof Number n ? n.longValue() : 0;
        CurrentApiClient.Log chunk = client.logs(ref, offset);
        if (!chunk.text().isEmpty()) {
            Files.writeString(results.of(ref.id()).resolve("platform.log"), chunk.text(), StandardCharsets.UTF_8,
                    offset == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            out.put(Var.PLATFORM_LOG_OFFSET, chunk.next());
            out.put(Var.PLATFORM_LOG, lastLines(vars.get(Var.PLATFORM_LOG), chunk.text()));
        }
        metrics.polled(s.state());
        PhaseTimes.stateSeen(vars, s.state(), out, metrics);
        log.info("instance {}: request {} is {}{}, poll {}", job.getProcessInstanceKey(), ref.id(), s.state(),
                s.reason() == null ? "" : " (" + s.reason() + ")", polls);
        return out;
    }

    /** A request made elsewhere (a run whose folder is lost, Odoo's own client): where it is, asked of the main host. */
    Map<String, Object> adopt(ActivatedJob job, Map<String, Object> vars) {
        CurrentRef ref = client.locate(secrets.currentRequest(vars)); // an unknown token: the platform's refusal, PLATFORM_REJECTED
        CurrentApiClient.Status s = client.status(ref);
        String outcome = s.outcome() == CurrentApiClient.Outcome.NEW ? Value.DRAFT : outcome(s);
        if (outcome.equals(Value.DRAFT) && vars.get(Var.DUMP_FILE) == null && vars.get(Var.SOURCE_DATABASE) == null) {
            throw new InvalidInputException(List.of("request " + ref.id() + " is still new: the platform has no dump yet; "
                    + "give the dump file (dumpFile) to continue it"));
        }
        if (vars.get(Var.SSH_KEY_SEALED) == null && !outcome.equals(Value.RUNNING) && !outcome.equals(Value.FAILED)) {
            throw new InvalidInputException(List.of("request " + ref.id() + " can be continued here only with its SSH key, which "
                    + "this run does not have (the platform binds a request to the key given at its creation): make a new request"));
        }
        log.info("instance {}: continuing request {}, which is {}", job.getProcessInstanceKey(), ref.id(), s.state());
        Map<String, Object> out = new HashMap<>();
        out.put(Var.REQUEST_STATE, s.state());
        out.put(Var.OUTCOME, outcome);
        out.put(Var.PLATFORM, platform(s));
        out.put(Var.REQUEST_HOST, ref.host());
        return out;
    }

    /** wipe: the platform's copy of the request's data deleted. A refusal is said, not fatal: the run is upgraded already. */
    Map<String, Object> wipe(ActivatedJob job, Map<String, Object> vars) {
        CurrentRef ref = secrets.currentRequest(vars);
        String said;
        try {
            CurrentApiClient.Wiped w = client.wipe(ref, secrets.contract(vars));
            said = w.wiped().contains(ref.id()) ? "the platform deleted its copy of request " + ref.id()
                    : "the platform could not delete its copy of request " + ref.id() + " (it answered " + w + "): ask Odoo's support";
        } catch (io.github.odooupgrade.api.UpgradeRejectedException e) {
            said = "the platform refused to delete its copy of request " + ref.id() + ": " + e.getMessage();
        }
        log.info("instance {}: {}", job.getProcessInstanceKey(), said);
        return Map.of(Var.WIPED, said);
    }

    static String outcome(CurrentApiClient.Status s) {
        if (s.archived()) {
            return Value.FAILED; // its data is gone: nothing to download
        }
        return switch (s.outcome()) {
            case NEW, RUNNING -> Value.RUNNING;
            case SUCCEEDED -> Value.SUCCEEDED;
            case FAILED -> Value.FAILED;
        };
    }

    private static Map<String, Object> platform(CurrentApiClient.Status s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", s.state());
        m.put("reason", s.reason());
        m.put("archived", s.archived());
        m.put("host", s.hostUri());
        return m;
    }

    /** The last {@value #LOG_LINES} lines of what was kept and what came. */
    static String lastLines(Object kept, String more) {
        List<String> lines = new ArrayList<>((kept == null ? "" : kept.toString()).lines().toList());
        lines.addAll(more.lines().toList());
        List<String> last = lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size());
        String text = String.join("\n", last);
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }
}
