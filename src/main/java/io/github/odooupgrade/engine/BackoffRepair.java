package io.github.odooupgrade.engine;

import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.RejectionType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds failed jobs whose return after their back-off the in-memory engine refused. Now and then the engine
 * refuses a back-off's end as "no such job was found" although the job has just failed with retries left,
 * and the same command sent again is accepted (the library's engine alone, each job failed once with a
 * 200 ms back-off: 0 to 3 refusals in each run of 400 instances here). Refused, the job is neither
 * activatable nor an incident, and its instance would wait for ever. Reads the engine's records in order,
 * as a follower does; each refusal is answered once.
 */
final class BackoffRepair {
    private final Map<Long, Record<?>> lastJobEvent = new HashMap<>();
    private long read = -1; // the position of the last record read

    /**
     * The jobs to send back again, from the records written since the last call ({@code records}: all of them,
     * oldest first). Reading stops at a record not yet visible, to go on from it next time.
     */
    List<Long> jobsToRecur(List<Record<?>> records) {
        List<Long> again = new ArrayList<>();
        for (Record<?> r : records.subList(firstUnread(records), records.size())) {
            if (read >= 0 && r.getPosition() != read + 1) {
                break;
            }
            read = r.getPosition();
            if (r.getValueType() != ValueType.JOB) {
                continue;
            }
            if (r.getRecordType() == RecordType.EVENT) {
                if (r.getIntent() == JobIntent.COMPLETED || r.getIntent() == JobIntent.CANCELED) {
                    lastJobEvent.remove(r.getKey());
                } else {
                    lastJobEvent.put(r.getKey(), r);
                }
            } else if (r.getRecordType() == RecordType.COMMAND_REJECTION && r.getIntent() == JobIntent.RECUR_AFTER_BACKOFF
                    && r.getRejectionType() == RejectionType.NOT_FOUND && failedWithRetriesLeft(lastJobEvent.get(r.getKey()))) {
                again.add(r.getKey());
            }
        }
        return again;
    }

    /** The index of the first record after the last one read (positions grow along the list). */
    private int firstUnread(List<Record<?>> records) {
        int low = 0;
        int high = records.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (records.get(middle).getPosition() <= read) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static boolean failedWithRetriesLeft(Record<?> last) {
        return last != null && last.getIntent() == JobIntent.FAILED && ((JobRecordValue) last.getValue()).getRetries() > 0;
    }
}
