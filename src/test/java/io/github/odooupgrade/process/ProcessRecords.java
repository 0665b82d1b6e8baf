package io.github.odooupgrade.process;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import io.camunda.zeebe.protocol.record.value.JobBatchRecordValue;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import io.github.odooupgrade.engine.EmbeddedEngine.OpenUserTask;
import io.github.odooupgrade.engine.EmbeddedEngine;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.awaitility.core.ConditionTimeoutException;

/** What Operate would show of one process instance, read from the engine's record stream. */
final class ProcessRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedEngine engine;
    private final long instance;

    ProcessRecords(EmbeddedEngine engine, long instance) {
        this.engine = engine;
        this.instance = instance;
    }

    private Stream<Record<?>> records() {
        return StreamSupport.stream(engine.records().spliterator(), false);
    }

    private Stream<ProcessInstanceRecordValue> elements(ProcessInstanceIntent intent) {
        return records().filter(r -> r.getValueType() == ValueType.PROCESS_INSTANCE && r.getIntent() == intent
                        && r.getRecordType() == RecordType.EVENT)
                .map(r -> (ProcessInstanceRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == instance);
    }

    long instance() {
        return instance;
    }

    boolean ended() {
        return elements(ProcessInstanceIntent.ELEMENT_COMPLETED).anyMatch(v -> v.getBpmnElementType() == BpmnElementType.PROCESS)
                || elements(ProcessInstanceIntent.ELEMENT_TERMINATED).anyMatch(v -> v.getBpmnElementType() == BpmnElementType.PROCESS);
    }

    /** Waits for the instance to end and answers the end event it ended in (at process level). */
    String awaitEnd(Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> ended() || !openIncidents().isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("instance " + instance + " did not end within " + atMost + "; " + whereItStands(), e);
        }
        if (!ended()) {
            throw new AssertionError("instance " + instance + " stopped on incidents: " + openIncidents());
        }
        return endEvent().orElse(null);
    }

    Optional<String> endEvent() {
        return elements(ProcessInstanceIntent.ELEMENT_COMPLETED)
                .filter(v -> v.getBpmnElementType() == BpmnElementType.END_EVENT && v.getFlowScopeKey() == instance)
                .map(ProcessInstanceRecordValue::getElementId)
                .reduce((a, b) -> b);
    }

    long timesCompleted(String elementId) {
        return elements(ProcessInstanceIntent.ELEMENT_COMPLETED).filter(v -> v.getElementId().equals(elementId)).count();
    }

    /** Latest value of every variable of the instance's root scope, as JSON. */
    Map<String, JsonNode> variables() {
        Map<String, JsonNode> vars = new LinkedHashMap<>();
        engine.variables(instance).forEach((name, json) -> vars.put(name, parse(json)));
        return vars;
    }

    JsonNode variable(String name) {
        return variables().getOrDefault(name, null);
    }

    /** Every value any variable of this instance ever had, in any scope: what an exporter saw. */
    Stream<String> everyVariableValue() {
        return allVariableRecords().map(VariableRecordValue::getValue);
    }

    private Stream<VariableRecordValue> allVariableRecords() {
        return records().filter(r -> r.getValueType() == ValueType.VARIABLE && r.getRecordType() == RecordType.EVENT)
                .map(r -> (VariableRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == instance);
    }

    /** Incidents created and not resolved. */
    List<String> openIncidents() {
        List<Long> resolved = records().filter(r -> r.getValueType() == ValueType.INCIDENT && r.getIntent() == IncidentIntent.RESOLVED)
                .map(Record::getKey).toList();
        return records().filter(r -> r.getValueType() == ValueType.INCIDENT && r.getIntent() == IncidentIntent.CREATED)
                .filter(r -> !resolved.contains(r.getKey()))
                .map(r -> (IncidentRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == instance)
                .map(v -> v.getElementId() + ": " + v.getErrorType() + ": " + v.getErrorMessage())
                .toList();
    }

    List<String> incidents() {
        return records().filter(r -> r.getValueType() == ValueType.INCIDENT && r.getIntent() == IncidentIntent.CREATED)
                .map(r -> (IncidentRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == instance)
                .map(v -> v.getElementId() + ": " + v.getErrorType() + ": " + v.getErrorMessage())
                .toList();
    }

    record Incident(long key, long jobKey, String elementId, String message) {}

    Incident awaitIncident(Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> records()
                .filter(r -> r.getValueType() == ValueType.INCIDENT && r.getIntent() == IncidentIntent.CREATED)
                .filter(r -> ((IncidentRecordValue) r.getValue()).getProcessInstanceKey() == instance)
                .map(r -> {
                    IncidentRecordValue v = (IncidentRecordValue) r.getValue();
                    return new Incident(r.getKey(), v.getJobKey(), v.getElementId(), v.getErrorMessage());
                })
                .reduce((a, b) -> b).orElse(null), i -> i != null);
    }

    /** Job failures reported by workers for this instance (each one a retry, or the incident at the end). */
    List<String> jobFailures() {
        return records().filter(r -> r.getValueType() == ValueType.JOB && r.getIntent() == JobIntent.FAILED
                        && r.getRecordType() == RecordType.EVENT)
                .map(r -> (JobRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == instance)
                .map(v -> v.getElementId() + ": " + v.getErrorMessage())
                .toList();
    }

    /** This instance and every instance its call activities started, at any depth. */
    Set<Long> family() {
        Set<Long> family = new HashSet<>(Set.of(instance));
        for (Record<?> r : records().toList()) { // a child's records come after its parent's
            if (r.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATING && r.getValue() instanceof ProcessInstanceRecordValue v
                    && v.getBpmnElementType() == BpmnElementType.PROCESS && family.contains(v.getParentProcessInstanceKey())) {
                family.add(v.getProcessInstanceKey());
            }
        }
        return family;
    }

    /** The open user tasks of this instance and of the instances it started. */
    List<OpenUserTask> openUserTasksOfFamily() {
        Set<Long> family = family();
        return engine.openUserTasks().stream().filter(t -> family.contains(t.processInstanceKey())).toList();
    }

    /** Waits for a user task {@code elementId} of an instance this one started (a campaign's upgrades are instances of their own). */
    OpenUserTask awaitUserTaskOfFamily(String elementId, Duration atMost) {
        try {
            return await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> openUserTasksOfFamily().stream()
                    .filter(t -> t.elementId().equals(elementId)).findFirst().orElse(null), t -> t != null);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no user task " + elementId + " in instance " + instance + " or those it started after " + atMost
                    + "; " + whereItStands(), e);
        }
    }

    OpenUserTask awaitUserTask(String elementId, Duration atMost) {
        try {
            return awaitUserTaskOrTimeout(elementId, atMost);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("instance " + instance + " has no user task " + elementId + " after " + atMost + "; "
                    + whereItStands(), e);
        }
    }

    private OpenUserTask awaitUserTaskOrTimeout(String elementId, Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(
                () -> {
                    if (!openIncidents().isEmpty()) {
                        throw new AssertionError("instance " + instance + " stopped on incidents: " + openIncidents());
                    }
                    return engine.openUserTasks().stream()
                            .filter(t -> t.processInstanceKey() == instance && t.elementId().equals(elementId))
                            .findFirst().orElse(null);
                },
                t -> t != null);
    }

    /**
     * Where a run that did not get on stands, as Operate and the engine's log would show it: the elements still
     * active, each open job's last state, and when the engine last received a worker's request for jobs of that type
     * (a worker that stopped asking shows here as a request long ago).
     */
    String whereItStands() {
        List<Record<?>> all = records().toList();
        long now = System.currentTimeMillis();
        Map<Long, String> active = new LinkedHashMap<>();
        Map<Long, Record<?>> jobs = new LinkedHashMap<>();
        Map<String, Long> lastAsked = new LinkedHashMap<>();
        for (Record<?> r : all) {
            if (r.getRecordType() == RecordType.EVENT && r.getValue() instanceof ProcessInstanceRecordValue v
                    && v.getProcessInstanceKey() == instance && v.getBpmnElementType() != BpmnElementType.PROCESS) {
                if (r.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATED) {
                    active.put(r.getKey(), v.getElementId());
                } else if (r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED || r.getIntent() == ProcessInstanceIntent.ELEMENT_TERMINATED) {
                    active.remove(r.getKey());
                }
            } else if (r.getRecordType() == RecordType.EVENT && r.getValue() instanceof JobRecordValue v && v.getProcessInstanceKey() == instance) {
                if (r.getIntent() == JobIntent.COMPLETED || r.getIntent() == JobIntent.CANCELED) {
                    jobs.remove(r.getKey());
                } else {
                    jobs.put(r.getKey(), r);
                }
            } else if (r.getRecordType() == RecordType.COMMAND && r.getValue() instanceof JobBatchRecordValue v) {
                lastAsked.put(v.getType(), r.getTimestamp());
            }
        }
        StringBuilder s = new StringBuilder("active: ").append(active.values());
        jobs.forEach((key, r) -> {
            JobRecordValue v = (JobRecordValue) r.getValue();
            Long asked = lastAsked.get(v.getType());
            s.append("; job ").append(key).append(' ').append(v.getType()).append(' ').append(r.getIntent())
                    .append(" (retries ").append(v.getRetries()).append(") ").append(now - r.getTimestamp()).append(" ms ago, jobs of its type last asked for ")
                    .append(asked == null ? "never" : (now - asked) + " ms ago");
        });
        Record<?> last = all.stream().filter(this::ofThisInstance).reduce((a, b) -> b).orElse(null);
        s.append("; its last record ").append(last == null ? "none" : last.getValueType() + " " + last.getIntent() + " " + (now - last.getTimestamp()) + " ms ago");
        s.append("; the engine's last record ").append(all.isEmpty() ? "none" : (now - all.getLast().getTimestamp()) + " ms ago");
        return s.toString();
    }

    private boolean ofThisInstance(Record<?> r) {
        return (r.getValue() instanceof ProcessInstanceRecordValue v && v.getProcessInstanceKey() == instance)
                || (r.getValue() instanceof JobRecordValue j && j.getProcessInstanceKey() == instance)
                || (r.getValue() instanceof VariableRecordValue x && x.getProcessInstanceKey() == instance);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("variable value is not JSON: " + json, e);
        }
    }
}
