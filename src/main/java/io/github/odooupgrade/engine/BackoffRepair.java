package io.github.odooupgrade.engine;

import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.RejectionType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds failed jobs whose return after their back-off the engine refused, to send them back once their back-off
 * is over. The cause, read in zeebe-workflow-engine 8.8.21: the engine's back-off check picks the jobs whose
 * back-off ends at or before its clock's millisecond ({@code DbJobState.findBackedOffJobs}), but the command it
 * writes is accepted only if the back-off ended strictly before the clock's millisecond when the command is
 * processed ({@code JobRecurProcessor.hasRecurred}), and refused as "no such job was found" otherwise. A check that
 * runs and is processed within the back-off's last millisecond is refused, the check is not scheduled for that job
 * again, and the job is neither activatable nor an incident: its instance waits for ever (0 to 3 times in a run of
 * 400 instances here). The same command sent a millisecond later is accepted. Reads the engine's records in order,
 * as a follower does; each refusal is answered once.
 */
final class BackoffRepair {
    private final Map<Long, Record<?>> lastJobEvent = new HashMap<>();
    /** Refused jobs not sent back yet, with the engine time their back-off ends. */
    private final Map<Long, Long> refused = new LinkedHashMap<>();
    private long read = -1; // the position of the last record read

    /**
     * The jobs to send back now, from the records written since the last call ({@code records}: all of them, oldest
     * first) and the engine's clock ({@code now}, epoch milliseconds): those refused whose back-off ended before
     * {@code now} — sent earlier, the command would be refused again, and rightly. Reading stops at a record not
     * yet visible, to go on from it next time.
     */
    List<Long> jobsToRecur(List<Record<?>> records, long now) {
        for (Record<?> r : records.subList(firstUnread(records), records.size())) {
            if (read >= 0 && r.getPosition() != read + 1) {
                break;
            }
            read = r.getPosition();
            if (r.getValueType() != ValueType.JOB) {
                continue;
            }
            if (r.getRecordType() == RecordType.EVENT) {
                refused.remove(r.getKey()); // the job moved on
                if (r.getIntent() == JobIntent.COMPLETED || r.getIntent() == JobIntent.CANCELED) {
                    lastJobEvent.remove(r.getKey());
                } else {
                    lastJobEvent.put(r.getKey(), r);
                }
            } else if (r.getRecordType() == RecordType.COMMAND_REJECTION && r.getIntent() == JobIntent.RECUR_AFTER_BACKOFF
                    && r.getRejectionType() == RejectionType.NOT_FOUND && failedWithRetriesLeft(lastJobEvent.get(r.getKey()))) {
                refused.put(r.getKey(), ((JobRecordValue) lastJobEvent.get(r.getKey()).getValue()).getRecurringTime());
            }
        }
        List<Long> again = new ArrayList<>();
        for (Iterator<Map.Entry<Long, Long>> i = refused.entrySet().iterator(); i.hasNext();) {
            Map.Entry<Long, Long> job = i.next();
            if (job.getValue() < now) {
                again.add(job.getKey());
                i.remove();
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
