package io.github.odooupgrade.worker;

import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import java.util.LinkedHashMap;
import java.util.Map;

/** What of a status answer goes into variables: never the key, nor the URLs that embed it. */
final class StatusVariables {
    private StatusVariables() {}

    /** The state as the model's gateways read it: running, succeeded or failed. */
    static String outcome(RequestStatus s) {
        return switch (s.outcome()) {
            case RUNNING -> Value.RUNNING;
            case SUCCEEDED -> Value.SUCCEEDED;
            case FAILED -> Value.FAILED;
        };
    }

    /** What the platform found in the uploaded dump: shown to the approver. */
    static Map<String, Object> detected(RequestStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filesize", s.filesize());
        m.put("postgresql", s.postgresql());
        m.put("compressions", s.compressions());
        m.put("filestore", s.filestore());
        m.put("databaseVersion", s.databaseVersion());
        m.put("state", s.state());
        m.put("customerMessage", s.customerMessage());
        return m;
    }

    /** The platform's view of the request at the last poll. */
    static Map<String, Object> platform(RequestStatus s) {
        Map<String, Object> m = detected(s);
        m.put("createdAt", s.createdAt());
        m.put("processedAt", s.processedAt());
        m.put("elapsed", s.elapsed());
        m.put("estimatedTime", s.estimatedTime());
        m.put("issueStage", s.issueStage());
        return m;
    }
}
