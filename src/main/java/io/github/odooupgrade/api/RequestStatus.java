package io.github.odooupgrade.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Set;

/**
 * The {@code request} object of create and status. Fields the service adds later are ignored;
 * {@code state} stays a string so that a state this client does not know is still read (and
 * counts as running). {@code toString()} leaves out the key and the URLs that embed it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RequestStatus(
        long id,
        String key,
        String email,
        String target,
        String aim,
        String filename,
        String timezone,
        String state,
        String issueStage,
        Long issue,
        String statusUrl,
        String notesUrl,
        String originalSqlUrl,
        String originalDumpUrl,
        String upgradedSqlUrl,
        String upgradedDumpUrl,
        String modulesUrl,
        String filesize,
        String databaseUuid,
        String createdAt,
        String estimatedTime,
        String processedAt,
        String elapsed,
        Boolean filestore,
        String customerMessage,
        String databaseVersion,
        String postgresql,
        List<String> compressions) {

    /** Just created, waiting for the dump: the only state that takes an upload or {@code process}. */
    public static final String DRAFT = "draft";
    private static final Set<String> SUCCEEDED = Set.of("done", "delivered");
    private static final Set<String> FAILED = Set.of("failed", "cancelled");

    public enum Outcome { RUNNING, SUCCEEDED, FAILED }

    /** done/delivered: succeeded; failed/cancelled: failed; anything else, known or not: running. */
    public Outcome outcome() {
        if (SUCCEEDED.contains(state)) {
            return Outcome.SUCCEEDED;
        }
        return FAILED.contains(state) ? Outcome.FAILED : Outcome.RUNNING;
    }

    public boolean isDraft() {
        return DRAFT.equals(state);
    }

    /** The upgraded dump is there to download (done / delivered). */
    public boolean isDelivered() {
        return outcome() == Outcome.SUCCEEDED;
    }

    public RequestRef ref() {
        return new RequestRef(id, key);
    }

    @Override
    public String toString() {
        return "RequestStatus[id=" + id + ", state=" + state + ", target=" + target + ", aim=" + aim + ", filename=" + filename
                + ", filesize=" + filesize + ", postgresql=" + postgresql + ", compressions=" + compressions
                + ", elapsed=" + elapsed + ", estimatedTime=" + estimatedTime + ", customerMessage=" + customerMessage + "]";
    }
}
