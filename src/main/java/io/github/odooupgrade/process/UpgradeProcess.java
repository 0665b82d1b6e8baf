package io.github.odooupgrade.process;

import java.util.Set;

/**
 * The names the BPMN model ({@code bpmn/odoo-upgrade.bpmn}), its forms and the job workers share:
 * one place, so that a renamed variable is renamed everywhere (ProcessModelTest checks the model
 * and the forms against these).
 */
public final class UpgradeProcess {
    private UpgradeProcess() {}

    public static final String PROCESS_ID = "odoo-upgrade";

    /** Job types, one per service task, one worker class each. */
    public static final class JobType {
        private JobType() {}

        public static final String VALIDATE_INPUT = "upgrade-validate-input";
        public static final String ADOPT_REQUEST = "upgrade-adopt-request";
        public static final String CREATE_REQUEST = "upgrade-create-request";
        public static final String UPLOAD_HTTPS = "upgrade-upload-https";
        public static final String REQUEST_SFTP_ACCESS = "upgrade-request-sftp-access";
        public static final String UPLOAD_SFTP = "upgrade-upload-sftp";
        /** Today's platform: the dump sent with rsync over SSH. */
        public static final String UPLOAD_RSYNC = "upgrade-upload-rsync";
        public static final String START_PROCESSING = "upgrade-start-processing";
        public static final String SKIP_TEST = "upgrade-skip-test";
        public static final String CHECK_STATUS = "upgrade-check-status";
        public static final String DOWNLOAD = "upgrade-download";
        public static final String DUMP_DATABASE = "upgrade-dump-database";
        public static final String RESTORE_DATABASE = "upgrade-restore-database";
        /** Today's platform: its copy of the request's data deleted, when the start form asked for it. */
        public static final String WIPE = "upgrade-wipe";
        /** A test-first run: the test upgrade's restored database compared with the source (the acceptance report). */
        public static final String ACCEPTANCE_REPORT = "upgrade-acceptance-report";
        /** The model's listeners: a person told that a user task waits, or how the run ended (not a service task). */
        public static final String NOTIFY = "upgrade-notify";
    }

    /** Process variables. */
    public static final class Var {
        private Var() {}

        // the start form
        public static final String DUMP_FILE = "dumpFile";
        public static final String CONTRACT = "contract";
        public static final String EMAIL = "email";
        public static final String TARGET = "target";
        public static final String AIM = "aim";
        public static final String UPLOAD_METHOD = "uploadMethod";
        public static final String TIMEZONE = "timezone";
        public static final String SKIP_TESTS = "skipTests";
        public static final String SOURCE_DATABASE = "sourceDatabase";
        public static final String INCLUDE_FILESTORE = "includeFilestore";
        public static final String RESTORE = "restore";
        public static final String RESTORE_DATABASE = "restoreDatabase";
        /** The start form's switch that shows the two fields below. */
        public static final String CONTINUE_REQUEST = "continueRequest";
        /** Which API of the platform the run speaks: {@link Value#PLATFORM_V1} (the default) or {@link Value#PLATFORM_CURRENT}. */
        public static final String PLATFORM_API = "platformApi";
        /** Today's platform: delete the platform's copy of the data once the upgraded database is here. */
        public static final String WIPE_AFTER = "wipeAfter";
        /** Upgrade a test copy first and approve production after trying it, in the same instance (aim production). */
        public static final String TEST_FIRST = "testFirst";
        /** An existing request to continue instead of creating one (with {@link #REQUEST_KEY}, or sealed in {@link #REQUEST_KEY_SEALED}). */
        public static final String REQUEST_ID = "requestId";
        /** Its key as typed in the form: sealed into {@link #REQUEST_KEY_SEALED} and masked by the validation. */
        public static final String REQUEST_KEY = "requestKey";

        // validate input
        public static final String DUMP_NAME = "dumpName";
        public static final String DUMP_SIZE = "dumpSize";
        public static final String CONTRACT_SEALED = "contractSealed";
        public static final String INPUT_ERRORS = "inputErrors";
        public static final String POLL_INTERVAL = "pollInterval";
        public static final String DEADLINE = "deadline";
        /** When the run began (its validation; ISO-8601): how long it took, in the end's notification. */
        public static final String STARTED_AT = "startedAt";

