package io.github.odooupgrade.run;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.search.enums.ElementInstanceState;
import io.camunda.client.api.search.enums.ElementInstanceType;
import io.camunda.client.api.search.enums.IncidentState;
import io.camunda.client.api.search.enums.ProcessInstanceState;
import io.camunda.client.api.search.enums.UserTaskState;
import io.camunda.client.api.search.response.ElementInstance;
import io.camunda.client.api.search.response.Variable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows one process instance on a Camunda 8 cluster through its REST API (the data Operate and
 * Tasklist show, which trails the engine by a moment). Not exercised by this project's tests: they
 * have no cluster (see ClusterStackIT).
 */
final class ClusterObserver implements RunObserver {
    private static final Set<ElementInstanceType> STEPS = Set.of(ElementInstanceType.SERVICE_TASK, ElementInstanceType.USER_TASK,
            ElementInstanceType.BOUNDARY_EVENT);
    private static final int PAGE = 1000;

    private final CamundaClient camunda;
    private final long instance;
    private final Map<String, String> names;
    private final Set<String> processEndEvents;
    private final Set<Long> seen = new HashSet<>();

    ClusterObserver(CamundaClient camunda, long instance, Map<String, String> names, Set<String> processEndEvents) {
        this.camunda = camunda;
        this.instance = instance;
        this.names = names;
        this.processEndEvents = processEndEvents;
    }

    @Override
    public List<Event> poll() {
        List<Event> events = new ArrayList<>();
        List<ElementInstance> elements = new ArrayList<>(camunda.newElementInstanceSearchRequest()
                .filter(f -> f.processInstanceKey(instance)).page(p -> p.limit(PAGE)).send().join().items());
        elements.sort(Comparator.comparing(ElementInstance::getElementInstanceKey));
        for (ElementInstance e : elements) {
            if (STEPS.contains(e.getType()) && seen.add(e.getElementInstanceKey())) {
                events.add(new Step(e.getElementId(), names.getOrDefault(e.getElementId(), e.getElementId())));
            }
        }
        camunda.newUserTaskSearchRequest().filter(f -> f.processInstanceKey(instance).state(UserTaskState.CREATED))
                .send().join().items().stream().filter(t -> seen.add(t.getUserTaskKey()))
                .forEach(t -> events.add(new UserTaskOpened(t.getUserTaskKey(), t.getElementId())));
        camunda.newIncidentSearchRequest().filter(f -> f.processInstanceKey(instance).state(IncidentState.ACTIVE))
                .send().join().items().stream().filter(i -> seen.add(i.getIncidentKey()))
                .forEach(i -> events.add(new Incident(i.getElementId(), i.getErrorMessage())));
        ProcessInstanceState state = camunda.newProcessInstanceGetRequest(instance).send().join().getState();
        if (state == ProcessInstanceState.COMPLETED || state == ProcessInstanceState.TERMINATED) {
            String end = elements.stream()
                    .filter(e -> e.getType() == ElementInstanceType.END_EVENT && e.getState() == ElementInstanceState.COMPLETED
                            && processEndEvents.contains(e.getElementId()))
                    .map(ElementInstance::getElementId).reduce((a, b) -> b).orElse(null);
            events.add(new Ended(end, end == null ? "terminated" : names.getOrDefault(end, end)));
        }
        return events;
    }

    @Override
    public Map<String, String> variables() {
        Map<String, String> vars = new LinkedHashMap<>();
        for (Variable v : camunda.newVariableSearchRequest().filter(f -> f.processInstanceKey(instance).scopeKey(instance))
                .page(p -> p.limit(PAGE)).send().join().items()) {
            vars.put(v.getName(), v.getValue());
        }
        return vars;
    }

    @Override
    public void completeUserTask(long key, Map<String, Object> variables) {
        camunda.newCompleteUserTaskCommand(key).variables(variables).send().join();
    }
}
