package io.github.odooupgrade.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.client.impl.NoopCredentialsProvider;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster follower against a stand-in for the 8.8 orchestration cluster's REST API (OkHttp's
 * MockWebServer) that answers as the 8.8 spec shapes them: problem details, search pages with
 * cursors, keys as strings. The real client makes the calls, so paths, bodies and parsing are the
 * ones a cluster would see.
 */
class ClusterObserverTest {
    private static final long INSTANCE = 2251799813685251L;
    private static final Map<String, String> NAMES = Map.of("validate-input", "Validate the input", "create-request",
            "Create the upgrade request", "approve-production", "Approve the production upgrade", "end-upgraded", "Database upgraded");

    private final MockWebServer server = new MockWebServer();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private volatile Function<RecordedRequest, MockResponse> answers = r -> json(404, "{}");
    private CamundaClient camunda;

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                return answers.apply(request);
            }
        });
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        camunda = CamundaClient.newClientBuilder().restAddress(URI.create(server.url("/").toString()))
                .grpcAddress(URI.create("http://127.0.0.1:1")).preferRestOverGrpc(true)
                .credentialsProvider(new NoopCredentialsProvider()).build();
    }

    @AfterEach
    void stop() {
        camunda.close();
        server.close();
    }

    private ClusterObserver observer() {
        return new ClusterObserver(camunda, INSTANCE, NAMES, Set.of("end-upgraded"), Duration.ofSeconds(1), Duration.ofSeconds(8),
                clock::get);
    }

    /** Advances the fake clock past any wait, then polls. */
    private List<RunObserver.Event> pollLater(ClusterObserver observer) {
        clock.addAndGet(Duration.ofSeconds(60).toNanos());
        return observer.poll();
    }

    // --- the cluster's answers, shaped as in the 8.8 REST spec

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code)
                .addHeader("Content-Type", code >= 400 ? "application/problem+json" : "application/json").body(body).build();
    }

    private static MockResponse notFound(String path) {
        return json(404, "{\"type\":\"about:blank\",\"title\":\"NOT_FOUND\",\"status\":404,\"detail\":\"Process instance with key '"
                + INSTANCE + "' not found\",\"instance\":\"" + path + "\"}");
    }

    private static String instance(String state) {
        return "{\"processDefinitionId\":\"odoo-upgrade\",\"processDefinitionName\":\"Upgrade an Odoo database\","
                + "\"processDefinitionVersion\":1,\"startDate\":\"2026-11-25T10:00:00.000Z\",\"state\":\"" + state + "\","
                + "\"hasIncident\":false,\"tenantId\":\"<default>\",\"processInstanceKey\":\"" + INSTANCE + "\","
                + "\"processDefinitionKey\":\"2251799813685249\"}";
    }

    private static String element(long key, String elementId, String type, String state) {
        return "{\"processDefinitionId\":\"odoo-upgrade\",\"startDate\":\"2026-11-25T10:00:00.000Z\",\"elementId\":\"" + elementId
                + "\",\"elementName\":\"" + elementId + "\",\"type\":\"" + type + "\",\"state\":\"" + state + "\",\"hasIncident\":false,"
                + "\"tenantId\":\"<default>\",\"elementInstanceKey\":\"" + key + "\",\"processInstanceKey\":\"" + INSTANCE + "\","
                + "\"processDefinitionKey\":\"2251799813685249\"}";
    }

    private static String page(List<String> items, String endCursor) {
        return "{\"items\":[" + String.join(",", items) + "],\"page\":{\"totalItems\":" + items.size()
                + (endCursor == null ? "" : ",\"startCursor\":\"start\",\"endCursor\":\"" + endCursor + "\"") + "}}";
    }

    private static final String EMPTY = page(List.of(), null);

    private static boolean is(RecordedRequest r, String method, String pathStart) {
        return r.getMethod().equals(method) && r.getUrl().encodedPath().startsWith(pathStart);
    }

    private static String body(RecordedRequest r) {
        return r.getBody() == null ? "" : r.getBody().utf8();
    }

    private long count(String method, String pathStart) {
        return requests.stream().filter(r -> is(r, method, pathStart)).count();
    }

    // --- the scenarios

    @Test
    void anInstanceTheApiDoesNotShowYetIsNotAnErrorAndItsStepsComeOnceItDoes() {
        answers = r -> {
            if (is(r, "GET", "/v2/process-instances/")) {
                return count("GET", "/v2/process-instances/") == 1 ? notFound(r.getUrl().encodedPath()) : json(200, instance("ACTIVE"));
            }
            if (is(r, "POST", "/v2/element-instances/search")) {
                return json(200, page(List.of(element(11, "validate-input", "SERVICE_TASK", "COMPLETED"),
                        element(12, "create-request", "SERVICE_TASK", "ACTIVE")), "c12"));
            }
            return json(200, EMPTY);
        };
        ClusterObserver observer = observer();

        assertThat(observer.poll()).as("created, not exported yet").isEmpty();
        assertThat(pollLater(observer)).extracting(e -> ((RunObserver.Step) e).name())
                .containsExactly("Validate the input", "Create the upgrade request");
        assertThat(pollLater(observer)).as("each step once").isEmpty();
    }

    @Test
    void elementInstancesAreReadPageByPageFromTheLastCursorOn() {
        int page = ClusterObserver.PAGE;
        answers = r -> {
            if (is(r, "GET", "/v2/process-instances/")) {
                return json(200, instance("ACTIVE"));
            }
            if (is(r, "POST", "/v2/element-instances/search")) {
                String b = body(r);
                if (!b.contains("\"after\"")) {
                    return json(200, page(IntStream.range(0, page).mapToObj(i -> element(1000 + i, "check-status", "SERVICE_TASK",
                            "COMPLETED")).toList(), "p1"));
                }
                if (b.contains("\"after\":\"p1\"")) {
                    return json(200, page(List.of(element(5000, "check-status", "SERVICE_TASK", "ACTIVE")), "p2"));
                }
                return json(200, EMPTY); // after p2: nothing new
            }
            return json(200, EMPTY);
        };
        ClusterObserver observer = observer();

        assertThat(pollLater(observer)).hasSize(page + 1);
        pollLater(observer);

        List<String> searches = requests.stream().filter(r -> is(r, "POST", "/v2/element-instances/search")).map(ClusterObserverTest::body)
                .toList();
        assertThat(searches).hasSize(3);
        assertThat(searches.get(0)).contains("\"limit\":" + page).doesNotContain("\"after\"").contains("elementInstanceKey");
        assertThat(searches.get(1)).contains("\"after\":\"p1\"");
        assertThat(searches.get(2)).as("the next poll starts where the last page ended").contains("\"after\":\"p2\"");
    }

    @Test
    void aUserTaskAndAnIncidentAreReportedOnce() {
        answers = r -> {
            if (is(r, "GET", "/v2/process-instances/")) {
                return json(200, instance("ACTIVE"));
            }
            if (is(r, "POST", "/v2/user-tasks/search")) {
                return json(200, page(List.of("{\"name\":\"Approve the production upgrade\",\"state\":\"CREATED\","
                        + "\"elementId\":\"approve-production\",\"processDefinitionId\":\"odoo-upgrade\",\"creationDate\":"
                        + "\"2026-11-25T10:00:01.000Z\",\"tenantId\":\"<default>\",\"processDefinitionVersion\":1,\"priority\":50,"
                        + "\"userTaskKey\":\"77\",\"elementInstanceKey\":\"76\",\"processDefinitionKey\":\"2251799813685249\","
                        + "\"processInstanceKey\":\"" + INSTANCE + "\"}"), "u"));
            }
            if (is(r, "POST", "/v2/incidents/search")) {
                return json(200, page(List.of("{\"processDefinitionId\":\"odoo-upgrade\",\"errorType\":\"JOB_NO_RETRIES\","
                        + "\"errorMessage\":\"the upgrade API at https://upgrade.odoo.com/database/v1 answered 503\",\"elementId\":"
                        + "\"create-request\",\"creationTime\":\"2026-11-25T10:00:02.000Z\",\"state\":\"ACTIVE\",\"tenantId\":"
                        + "\"<default>\",\"incidentKey\":\"88\",\"processDefinitionKey\":\"2251799813685249\",\"processInstanceKey\":\""
                        + INSTANCE + "\",\"elementInstanceKey\":\"12\",\"jobKey\":\"89\"}"), "i"));
            }
            return json(200, EMPTY);
        };
        ClusterObserver observer = observer();

        List<RunObserver.Event> events = pollLater(observer);

        assertThat(events).containsExactly(new RunObserver.UserTaskOpened(77, "approve-production"),
                new RunObserver.Incident("create-request", "the upgrade API at https://upgrade.odoo.com/database/v1 answered 503"));
        assertThat(pollLater(observer)).isEmpty();
        assertThat(requests.stream().filter(r -> is(r, "POST", "/v2/user-tasks/search")).map(ClusterObserverTest::body).findFirst()
                .orElseThrow()).contains("CREATED");
    }

    @Test
    void aCompletedInstanceEndsAtItsOwnLastEndEventNotASubprocesssOne() {
        answers = r -> {
            if (is(r, "GET", "/v2/process-instances/")) {
                return json(200, instance("COMPLETED"));
            }
            if (is(r, "POST", "/v2/element-instances/search") && body(r).contains("END_EVENT")) {
                return json(200, page(List.of(element(20, "submit-end", "END_EVENT", "COMPLETED"),
                        element(90, "end-upgraded", "END_EVENT", "COMPLETED")), "e"));
            }
            return json(200, EMPTY);
        };

        List<RunObserver.Event> events = pollLater(observer());

        assertThat(events).containsExactly(new RunObserver.Ended("end-upgraded", "Database upgraded"));
        assertThat(requests).as("the state was read before anything else").first().matches(r -> is(r, "GET", "/v2/process-instances/"));
    }

    @Test
    void whileNothingMovesItAsksLessAndLessOftenAndSoonAgainOnceSomethingDoes() {
        List<String> elements = new CopyOnWriteArrayList<>();
        answers = r -> {
            if (is(r, "GET", "/v2/process-instances/")) {
                return json(200, instance("ACTIVE"));
            }
            if (is(r, "POST", "/v2/element-instances/search")) {
                return json(200, page(new ArrayList<>(elements), elements.isEmpty() ? null : "c"));
            }
            return json(200, EMPTY);
        };
        ClusterObserver observer = observer();
        List<Long> askedAt = new ArrayList<>();
        for (int second = 0; second < 40; second++) { // the follower calls poll() far more often than this; once a second here
            clock.set(Duration.ofSeconds(second).toNanos());
            long before = count("GET", "/v2/process-instances/");
            if (second == 25) {
                elements.add(element(31, "check-status", "SERVICE_TASK", "ACTIVE"));
            }
            observer.poll();
            if (count("GET", "/v2/process-instances/") > before) {
                askedAt.add((long) second);
            }
        }

        // nothing new: 2 s, 4, 8 (the most), 8 ...; the change made at 25 is seen at 30, and the next question comes 1 s later
        assertThat(askedAt).startsWith(0L, 2L, 6L, 14L, 22L, 30L, 31L, 33L);
        List<Long> gaps = IntStream.range(1, askedAt.size()).mapToObj(i -> askedAt.get(i) - askedAt.get(i - 1)).toList();
        assertThat(gaps).allMatch(g -> g <= 8);
        assertThat(count("GET", "/v2/process-instances/")).as("requests in 40 s").isLessThan(12);
    }

    @Test
    void variablesAreAskedWithTheirFullValues() {
        answers = r -> is(r, "POST", "/v2/variables/search")
                ? json(200, page(List.of("{\"value\":\"\\\"sealed:v1:" + "x".repeat(9000) + "\\\"\",\"isTruncated\":false,"
                        + "\"name\":\"requestKeySealed\",\"tenantId\":\"<default>\",\"variableKey\":\"5\",\"scopeKey\":\"" + INSTANCE
                        + "\",\"processInstanceKey\":\"" + INSTANCE + "\"}"), "v"))
                : json(200, EMPTY);

        Map<String, String> vars = observer().variables();

        assertThat(vars.get("requestKeySealed")).hasSize(9000 + "\"sealed:v1:\"".length());
        RecordedRequest search = requests.stream().filter(r -> is(r, "POST", "/v2/variables/search")).findFirst().orElseThrow();
        assertThat(search.getUrl().queryParameter("truncateValues")).as(search.getUrl().toString()).isEqualTo("false");
        assertThat(body(search)).contains("\"scopeKey\"").contains(Long.toString(INSTANCE));
    }

    @SuppressWarnings("unused")
    private String describe() { // for a failing assertion's message
        return requests.stream().map(r -> r.getMethod() + " " + r.getUrl() + " " + body(r)).collect(Collectors.joining("\n"));
    }
}
