package io.github.odooupgrade.process;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The start form's input, checked and completed ({@link InputValidator}). {@code contract} is null
 * when the workers' configured one applies. With a source database there is no dump file yet:
 * {@code dumpFile} is null and the upload method stays {@code auto} until the database is dumped.
 * {@code restoreDatabase} is the name to restore into (given, or derived as Odoo does), null when no
 * restore is asked. {@code requestId} names an existing request to continue (adopt), null for a new one;
 * then the dump may be missing (null {@code dumpFile} and {@code dumpName}) if the platform has it already.
 * {@code platformApi}: v1 or current; {@code wipeAfter}: today's platform deletes its copy at the end. {@code testFirst}: a
 * test upgrade first, restored into {@code testDatabase}, production after a person's approval (reminded after
 * {@code approvalReminder}); both null without it.
 */
public record ValidInput(Path dumpFile, String dumpName, long dumpSize, String contract, String email, String target,
        String aim, String uploadMethod, String timezone, boolean skipTests, Duration pollInterval, Duration deadline,
        String sourceDatabase, boolean includeFilestore, String restoreDatabase, Long requestId, String platformApi, boolean wipeAfter,
        boolean testFirst, String testDatabase, Duration approvalReminder) {

    public boolean current() {
        return UpgradeProcess.Value.PLATFORM_CURRENT.equals(platformApi);
    }

    @Override
    public String toString() { // the contract stays out of logs
        return "ValidInput[platform " + platformApi + ", " + (sourceDatabase != null ? "database=" + sourceDatabase + (includeFilestore ? " with filestore" : "")
                : "dump=" + dumpFile + " (" + dumpSize + " bytes)") + ", target=" + target + ", aim=" + aim
                + ", uploadMethod=" + uploadMethod + ", skipTests=" + skipTests
                + (restoreDatabase != null ? ", restore into " + restoreDatabase : "")
                + (requestId != null ? ", continues request " + requestId : "")
                + (testFirst ? ", test first in " + testDatabase : "") + "]";
    }
}
