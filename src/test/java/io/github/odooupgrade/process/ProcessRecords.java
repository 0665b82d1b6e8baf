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
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import io.github.odooupgrade.engine.EmbeddedEngine.OpenUserTask;
import io.github.odooupgrade.engine.EmbeddedEngine;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

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
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> ended() || !openIncidents().isEmpty());
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

    OpenUserTask awaitUserTask(String elementId, Duration atMost) {
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

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("variable value is not JSON: " + json, e);
        }
    }
}
