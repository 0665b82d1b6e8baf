package io.github.odooupgrade.process;

import static io.github.odooupgrade.process.FormValues.blankToNull;
import static io.github.odooupgrade.process.FormValues.bool;
import static io.github.odooupgrade.process.FormValues.duration;
import static io.github.odooupgrade.process.FormValues.lower;
import static io.github.odooupgrade.process.FormValues.requestId;
import static io.github.odooupgrade.process.FormValues.text;
import static io.github.odooupgrade.process.UpgradeProcess.Var;

import io.github.odooupgrade.database.PgConnection;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks what an operator typed in the start form before anything reaches the platform, and
 * reports every problem at once, each as one line that says what is wrong and what to do. Only
 * shapes are checked here: whether a target version or a contract is accepted is the platform's
 * answer (it changes over time), given by {@code create}.
 */
public final class InputValidator {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern TARGET = Pattern.compile("(saas~)?\\d+\\.\\d+");

    private final String defaultContract;
    private final String defaultPlatform;
    private final long sftpThresholdBytes;
    private final Duration defaultPollInterval;
    private final Duration defaultDeadline;
    private final List<Path> dumpDirs;
    private final Duration defaultApprovalReminder;

    /**
     * @param defaultContract   the contract configured on the workers (never in a variable), or null
     * @param sftpThresholdBytes upload method "auto" picks SFTP for dumps at least this big
     */
    public InputValidator(String defaultContract, long sftpThresholdBytes, Duration defaultPollInterval, Duration defaultDeadline) {
        this(defaultContract, sftpThresholdBytes, defaultPollInterval, defaultDeadline, List.of(), Value.PLATFORM_V1);
    }

    /**
     * @param dumpDirs the folders dumps may be read from (empty: anywhere). Whoever starts a run names
     *                 a file the workers send to an outside service: in cluster mode, that is anyone
     *                 with Tasklist — so keep it to the folders meant for dumps.
     */
    public InputValidator(String defaultContract, long sftpThresholdBytes, Duration defaultPollInterval, Duration defaultDeadline,
            List<Path> dumpDirs) {
        this(defaultContract, sftpThresholdBytes, defaultPollInterval, defaultDeadline, dumpDirs, Value.PLATFORM_V1);
    }

    /** @param defaultPlatform the API a run speaks when its input does not say (v1, or current) */
    public InputValidator(String defaultContract, long sftpThresholdBytes, Duration defaultPollInterval, Duration defaultDeadline,
            List<Path> dumpDirs, String defaultPlatform) {
        this(defaultContract, sftpThresholdBytes, defaultPollInterval, defaultDeadline, dumpDirs, defaultPlatform, Duration.ofDays(1));
    }

    /** @param defaultApprovalReminder a test-first run's approval reminds its approver after this, unless the input says */
    public InputValidator(String defaultContract, long sftpThresholdBytes, Duration defaultPollInterval, Duration defaultDeadline,
            List<Path> dumpDirs, String defaultPlatform, Duration defaultApprovalReminder) {
        this.defaultContract = blankToNull(defaultContract);
        this.defaultPlatform = defaultPlatform == null ? Value.PLATFORM_V1 : defaultPlatform;
        this.sftpThresholdBytes = sftpThresholdBytes;
        this.defaultPollInterval = defaultPollInterval;
        this.defaultDeadline = defaultDeadline;
        this.dumpDirs = dumpDirs == null ? List.of() : dumpDirs.stream().map(InputValidator::real).toList();
        this.defaultApprovalReminder = defaultApprovalReminder;
    }

    /** The path with its links resolved, or as given (made absolute) when it cannot be. */
    static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** The input was refused: every problem, one line each (the workers make it the BPMN error INVALID_INPUT). */
    public static final class InvalidInputException extends RuntimeException {
        private final List<String> problems;

