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

    // today's API (JSON-RPC under /upgrade/request/, rsync over SSH); null for the document's v1
    /** {@value #CURRENT} for a request of today's API; null for one of v1. */
    public String api;
    /** Today's API's secret token (v1's key counterpart): a secret, never logged. */
    public String token;
    /** The OpenSSH public key given at create: the one key the request's rsync windows let in. */
    public String sshKey;
    /** The environment variables given at create ("NAME=VALUE"), for the upgrade. */
    public List<String> envVars;
    /** Under /data once done: the upgraded database as a directory-format dump. */
    public String dumpName;
    /** Its files were deleted (wipe): status says archived, nothing can be resumed. */
    public boolean archived;

    public static final String CURRENT = "current";

    /** A request of today's API, not of the document's v1. */
    public boolean isCurrent() {
        return CURRENT.equals(api);
    }

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
