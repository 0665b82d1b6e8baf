package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.process.ContractChoice;
import io.github.odooupgrade.process.InputValidator.InvalidInputException;
import io.github.odooupgrade.process.InputValidator;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.process.ValidInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Checks the start form's input before the platform sees anything. Bad input is a BPMN error
 * ({@code INVALID_INPUT}, every problem in {@code inputErrors}): no request is created. The contract
 * typed in the form (or, on today's platform, the one a live database names: {@link ContractChoice}) leaves the
 * variables here: sealed, and shown masked; so does the key of an existing request the form asks to continue.
 */
@Component
public class ValidateInputWorker {
    private static final Logger log = LoggerFactory.getLogger(ValidateInputWorker.class);

    private final InputValidator validator;
    private final ProcessSecrets secrets;
    private final WorkerConfiguration.Databases databases;

    ValidateInputWorker(InputValidator validator, ProcessSecrets secrets, WorkerConfiguration.Databases databases) {
        this.validator = validator;
        this.secrets = secrets;
        this.databases = databases;
    }

    @JobWorker(type = JobType.VALIDATE_INPUT)
    public Map<String, Object> validate(ActivatedJob job) {
        Map<String, Object> vars = new HashMap<>(job.getVariablesAsMap());
        boolean alreadySealed = vars.get(Var.CONTRACT_SEALED) != null;
        if (alreadySealed) {
            vars.remove(Var.CONTRACT); // delivered again: the contract variable is the masked one by now
        }
        boolean keySealed = vars.get(Var.REQUEST_KEY_SEALED) != null;
        ValidInput input;
        List<String> problems = new ArrayList<>();
        String namedContract = null;
        try {
            input = validator.validate(vars);
            problems.addAll(databaseProblems(input));
            if (!alreadySealed && problems.isEmpty()) {
                namedContract = ContractChoice.fromDatabase(input, secrets.contractConfigured(), databases::enterpriseCode, problems,
                        note -> log.info("instance {}: {}", job.getProcessInstanceKey(), note));
            }
        } catch (InvalidInputException e) {
            input = null;
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        log.info("instance {}: {}", job.getProcessInstanceKey(), input);
        Map<String, Object> out = new HashMap<>();
        if (input.dumpFile() != null) {
            out.put(Var.DUMP_FILE, input.dumpFile().toString());
        }
        if (input.sourceDatabase() != null) {
            out.put(Var.SOURCE_DATABASE, input.sourceDatabase());
            out.put(Var.INCLUDE_FILESTORE, input.includeFilestore());
        }
        out.put(Var.RESTORE, input.restoreDatabase() != null);
        if (input.restoreDatabase() != null) {
            out.put(Var.RESTORE_DATABASE, input.restoreDatabase());
        }
        if (input.testFirst()) { // the test upgrade first, restored into its own database; production's restore kept for later
            out.put(Var.TEST_FIRST, true);
            out.put(Var.PRODUCTION_RESTORE, input.restoreDatabase() != null);
            out.put(Var.PRODUCTION_RESTORE_DATABASE, input.restoreDatabase());
            out.put(Var.RESTORE, true);
            out.put(Var.RESTORE_DATABASE, input.testDatabase());
            out.put(Var.APPROVAL_REMINDER, input.approvalReminder().toString());
        }
        if (input.dumpName() != null) {
            out.put(Var.DUMP_NAME, input.dumpName());
        }
        if (input.requestId() != null) {
            out.put(Var.REQUEST_ID, input.requestId());
            if (!keySealed) {
                String key = vars.get(Var.REQUEST_KEY).toString().trim();
                out.put(Var.REQUEST_KEY_SEALED, secrets.seal(key));
                out.put(Var.REQUEST_KEY, InputValidator.mask(key));
            }
        }
        if (vars.get(Var.STARTED_AT) == null) { // a job delivered again keeps the first start
            out.put(Var.STARTED_AT, Instant.now().toString());
        }
        out.put(Var.DUMP_SIZE, input.dumpSize());
        out.put(Var.AIM, input.testFirst() ? Value.AIM_TEST : input.aim());
        out.put(Var.TARGET, input.target());
        out.put(Var.UPLOAD_METHOD, input.uploadMethod());
        out.put(Var.PLATFORM_API, input.platformApi());
        out.put(Var.WIPE_AFTER, input.wipeAfter());
        out.put(Var.SKIP_TESTS, input.skipTests());
        out.put(Var.POLL_INTERVAL, input.pollInterval().toString());
        out.put(Var.DEADLINE, input.deadline().toString());
        String contract = input.contract() != null ? input.contract() : namedContract;
        if (!alreadySealed && contract != null) {
            out.put(Var.CONTRACT_SEALED, secrets.seal(contract));
            out.put(Var.CONTRACT, InputValidator.mask(contract));
        }
        return out;
    }

    /**
     * What only the database server can tell: it is configured, and the restore's name is free (continuing a
     * request, the database may be that run's own finished restore: the restore step tells them apart).
     */
    private List<String> databaseProblems(ValidInput input) {
        List<String> problems = new ArrayList<>();
        boolean needed = input.sourceDatabase() != null || input.restoreDatabase() != null || input.testFirst();
        if (needed && !databases.configured()) {
            problems.add(input.testFirst() ? "testFirst restores the test upgrade into a database: it needs the workers' upgrade.postgres.host"
                    : "dumping or restoring a database needs the workers' upgrade.postgres.host: configure it, or give a dump file and no restore");
        } else {
            for (String name : new String[] {input.restoreDatabase(), input.testDatabase()}) {
                if (name != null && input.requestId() == null && databases.restore().exists(name)) {
                    problems.add("restoreDatabase " + name + " already exists: a restore never overwrites a database; choose another name");
                }
            }
        }
        if (input.includeFilestore() && input.sourceDatabase() != null && databases.filestoreRoot() == null) {
            problems.add("including the filestore needs the workers' upgrade.postgres.filestore-root");
        }
        return problems;
    }
}