        // the platform's request
        /** The request's secret, sealed: v1's key, or today's token. */
        public static final String REQUEST_KEY_SEALED = "requestKeySealed";
        /** Today's platform: the host the request's calls and transfers go to (assigned_host_uri, later host_uri). */
        public static final String REQUEST_HOST = "requestHost";
        /** Today's platform: the request's SSH key pair (the rsync identity, its public half given at create), sealed. */
        public static final String SSH_KEY_SEALED = "sshKeySealed";
        /** Today's platform: false when the upgraded database needs a newer PostgreSQL than the dump came from (process). */
        public static final String PG_COMPATIBLE = "pgCompatible";
        /** Why the restore asked for did not happen (a sentence), when it did not. */
        public static final String RESTORE_SKIPPED = "restoreSkipped";
        /** Today's platform: how many bytes of its upgrade log were read so far. */
        public static final String PLATFORM_LOG_OFFSET = "platformLogOffset";
        /** Today's platform: the last lines of its upgrade log (bounded; the whole log is in the results folder). */
        public static final String PLATFORM_LOG = "platformLog";
        /** Today's platform: what wipe answered (a sentence). */
        public static final String WIPED = "wiped";
        public static final String FAILURES = "failures";
        public static final String REJECTION = "rejection";
        public static final String SFTP_ACCESS = "sftpAccess";
        public static final String SFTP_KEY_SEALED = "sftpKeySealed";
        public static final String DETECTED = "detected";
        public static final String REQUEST_STATE = "requestState";
        public static final String OUTCOME = "outcome";
        public static final String PLATFORM = "platform";
        public static final String POLL_COUNT = "pollCount";
        /** Since when (ISO-8601) the polling has seen the request in {@link #REQUEST_STATE}: the time per state. */
        public static final String REQUEST_STATE_SINCE = "requestStateSince";
        /** Seconds per phase of the run: upload, pending, progress, test (the platform's states), download, restore. */
        public static final String PHASE_SECONDS = "phaseSeconds";
        /** How the run ended, set at its end ({@link Element#outcomeOf}): upgraded, failed, abandoned, rejected, … */
        public static final String RUN_OUTCOME = "runOutcome";
        public static final String NOTES_FILE = "notesFile";
        /**
         * While a transfer task runs, its own (local) variable: {@code {"percent": 40, "bytes": …, "total": …}}, set when the
         * whole percent moved, at most once a second — Operate shows it on the task, a campaign's terminal line reads it.
         */
        public static final String TRANSFER_PROGRESS = "transferProgress";

        // people
        public static final String APPROVAL = "approval";
        /** True when a campaign approved this production upgrade: its own approval is not asked (a retry's neither). */
        public static final String APPROVED_BY_CAMPAIGN = "approvedByCampaign";
        public static final String APPROVAL_COMMENT = "approvalComment";
        public static final String APPROVER = "approver";
        public static final String REVIEW = "review";
        public static final String REVIEW_COMMENT = "reviewComment";
        public static final String OVERDUE = "overdue";

        // test first: the test upgrade, what it proved, and the production run's own restore
        /** How long the approval after the test may wait before the approver is reminded (ISO-8601 duration). */
        public static final String APPROVAL_REMINDER = "approvalReminder";
        public static final String TEST_REQUEST_ID = "testRequestId";
        /** The database the test upgrade was restored into: the one people try. */
        public static final String TEST_DATABASE = "testDatabase";
        /** no difference, differences to look at, not compared. */
        public static final String ACCEPTANCE_VERDICT = "acceptanceVerdict";
        /** The verdict and the differences, bounded (AcceptanceReport.SUMMARY_LIMIT): what the approval form shows. */
        public static final String ACCEPTANCE_SUMMARY = "acceptanceSummary";
        /** The report's page, in the results folder (on the workers' machine). */
        public static final String ACCEPTANCE_REPORT = "acceptanceReport";
        /** The platform's own report of the request, as text, bounded: readable in Tasklist wherever the workers run. */
        public static final String PLATFORM_REPORT = "platformReport";
        /** The restore the production upgrade asked for (the test upgrade restores into a test database first). */
        public static final String PRODUCTION_RESTORE = "productionRestore";
        public static final String PRODUCTION_RESTORE_DATABASE = "productionRestoreDatabase";

        // the result
        public static final String UPGRADED_DUMP = "upgradedDump";
        public static final String UPGRADED_DUMP_SHA256 = "upgradedDumpSha256";
        public static final String UPGRADED_DUMP_SIZE = "upgradedDumpSize";
        public static final String RESTORED_DATABASE = "restoredDatabase";
        public static final String RESTORED_FILESTORE = "restoredFilestore";

        /**
         * What belongs to one request of the platform: a new request starts without the last one's (a retry after a
         * review, the production upgrade after its test).
         */
        public static final java.util.List<String> PER_REQUEST = java.util.List.of(PG_COMPATIBLE, RESTORE_SKIPPED, PLATFORM_LOG_OFFSET,
                PLATFORM_LOG, WIPED, SFTP_ACCESS, SFTP_KEY_SEALED, DETECTED, REQUEST_STATE, OUTCOME, PLATFORM, POLL_COUNT,
                REQUEST_STATE_SINCE, UPGRADED_DUMP, UPGRADED_DUMP_SHA256, UPGRADED_DUMP_SIZE, RESTORED_DATABASE, RESTORED_FILESTORE,
                NOTES_FILE, PLATFORM_REPORT);
    }

    /** Values of choice variables. */
    public static final class Value {
        private Value() {}

