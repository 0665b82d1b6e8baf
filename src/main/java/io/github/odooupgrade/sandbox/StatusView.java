package io.github.odooupgrade.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code request} object of a status answer: every field of the seed's example, in its order. */
public final class StatusView {
    private StatusView() {}

    /** Where a request's pages and files are served: {@code <public>/database/<region>/<id>/<key>/<kind>}. */
    public record Urls(String publicUrl, String region) {
        public String of(UpgradeRequest r, String kind) {
            return publicUrl + "/database/" + region + "/" + r.id + "/" + r.key + "/" + kind;
        }
    }

    public static Map<String, Object> of(UpgradeRequest r, Urls urls, Lifecycle lifecycle, Long filesizeBytes, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id);
        m.put("key", r.key);
        m.put("email", r.email);
        m.put("target", r.target);
        m.put("aim", r.aim);
        m.put("filename", r.filename);
        m.put("timezone", r.timezone);
        m.put("state", r.state.wire());
        m.put("issue_stage", issueStage(r.state));
        m.put("issue", r.issue);
        m.put("status_url", urls.of(r, "status"));
        m.put("notes_url", urls.of(r, "upgraded/notes"));
        m.put("original_sql_url", urls.of(r, "original/sql"));
        m.put("original_dump_url", urls.of(r, "original/archive"));
        m.put("upgraded_sql_url", urls.of(r, "upgraded/sql"));
        m.put("upgraded_dump_url", urls.of(r, "upgraded/archive"));
        m.put("modules_url", urls.of(r, "modules/archive"));
        m.put("filesize", filesizeBytes == null ? null : Human.size(filesizeBytes));
        m.put("database_uuid", null);
        m.put("created_at", Human.timestamp(r.createdAt));
        m.put("estimated_time", r.state == RequestState.DRAFT ? null : Human.hoursMinutes(estimated(r, lifecycle)));
        m.put("processed_at", Human.timestamp(r.processedAt));
        m.put("elapsed", Human.hoursMinutes(elapsed(r, now)));
        m.put("filestore", r.dump != null && r.dump.filestore());
        m.put("customer_message", r.customerMessage);
        m.put("database_version", null);
        m.put("postgresql", r.dump == null ? null : r.dump.postgresql());
        m.put("compressions", r.dump == null ? List.of() : r.dump.compressions());
        return m;
    }

    /** Upgrade plus, unless skipped, platform testing: what processing takes from processed_at. */
    static Duration estimated(UpgradeRequest r, Lifecycle lifecycle) {
        Duration d = lifecycle.durationOf(RequestState.PROGRESS);
        return r.skipTest ? d : d.plus(lifecycle.durationOf(RequestState.TEST));
    }

    /** From processed_at to the end (or now while it runs); zero before processing. */
    static Duration elapsed(UpgradeRequest r, Instant now) {
        if (r.processedAt == null) {
            return Duration.ZERO;
        }
        Instant end = r.finishedAt != null ? r.finishedAt : now;
        return Duration.between(r.processedAt, end);
    }

    static String issueStage(RequestState state) {
        return switch (state) {
            case DRAFT -> "new";
            case PENDING -> "queued";
            case PROGRESS -> "upgrading";
            case TEST -> "testing";
            case DONE -> "done";
            case DELIVERED -> "delivered";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
        };
    }
}
