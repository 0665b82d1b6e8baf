package io.github.odooupgrade.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.camunda.zeebe.protocol.record.value.UserTaskRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import io.github.odooupgrade.engine.EmbeddedEngine;
import io.github.odooupgrade.process.CampaignProcess;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows a campaign on the embedded engine: the campaign's instance and the upgrades it calls (its
 * children), by reading the engine's record stream from where it stopped the last time. An upgrade's
 * step is told with its item's number.
 */
final class CampaignObserver {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An upgrade (item {@code item}) entered a step; {@code item} is 0 for the campaign's own steps. */
    record ItemStep(int item, String name) {}

    /** A user task of the campaign or of one of its upgrades; {@code instance} is the one it belongs to. */
    record UserTaskOpened(long key, String elementId, long instance) {}

    /** How far the transfer of item {@code item}'s step {@code step} is ({@link Var#TRANSFER_PROGRESS}). */
    record ItemProgress(int item, String step, int percent) {}

    record Incident(int item, String elementId, String message) {}

    record Ended(String endEventId) {}

    private final EmbeddedEngine engine;
    private final long campaign;
    private final Map<String, String> names;
    private final Set<Long> upgrades = new HashSet<>();
    private final Map<Long, Integer> items = new HashMap<>();
    private final Map<Long, String> currentStep = new HashMap<>();
    private long lastPosition = -1;
    private String lastEndEvent;

    CampaignObserver(EmbeddedEngine engine, long campaign, Map<String, String> names) {
        this.engine = engine;
        this.campaign = campaign;
        this.names = names;
    }

    long instance() {
        return campaign;
    }

    List<Object> poll() {
        List<Object> events = new ArrayList<>();
        for (Record<?> r : engine.eventsAfter(lastPosition)) {
            lastPosition = r.getPosition();
            if (r.getValueType() == ValueType.PROCESS_INSTANCE && r.getValue() instanceof ProcessInstanceRecordValue v) {
                long instance = v.getProcessInstanceKey();
                if (instance != campaign && !upgrades.contains(instance) && v.getParentProcessInstanceKey() == campaign) {
                    upgrades.add(instance);
                }
                if (instance != campaign && !upgrades.contains(instance)) {
                    continue;
                }
                if (r.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATING && EmbeddedObserver.STEPS.contains(v.getBpmnElementType())) {
                    String step = names.getOrDefault(v.getElementId(), v.getElementId());
                    currentStep.put(instance, step);
                    events.add(new ItemStep(item(instance), step));
                } else if (instance == campaign && r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED
                        && v.getBpmnElementType() == BpmnElementType.END_EVENT && v.getFlowScopeKey() == campaign) {
                    lastEndEvent = v.getElementId();
                } else if (instance == campaign && v.getBpmnElementType() == BpmnElementType.PROCESS
                        && (r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED || r.getIntent() == ProcessInstanceIntent.ELEMENT_TERMINATED)) {
                    events.add(new Ended(lastEndEvent));
                }
            } else if (r.getValueType() == ValueType.VARIABLE && r.getValue() instanceof VariableRecordValue v
                    && v.getName().equals(Var.TRANSFER_PROGRESS) && upgrades.contains(v.getProcessInstanceKey())) {
                events.add(new ItemProgress(item(v.getProcessInstanceKey()), currentStep.getOrDefault(v.getProcessInstanceKey(), ""),
                        percent(v.getValue())));
            } else if (r.getValueType() == ValueType.USER_TASK && r.getIntent() == UserTaskIntent.CREATED
                    && r.getValue() instanceof UserTaskRecordValue v && inTree(v.getProcessInstanceKey())) {
                events.add(new UserTaskOpened(r.getKey(), v.getElementId(), v.getProcessInstanceKey()));
            } else if (r.getValueType() == ValueType.INCIDENT && r.getIntent() == IncidentIntent.CREATED
                    && r.getValue() instanceof IncidentRecordValue v && inTree(v.getProcessInstanceKey())) {
                events.add(new Incident(item(v.getProcessInstanceKey()), v.getElementId(), v.getErrorMessage()));
            }
        }
        return events;
    }

    private static int percent(String progressJson) {
        try {
            return JSON.readTree(progressJson).path("percent").asInt();
        } catch (JsonProcessingException e) {
            return 0;
        }
    }

    private boolean inTree(long instance) {
        return instance == campaign || upgrades.contains(instance);
    }

    /** The item an upgrade was started for (0: the campaign itself), read once it is known. */
    private int item(long instance) {
        if (instance == campaign) {
            return 0;
        }
        Integer known = items.get(instance);
        if (known == null) {
            String n = engine.variables(instance).get(CampaignProcess.Var.ITEM_OF_UPGRADE);
            if (n == null) {
                return 0; // not set yet: asked again at the next step
            }
            known = (int) Double.parseDouble(n);
            items.put(instance, known);
        }
        return known;
    }

    Map<String, String> variables(long instance) {
        return engine.variables(instance);
    }

    void completeUserTask(long key, Map<String, Object> variables) {
        engine.completeUserTask(key, variables);
    }
}
