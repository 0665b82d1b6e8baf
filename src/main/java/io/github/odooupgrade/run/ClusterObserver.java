package io.github.odooupgrade.run;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.command.ClientHttpException;
import io.camunda.client.api.search.enums.ElementInstanceState;
import io.camunda.client.api.search.enums.ElementInstanceType;
import io.camunda.client.api.search.enums.IncidentState;
import io.camunda.client.api.search.enums.ProcessInstanceState;
import io.camunda.client.api.search.enums.UserTaskState;
import io.camunda.client.api.search.request.SearchRequestPage;
import io.camunda.client.api.search.response.ElementInstance;
import io.camunda.client.api.search.response.SearchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Follows one process instance on a Camunda 8 cluster through its REST API — the data Operate and
 * Tasklist show, which trails the engine by a moment (the 8.8 API is eventually consistent):
 * <ul>
 * <li>an instance not found yet is not an error, only not visible yet;</li>
 * <li>the instance's state is read first, so what is read after it is at least as new: a finished
 * instance's end event is then found by one search for completed end events;</li>
 * <li>new element instances are read page by page from the last cursor on (a long polling loop makes
 * thousands), user tasks and incidents by their state, variables with their full values;</li>
 * <li>it asks every {@code minInterval} while things move, and backs off to {@code maxInterval}
 * while nothing does (a call in between answers no events, without a request).</li>
 * </ul>
 */
final class ClusterObserver implements RunObserver {
    private static final Set<ElementInstanceType> STEPS = Set.of(ElementInstanceType.SERVICE_TASK, ElementInstanceType.USER_TASK,
            ElementInstanceType.BOUNDARY_EVENT);
    static final int PAGE = 200;

    private final CamundaClient camunda;
    private final long instance;
    private final Map<String, String> names;
    private final Set<String> processEndEvents;
    private final Duration minInterval;
    private final Duration maxInterval;
    private final LongSupplier nanoClock;
    private final Set<Long> seen = new HashSet<>();
    private String cursor;
    private long nextPoll;
    private Duration interval;

    ClusterObserver(CamundaClient camunda, long instance, Map<String, String> names, Set<String> processEndEvents) {
        this(camunda, instance, names, processEndEvents, Duration.ofSeconds(1), Duration.ofSeconds(10), System::nanoTime);
    }

    ClusterObserver(CamundaClient camunda, long instance, Map<String, String> names, Set<String> processEndEvents,
            Duration minInterval, Duration maxInterval, LongSupplier nanoClock) {
        this.camunda = camunda;
        this.instance = instance;
        this.names = names;
        this.processEndEvents = processEndEvents;
        this.minInterval = minInterval;
        this.maxInterval = maxInterval;
        this.nanoClock = nanoClock;
        this.interval = minInterval;
        this.nextPoll = nanoClock.getAsLong();
    }

    @Override
    public List<Event> poll() {
        long now = nanoClock.getAsLong();
        if (now - nextPoll < 0) {
            return List.of();
        }
        List<Event> events = read();
        // while something moves, ask again soon; while nothing does, less and less often
        interval = events.isEmpty() ? min(interval.multipliedBy(2), maxInterval) : minInterval;
        nextPoll = now + interval.toNanos();
        return events;
    }

    private List<Event> read() {
        ProcessInstanceState state;
        try {
            state = camunda.newProcessInstanceGetRequest(instance).send().join().getState();
        } catch (ClientHttpException e) {
            if (e.code() == 404) {
                return List.of(); // created, not exported yet
            }
            throw e;
        }
        List<Event> events = new ArrayList<>();
        for (ElementInstance e : newElementInstances()) {
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
        if (state == ProcessInstanceState.COMPLETED || state == ProcessInstanceState.TERMINATED) {
            String end = camunda.newElementInstanceSearchRequest()
                    .filter(f -> f.processInstanceKey(instance).type(ElementInstanceType.END_EVENT).state(ElementInstanceState.COMPLETED))
                    .sort(s -> s.elementInstanceKey().asc()).page(p -> p.limit(PAGE)).send().join().items().stream()
                    .map(ElementInstance::getElementId).filter(processEndEvents::contains).reduce((a, b) -> b).orElse(null);
            events.add(new Ended(end, end == null ? "terminated" : names.getOrDefault(end, end)));
        }
        return events;
    }

    /** Element instances created since the last call, oldest first: pages after the cursor the last page ended at. */
    private List<ElementInstance> newElementInstances() {
        Pages<ElementInstance> read = pages(cursor, after -> camunda.newElementInstanceSearchRequest()
                .filter(f -> f.processInstanceKey(instance)).sort(s -> s.elementInstanceKey().asc())
                .page(p -> page(p, after)).send().join());
        cursor = read.cursor();
        List<ElementInstance> found = new ArrayList<>(read.items());
        found.sort(Comparator.comparing(ElementInstance::getElementInstanceKey));
        return found;
    }

    @Override
    public Map<String, String> variables() {
        Map<String, String> vars = new LinkedHashMap<>();
        pages(null, after -> camunda.newVariableSearchRequest().withFullValues()
                .filter(f -> f.processInstanceKey(instance).scopeKey(instance))
                .page(p -> page(p, after)).send().join())
                .items().forEach(v -> vars.put(v.getName(), v.getValue()));
        return vars;
    }

    /** What a paged search found, and the cursor its last non-empty page ended at (to go on from next time). */
    private record Pages<T>(List<T> items, String cursor) {}

    /**
     * Every page of a search from {@code from} on: a short page is the last; so is a full one without
     * a new cursor (nothing to go on from).
     */
    private static <T> Pages<T> pages(String from, Function<String, SearchResponse<T>> search) {
        List<T> all = new ArrayList<>();
        String after = from;
        while (true) {
            String asked = after;
            SearchResponse<T> page = search.apply(asked);
            all.addAll(page.items());
            String end = page.page() == null ? null : page.page().endCursor();
            if (end != null && !page.items().isEmpty()) {
                after = end;
            }
            if (page.items().size() < PAGE || end == null || end.equals(asked)) {
                return new Pages<>(all, after);
            }
        }
    }

    @Override
    public void completeUserTask(long key, Map<String, Object> variables) {
        camunda.newCompleteUserTaskCommand(key).variables(variables).send().join();
    }

    private static void page(SearchRequestPage p, String after) {
        p.limit(PAGE);
        if (after != null) {
            p.after(after);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
