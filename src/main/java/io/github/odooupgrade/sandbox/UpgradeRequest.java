package io.github.odooupgrade.sandbox;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the sandbox persists about one request (request.json in its folder). Mutated only by
 * {@link RequestStore#update} under the store's lock; everyone else sees copies.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
@JsonIgnoreProperties(ignoreUnknown = true)
public class UpgradeRequest {
    public long id;
    /** The request's private key: a secret, never logged. */
    public String key;
    /** The customer's contract number: a secret, never logged nor answered back. */
    public String contract;
    public String email;
    public String target;
    public String aim;
    public String filename;
    public String timezone;
    public RequestState state = RequestState.DRAFT;
    public Instant stateSince;
    public Instant createdAt;
    /** Last change of any kind: a draft untouched for the expiry time is cancelled. */
    public Instant touchedAt;
    public Instant processedAt;
    public Instant finishedAt;
    public boolean skipTest;
    /** authorized_keys content given to request_sftp_access; null until then. */
    public String sshKeys;
    public long issue;
    public String customerMessage;
    /** Size in bytes of the uploaded dump, null before any upload. */
    public Long filesize;
    public DumpInfo dump;
    public List<Transition> history = new ArrayList<>();

    public record Transition(RequestState state, Instant at, String note) {}

    /** Moves to a new state, keeping the history the notes page shows. */
    public void enter(RequestState next, Instant now, String note) {
        state = next;
        stateSince = now;
        history.add(new Transition(next, now, note));
        if (next == RequestState.PROGRESS && processedAt == null) {
            processedAt = now;
        }
        if (!next.isInFlight() && next != RequestState.DRAFT) {
            finishedAt = now;
        }
    }

    public String sftpUser() {
        return "user_" + id;
    }

    public String upgradedFilename() {
        return "upgraded_" + filename;
    }
}
