package io.github.odooupgrade.run;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.EndEvent;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import io.camunda.zeebe.model.bpmn.instance.Process;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One process instance as Operate and Tasklist show it: the steps it enters, the user tasks that
 * wait for a person, incidents, where it ended, its variables.
 */
public interface RunObserver {

    sealed interface Event {}

    record Step(String elementId, String name) implements Event {}

    record UserTaskOpened(long key, String elementId) implements Event {}

    record Incident(String elementId, String message) implements Event {}

    record Ended(String endEventId, String name) implements Event {}

    /** What happened since the last call, in order. */
    List<Event> poll();

    /** The latest value (JSON) of each variable of the instance's root scope. */
    Map<String, String> variables();

    /** Completes a user task with what its form would submit. */
    void completeUserTask(long key, Map<String, Object> variables);

    /** The names of the model's elements, by id. */
    static Map<String, String> elementNames(BpmnModelInstance model) {
        Map<String, String> names = new HashMap<>();
        for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
            names.put(node.getId(), node.getName() == null ? node.getId() : node.getName());
        }
        return names;
    }

    /** The end events of the process itself (not of its subprocesses). */
    static Set<String> processEndEvents(BpmnModelInstance model) {
        return model.getModelElementsByType(EndEvent.class).stream()
                .filter(e -> e.getParentElement() instanceof Process)
                .map(EndEvent::getId)
                .collect(Collectors.toSet());
    }

    static BpmnModelInstance model(String classpathResource) {
        try (InputStream in = RunObserver.class.getClassLoader().getResourceAsStream(classpathResource)) {
            if (in == null) {
                throw new IllegalStateException(classpathResource + " is not on the classpath");
            }
            return Bpmn.readModelFromStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
