package io.github.odooupgrade.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.protocol.record.ImmutableRecord;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.RejectionType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.value.ImmutableJobRecordValue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which refused back-offs the embedded engine asks again, and when, read from records shaped as the engine writes
 * them (EmbeddedEngineTest brings the refusal about on the engine itself).
 */
class BackoffRepairTest {
    private static final long JOB = 2251799813685300L;
    /** When the job's back-off ends, engine time. */
    private static final long ENDS = 1_000_000L;

    private final List<Record<?>> log = new ArrayList<>();
    private final BackoffRepair repair = new BackoffRepair();

    @Test
    void aJobThatFailedWithRetriesLeftAndWhoseBackoffWasRefusedAsUnknownIsAskedAgainOnce() {
        event(JobIntent.CREATED, 3);
        event(JobIntent.FAILED, 2);
        refusal(RejectionType.NOT_FOUND);

        assertThat(repair.jobsToRecur(log, ENDS + 1)).containsExactly(JOB);
        assertThat(repair.jobsToRecur(log, ENDS + 2)).as("the same refusal read again").isEmpty();

        refusal(RejectionType.NOT_FOUND); // the second try refused too
        assertThat(repair.jobsToRecur(log, ENDS + 3)).containsExactly(JOB);
    }

    @Test
    void aRefusalBeforeTheBackoffIsOverIsAnsweredOnlyOnceItIsOver() {
        event(JobIntent.CREATED, 3);
        event(JobIntent.FAILED, 2);
        refusal(RejectionType.NOT_FOUND);

        assertThat(repair.jobsToRecur(log, ENDS)).as("in the back-off's last millisecond, the engine refuses it again").isEmpty();
        assertThat(repair.jobsToRecur(log, ENDS + 1)).containsExactly(JOB);
    }

    @Test
    void aRefusedJobThatMovedOnMeanwhileIsLeftAlone() {
        event(JobIntent.CREATED, 3);
        event(JobIntent.FAILED, 2);
        refusal(RejectionType.NOT_FOUND);
        assertThat(repair.jobsToRecur(log, ENDS)).isEmpty();

        event(JobIntent.RECURRED_AFTER_BACKOFF, 2); // the engine's own check came back to it
        assertThat(repair.jobsToRecur(log, ENDS + 1)).isEmpty();
    }

    @Test
    void aJobNoLongerWaitingForItsBackoffIsLeftAlone() {
        event(JobIntent.CREATED, 3);
        event(JobIntent.FAILED, 2);
        event(JobIntent.CANCELED, 2); // its instance was cancelled meanwhile
        refusal(RejectionType.NOT_FOUND);
        assertThat(repair.jobsToRecur(log, ENDS + 1)).isEmpty();

        event(JobIntent.CREATED, 3);
        event(JobIntent.FAILED, 0); // no retries left: an incident, not a back-off
        refusal(RejectionType.NOT_FOUND);
        assertThat(repair.jobsToRecur(log, ENDS + 1)).isEmpty();

        event(JobIntent.FAILED, 1);
        refusal(RejectionType.INVALID_STATE); // "it is already activable": the engine was right
        assertThat(repair.jobsToRecur(log, ENDS + 1)).isEmpty();
    }

    @Test
    void readingStopsAtARecordNotYetVisibleAndGoesOnFromIt() {
        event(JobIntent.CREATED, 3);
        event(JobIntent.FAILED, 2);
        refusal(RejectionType.NOT_FOUND);
        Record<?> notYetVisible = log.remove(1);

        assertThat(repair.jobsToRecur(log, ENDS + 1)).as("read without the failure, the refusal would be ignored").isEmpty();

        log.add(1, notYetVisible);
        assertThat(repair.jobsToRecur(log, ENDS + 1)).containsExactly(JOB);
    }

    private void event(JobIntent intent, int retries) {
        add(RecordType.EVENT, intent, RejectionType.NULL_VAL, retries);
    }

    private void refusal(RejectionType type) {
        add(RecordType.COMMAND_REJECTION, JobIntent.RECUR_AFTER_BACKOFF, type, 2);
    }

    private void add(RecordType recordType, JobIntent intent, RejectionType rejection, int retries) {
        long position = log.isEmpty() ? 1 : log.getLast().getPosition() + 1;
        log.add(ImmutableRecord.builder().withPosition(position).withKey(JOB).withRecordType(recordType).withValueType(ValueType.JOB)
                .withIntent(intent).withRejectionType(rejection)
                .withValue(ImmutableJobRecordValue.builder().withRetries(retries).withRecurringTime(ENDS).build())
                .build());
    }
}
