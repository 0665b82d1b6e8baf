package io.github.odooupgrade.local;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.camunda.zeebe.protocol.record.value.UserTaskRecordValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows one process instance on the embedded engine, as Operate would show it: the steps it
 * enters, the user tasks waiting for a person, incidents, and where it ended. Reads the engine's
 * record stream from where it stopped the last time.
 */
final class RunFollower {
    private static final Set<BpmnElementType> STEPS = Set.of(BpmnElementType.SERVICE_TASK, BpmnElementType.USER_TASK,
            BpmnElementType.BOUNDARY_EVENT);

    sealed interface Event {}

    record Step(String elementId, String name) implements Event {}

    record UserTaskOpened(long key, String elementId) implements Event {}

    record Incident(String elementId, String message) implements Event {}

    record Ended(String endEventId, String name) implements Event {}

    private final EmbeddedEngine engine;
    private final long instance;
    private final Map<String, String> names;
    private long lastPosition = -1;
    private String lastEndEvent;

    RunFollower(EmbeddedEngine engine, long instance, Map<String, String> names) {
        this.engine = engine;
        this.instance = instance;
        this.names = names;
    }

    /** The names of the model's elements, by id. */
    static Map<String, String> elementNames(String classpathResource) {
        try (InputStream in = RunFollower.class.getClassLoader().getResourceAsStream(classpathResource)) {
            if (in == null) {
                throw new IllegalStateException(classpathResource + " is not on the classpath");
            }
            BpmnModelInstance model = Bpmn.readModelFromStream(in);
            Map<String, String> names = new HashMap<>();
            for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
                names.put(node.getId(), node.getName() == null ? node.getId() : node.getName());
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What happened since the last call, in order. */
    List<Event> poll() {
        List<Event> events = new ArrayList<>();
        for (Record<?> r : engine.records()) {
            if (r.getPosition() <= lastPosition) {
                continue;
            }
            lastPosition = r.getPosition();
            if (r.getRecordType() != RecordType.EVENT) {
                continue;
            }
            if (r.getValueType() == ValueType.PROCESS_INSTANCE && r.getValue() instanceof ProcessInstanceRecordValue v
                    && v.getProcessInstanceKey() == instance) {
                if (r.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATING && STEPS.contains(v.getBpmnElementType())) {
                    events.add(new Step(v.getElementId(), names.getOrDefault(v.getElementId(), v.getElementId())));
                } else if (r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED && v.getBpmnElementType() == BpmnElementType.END_EVENT
                        && v.getFlowScopeKey() == instance) {
                    lastEndEvent = v.getElementId();
                } else if ((r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED || r.getIntent() == ProcessInstanceIntent.ELEMENT_TERMINATED)
                        && v.getBpmnElementType() == BpmnElementType.PROCESS) {
                    events.add(new Ended(lastEndEvent, lastEndEvent == null ? "terminated" : names.getOrDefault(lastEndEvent, lastEndEvent)));
                }
            } else if (r.getValueType() == ValueType.USER_TASK && r.getIntent() == UserTaskIntent.CREATED
                    && r.getValue() instanceof UserTaskRecordValue v && v.getProcessInstanceKey() == instance) {
                events.add(new UserTaskOpened(r.getKey(), v.getElementId()));
            } else if (r.getValueType() == ValueType.INCIDENT && r.getIntent() == IncidentIntent.CREATED
                    && r.getValue() instanceof IncidentRecordValue v && v.getProcessInstanceKey() == instance) {
                events.add(new Incident(v.getElementId(), v.getErrorMessage()));
            }
        }
        return events;
    }
}
