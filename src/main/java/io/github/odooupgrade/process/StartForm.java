package io.github.odooupgrade.process;

import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What starts an upgrade: the fields of the start form ({@code forms/upgrade-start.form}) and the
 * instance's own timing, typed. {@link #toVariables()} is the one place they become start variables;
 * null fields are left out, as an empty form field is.
 */
public record StartForm(Path dumpFile, String sourceDatabase, boolean includeFilestore, String contract, String email,
        String target, String aim, String uploadMethod, String timezone, boolean skipTests, boolean restore,
        String restoreDatabase, Duration pollInterval, Duration deadline, String platformApi, boolean wipeAfter, boolean testFirst,
        Duration approvalReminder) {

    public Map<String, Object> toVariables() {
        Map<String, Object> v = new HashMap<>();
        put(v, Var.DUMP_FILE, dumpFile == null ? null : dumpFile.toString());
        put(v, Var.SOURCE_DATABASE, sourceDatabase);
        if (sourceDatabase != null) {
            v.put(Var.INCLUDE_FILESTORE, includeFilestore);
        }
        put(v, Var.CONTRACT, contract);
        put(v, Var.EMAIL, email);
        put(v, Var.TARGET, target);
        put(v, Var.AIM, aim);
        put(v, Var.UPLOAD_METHOD, uploadMethod);
        put(v, Var.TIMEZONE, timezone);
        v.put(Var.SKIP_TESTS, skipTests);
        v.put(Var.RESTORE, restore);
        put(v, Var.RESTORE_DATABASE, restoreDatabase);
        put(v, Var.POLL_INTERVAL, pollInterval == null ? null : pollInterval.toString());
        put(v, Var.DEADLINE, deadline == null ? null : deadline.toString());
        put(v, Var.PLATFORM_API, platformApi);
        if (wipeAfter) {
            v.put(Var.WIPE_AFTER, true);
        }
        if (testFirst) {
            v.put(Var.TEST_FIRST, true);
            put(v, Var.APPROVAL_REMINDER, approvalReminder == null ? null : approvalReminder.toString());
        }
        return v;
    }

    private static void put(Map<String, Object> v, String name, String value) {
        if (value != null) {
            v.put(name, value);
        }
    }

    @Override
    public String toString() { // the contract stays out of logs
        return "StartForm[platform " + platformApi + ", " + (sourceDatabase != null ? "database=" + sourceDatabase : "dump=" + dumpFile) + ", target=" + target
                + ", aim=" + aim + "]";
    }
}