        public static final String AIM_TEST = "test";
        public static final String AIM_PRODUCTION = "production";
        public static final String METHOD_AUTO = "auto";
        public static final String METHOD_HTTPS = "https";
        public static final String METHOD_SFTP = "sftp";
        /** Today's platform moves dumps with rsync over SSH (its only method). */
        public static final String METHOD_RSYNC = "rsync";
        /** The API of the user's document (/database/v1/*). */
        public static final String PLATFORM_V1 = "v1";
        /** The API Odoo's own client uses (JSON-RPC under /upgrade/request/*, rsync over SSH). */
        public static final String PLATFORM_CURRENT = "current";
        public static final String APPROVE = "approve";
        public static final String REJECT = "reject";
        public static final String RETRY = "retry";
        public static final String ABANDON = "abandon";
        public static final String WAIT = "wait";
        public static final String SUCCEEDED = "succeeded";
        /** How a run that reached its "Database upgraded" end ended ({@link Element#outcomeOf}). */
        public static final String UPGRADED = "upgraded";
        public static final String FAILED = "failed";
        public static final String RUNNING = "running";
        /** An adopted request still waiting for its dump. */
        public static final String DRAFT = "draft";
    }

    /**
     * The BPMN errors workers throw, and which task may throw which. The model catches each one
     * where it can happen (ProcessModelTest checks it); a worker whose job type does not declare an
     * error cannot throw it: it becomes an incident instead (JobOutcomes).
     */
    public static final class ErrorCode {
        private ErrorCode() {}

        /** The start form's input was refused; every problem is in {@code inputErrors}. */
        public static final String INVALID_INPUT = "INVALID_INPUT";
        /** The platform answered with failures: their reasons in {@code failures}, one sentence in {@code rejection}. */
        public static final String PLATFORM_REJECTED = "PLATFORM_REJECTED";

        public static Set<String> thrownBy(String jobType) {
            return switch (jobType) {
                case JobType.VALIDATE_INPUT, CampaignProcess.JobType.CHECK -> Set.of(INVALID_INPUT);
                case JobType.ADOPT_REQUEST -> Set.of(PLATFORM_REJECTED, INVALID_INPUT);
                case JobType.CREATE_REQUEST, JobType.UPLOAD_HTTPS, JobType.REQUEST_SFTP_ACCESS, JobType.UPLOAD_SFTP, JobType.UPLOAD_RSYNC,
                        JobType.START_PROCESSING, JobType.SKIP_TEST, JobType.CHECK_STATUS, JobType.DOWNLOAD -> Set.of(PLATFORM_REJECTED);
                default -> Set.of(); // the database steps never reach the platform
            };
        }
    }

    /** Elements tests and the terminal front end look for. */
    public static final class Element {
        private Element() {}

        public static final String APPROVE_PRODUCTION = "approve-production";
        public static final String REVIEW_FAILURE = "review-failure";
        public static final String REVIEW_OVERDUE = "review-overdue";
        public static final String END_UPGRADED = "end-upgraded";
        public static final String END_INPUT_INVALID = "end-input-invalid";
        public static final String END_REQUEST_REJECTED = "end-request-rejected";
        public static final String END_APPROVAL_REJECTED = "end-approval-rejected";
        public static final String END_ABANDONED = "end-abandoned";
        public static final String END_OVERDUE_ABANDONED = "end-overdue-abandoned";
        public static final String ADOPT_REQUEST = "adopt-request";
        public static final String END_ADOPT_REFUSED = "end-adopt-refused";
        public static final String END_ADOPT_INPUT_INVALID = "end-adopt-input-invalid";
        public static final String COMPARE_TEST = "compare-test";
        public static final String APPROVE_AFTER_TEST = "approve-after-test";
        /** Not an end of the run: the reminder's path, when the approval after the test waited long. */
        public static final String REMINDER_SENT = "reminder-sent";
        public static final String END_TEST_NOT_APPROVED = "end-test-not-approved";

        /**
         * How a run that reached the end event {@code endId} ended, in one word (metrics, notifications):
         * upgraded, failed (a failed upgrade given up after its review), abandoned (overdue, given up),
         * rejected (by the platform), not-approved, input-refused; null for an element that is no end.
         */
        public static String outcomeOf(String endId) {
            return switch (endId) {
                case END_UPGRADED -> Value.UPGRADED;
                case END_ABANDONED -> "failed";
                case END_OVERDUE_ABANDONED -> "abandoned";
                case END_REQUEST_REJECTED, END_ADOPT_REFUSED -> "rejected";
                case END_APPROVAL_REJECTED, END_TEST_NOT_APPROVED -> "not-approved";
                case END_INPUT_INVALID, END_ADOPT_INPUT_INVALID -> "input-refused";
                default -> null;
            };
        }
    }

    /** Form ids ({@code forms/*.form}). */
    public static final class Form {
        private Form() {}

        public static final String START = "upgrade-start";
        public static final String APPROVAL = "upgrade-approval";
        public static final String REVIEW_FAILURE = "upgrade-review-failure";
        public static final String REVIEW_OVERDUE = "upgrade-review-overdue";
        public static final String TEST_APPROVAL = "upgrade-test-approval";
    }
}