        public InvalidInputException(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    public ValidInput validate(Map<String, Object> vars) {
        List<String> problems = new ArrayList<>();
        String platform = lower(text(vars, Var.PLATFORM_API));
        if (platform == null) {
            platform = defaultPlatform;
        } else if (!platform.equals(Value.PLATFORM_V1) && !platform.equals(Value.PLATFORM_CURRENT)) {
            problems.add("platformApi " + platform + " is not known: choose v1 (the document's API) or current (the API Odoo's own client uses)");
        }
        boolean current = Value.PLATFORM_CURRENT.equals(platform);

        Path dump = null;
        long size = 0;
        String dumpText = text(vars, Var.DUMP_FILE);
        String source = text(vars, Var.SOURCE_DATABASE);
        if (source != null && dumpText != null) {
            problems.add("give either a dump file or a source database, not both");
        } else if (source != null) {
            if (!PgConnection.isValidName(source)) {
                problems.add("sourceDatabase " + source + " is not a database name this tool dumps: letters, digits and _ only");
            }
        } else if (dumpText == null) {
            if (vars.get(Var.REQUEST_ID) == null) { // an existing request may have its dump already: its state decides
                problems.add("dumpFile is missing: give the path of the dump on the workers' machine (or a source database)");
            }
        } else {
            DumpFileCheck.Checked checked = DumpFileCheck.check(dumpText, dumpDirs, problems);
            dump = checked.file();
            size = checked.size();
        }

        Long requestId = requestId(vars, problems);
        if (requestId != null && text(vars, Var.REQUEST_KEY) == null && text(vars, Var.REQUEST_KEY_SEALED) == null) {
            problems.add("requestKey is missing: give the key of request " + requestId + " (in the platform's mail, or in the token "
                    + "file of Odoo's upgrade client)");
        }

        String contract = text(vars, Var.CONTRACT);
        if (contract == null && defaultContract == null && !(current && source != null)) { // a live database may name its own (ContractChoice)
            problems.add("contract is missing: give the Odoo Enterprise contract number (or configure upgrade.contract on the workers)");
        } else if (contract != null && contract.chars().anyMatch(Character::isWhitespace)) {
            problems.add("contract must not contain spaces: give it as on the Odoo contract, e.g. M123456-abcdef");
        }

        String email = text(vars, Var.EMAIL);
        if (email == null) {
            if (!current) { // today's platform does not ask for one
                problems.add("email is missing: give the address the platform writes to about this upgrade");
            }
        } else if (!EMAIL.matcher(email).matches()) {
            problems.add("email " + email + " is not an email address");
        }

        String target = text(vars, Var.TARGET);
        if (target == null) {
            problems.add("target is missing: give the Odoo version to upgrade to, e.g. 13.0");
        } else if (!TARGET.matcher(target).matches()) {
            problems.add("target " + target + " is not an Odoo version: write it like 13.0 or 17.0");
        }

        String aim = lower(text(vars, Var.AIM));
        if (aim == null) {
            problems.add("aim is missing: choose test or production");
        } else if (!aim.equals(Value.AIM_TEST) && !aim.equals(Value.AIM_PRODUCTION)) {
            problems.add("aim " + aim + " is not valid: choose test or production");
        }

        String method = lower(text(vars, Var.UPLOAD_METHOD));
        if (method == null) {
            method = Value.METHOD_AUTO;
        }
        if (current) {
            if (!method.equals(Value.METHOD_AUTO) && !method.equals(Value.METHOD_RSYNC)) {
                problems.add("uploadMethod " + method + " is v1's: today's platform takes dumps by rsync only (leave it auto)");
            }
            method = Value.METHOD_RSYNC;
        } else if (!List.of(Value.METHOD_AUTO, Value.METHOD_HTTPS, Value.METHOD_SFTP).contains(method)) {
            problems.add("uploadMethod " + method + " is not valid: choose auto, https or sftp");
        } else if (method.equals(Value.METHOD_AUTO) && dump != null) {
            method = autoMethod(size);
        }

        boolean filestore = bool(vars, Var.INCLUDE_FILESTORE);
        String restoreName = null;
        if (bool(vars, Var.RESTORE)) {
            restoreName = text(vars, Var.RESTORE_DATABASE);
            if (restoreName == null && (source != null || dump != null)) {
                String base = source != null ? source : RestoreNames.stem(dump.getFileName().toString());
                restoreName = target == null ? null : current && Value.AIM_TEST.equals(aim)
                        ? RestoreNames.odooTest(base, target, LocalDateTime.now()) : RestoreNames.upgraded(base, target);
            }
            if (restoreName != null && !PgConnection.isValidName(restoreName)) {
                problems.add("restoreDatabase " + restoreName + " is not a valid new database name: letters, digits and _ only, at most 63");
            }
        }

        Duration poll = duration(vars, Var.POLL_INTERVAL, defaultPollInterval, problems);
        Duration deadline = duration(vars, Var.DEADLINE, defaultDeadline, problems);

        boolean skipTests = bool(vars, Var.SKIP_TESTS);
        if (current && skipTests) {
            problems.add("skipTests is v1's: today's platform has no skip_test; leave it off");
        }
        boolean wipeAfter = bool(vars, Var.WIPE_AFTER);
        if (!current && wipeAfter) {
            problems.add("wipeAfter is today's platform's: v1 has no wipe; leave it off, or choose the platform current");
        }

        boolean testFirst = bool(vars, Var.TEST_FIRST);
        String testDatabase = null;
        Duration reminder = null;
        if (testFirst) {
            if (aim != null && !Value.AIM_PRODUCTION.equals(aim)) {
                problems.add("testFirst upgrades a test copy first, then production: choose the aim production");
            }
            if (requestId != null) {
                problems.add("testFirst starts from a dump or a database, not from an existing request: leave requestId empty");
            }
            if (target != null && (source != null || dump != null)) {
                testDatabase = RestoreNames.odooTest(source != null ? source : RestoreNames.stem(dump.getFileName().toString()), target,
                        LocalDateTime.now());
            }
            reminder = duration(vars, Var.APPROVAL_REMINDER, defaultApprovalReminder, problems);
        }

        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        String dumpName = source != null ? source + (filestore && !current ? ".zip" : ".dump") : dump != null ? dump.getFileName().toString() : null;
        return new ValidInput(dump, dumpName, size, contract, email, target, aim, method,
                text(vars, Var.TIMEZONE), skipTests, poll, deadline, source, filestore, restoreName, requestId, platform, wipeAfter,
                testFirst, testDatabase, reminder);
    }

    /** {@code auto}: SFTP for dumps at least as big as the threshold, HTTPS below. */
    public String autoMethod(long size) {
        return size >= sftpThresholdBytes ? Value.METHOD_SFTP : Value.METHOD_HTTPS;
    }

    /** What Operate may show of a contract number: enough to recognise it, not enough to use it. */
    public static String mask(String contract) {
        if (contract == null) {
            return null;
        }
        return contract.length() <= 4 ? "****" : contract.substring(0, 3) + "****";
    }
}
