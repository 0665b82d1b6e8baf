package io.github.odooupgrade.run;

import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.camunda.zeebe.protocol.record.value.UserTaskRecordValue;
import io.github.odooupgrade.engine.EmbeddedEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows one process instance on the embedded engine by reading the engine's record stream from
 * where it stopped the last time.
 */
final class EmbeddedObserver implements RunObserver {
    /** The elements a follower calls steps. */
    static final Set<BpmnElementType> STEPS = Set.of(BpmnElementType.SERVICE_TASK, BpmnElementType.USER_TASK,
            BpmnElementType.BOUNDARY_EVENT);

    private final EmbeddedEngine engine;
    private final long instance;
    private final Map<String, String> names;
    private long lastPosition = -1;
    private String lastEndEvent;

    EmbeddedObserver(EmbeddedEngine engine, long instance, Map<String, String> names) {
        this.engine = engine;
        this.instance = instance;
        this.names = names;
    }

    @Override
    public List<Event> poll() {
        List<Event> events = new ArrayList<>();
        for (Record<?> r : engine.eventsAfter(lastPosition)) {
            lastPosition = r.getPosition();
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

    @Override
    public Map<String, String> variables() {
        return engine.variables(instance);
    }

    @Override
    public void completeUserTask(long key, Map<String, Object> variables) {
        engine.completeUserTask(key, variables);
    }
}
