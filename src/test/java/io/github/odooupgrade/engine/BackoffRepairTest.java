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
 * Which refused back-offs the embedded engine asks again, read from records shaped as the engine writes them
 * (the refusal itself cannot be brought about on purpose: the engine makes it now and then, see BackoffRepair).
 */
class BackoffRepairTest {
    private static final long JOB = 2251799813685300L;

    private final List<Record<?>> log = new ArrayList<>();
    private final BackoffRepair repair = new BackoffRepair();

    @Test
    void aJobThatFailedWithRetriesLeftAndWhoseBackoffWasRefusedAsUnknownIsAskedAgainOnce() {
        event(JobIntent.CREATED, 3);
        event(JobIntent.FAILED, 2);
        refusal(RejectionType.NOT_FOUND);

        assertThat(repair.jobsToRecur(log)).containsExactly(JOB);
        assertThat(repair.jobsToRecur(log)).as("the same refusal read again").isEmpty();

        refusal(RejectionType.NOT_FOUND); // the second try refused too
        assertThat(repair.jobsToRecur(log)).containsExactly(JOB);
    }

    @Test
    void aJobNoLongerWaitingForItsBackoffIsLeftAlone() {
        event(JobIntent.CREATED, 3);
        event(JobIntent.FAILED, 2);
        event(JobIntent.CANCELED, 2); // its instance was cancelled meanwhile
        refusal(RejectionType.NOT_FOUND);
        assertThat(repair.jobsToRecur(log)).isEmpty();

        event(JobIntent.CREATED, 3);
        event(JobIntent.FAILED, 0); // no retries left: an incident, not a back-off
        refusal(RejectionType.NOT_FOUND);
        assertThat(repair.jobsToRecur(log)).isEmpty();

        event(JobIntent.FAILED, 1);
        refusal(RejectionType.INVALID_STATE); // "it is already activable": the engine was right
        assertThat(repair.jobsToRecur(log)).isEmpty();
    }

    @Test
    void readingStopsAtARecordNotYetVisibleAndGoesOnFromIt() {
        event(JobIntent.CREATED, 3);
        event(JobIntent.FAILED, 2);
        refusal(RejectionType.NOT_FOUND);
        Record<?> notYetVisible = log.remove(1);

        assertThat(repair.jobsToRecur(log)).as("read without the failure, the refusal would be ignored").isEmpty();

        log.add(1, notYetVisible);
        assertThat(repair.jobsToRecur(log)).containsExactly(JOB);
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
                .withIntent(intent).withRejectionType(rejection).withValue(ImmutableJobRecordValue.builder().withRetries(retries).build())
                .build());
    }
}
