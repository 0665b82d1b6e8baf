package io.github.odooupgrade.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A sandbox on free ports over a temporary data folder, and a plain HTTP client that speaks to
 * it the way the seed's examples do (query strings, form bodies). Tests of the sandbox use the
 * JDK's HttpClient, not the project's API client, so the two are checked against each other.
 */
public final class SandboxFixture implements AutoCloseable, BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Set when the sandbox starts: at once for {@link #start}, before a class's first test for {@link #perClass}. */
    public Path dataDir;
    public Sandbox sandbox;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String[] extraArgs;

    private SandboxFixture(String... extraArgs) {
        this.extraArgs = extraArgs;
    }

    /** Fast lifecycle (a few hundred ms a step) unless the extra arguments say otherwise. */
    public static SandboxFixture start(Path dataDir, String... extraArgs) {
        SandboxFixture fixture = new SandboxFixture(extraArgs);
        fixture.startIn(dataDir);
        return fixture;
    }

    /**
     * As a JUnit extension ({@code @RegisterExtension static}): one sandbox for a test class, started
     * before its first test (and its own {@code @BeforeAll}) in a temporary folder, closed after the
     * last; no fault is left armed after a test.
     */
    public static SandboxFixture perClass(String... extraArgs) {
        return new SandboxFixture(extraArgs);
    }

    private void startIn(Path folder) {
        List<String> args = new ArrayList<>(List.of("--data-dir", folder.toString(), "--http-port", "0", "--sftp-port", "0",
                "--pending", "100ms", "--progress", "200ms", "--test", "200ms"));
        args.addAll(List.of(extraArgs));
        dataDir = folder;
        sandbox = Sandbox.start(SandboxOptions.parse(args.toArray(String[]::new)));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        startIn(Files.createTempDirectory("sandbox-"));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        sandbox.faults().reset();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        close();
        deleteTree(dataDir);
    }

    /** Deletes a folder and all it holds (a test's data), deepest first. */
    public static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public String url(String method) {
        return sandbox.apiUrl() + "/" + method;
    }

    /** GET with the parameters in the query string, as the seed's curl examples. */
    public JsonNode get(String method, Map<String, String> params) {
        return json(send(HttpRequest.newBuilder(URI.create(url(method) + "?" + form(params))).GET().build()));
    }

    /** GET with a form-encoded body, as the seed's {@code requests.get(url, data=fields)}. */
    public JsonNode getWithFormBody(String method, Map<String, String> params) {
        return json(send(HttpRequest.newBuilder(URI.create(url(method)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method("GET", HttpRequest.BodyPublishers.ofString(form(params)))
                .build()));
    }

    public JsonNode post(String method, Map<String, String> params) {
        return json(send(HttpRequest.newBuilder(URI.create(url(method)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(params)))
                .build()));
    }

    public JsonNode upload(long id, String key, Path file) throws IOException {
        return json(send(HttpRequest.newBuilder(URI.create(url("upload") + "?" + form(auth(id, key))))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file))
                .build()));
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> download(String url, String range) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (range != null) {
            b.header("Range", range);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            JsonNode node = JSON.readTree(response.body());
            assertThat(node.path("failures").isArray()).as("every answer has a failures list: %s", response.body()).isTrue();
            return node;
        } catch (IOException e) {
            throw new AssertionError("not JSON (HTTP " + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** A valid create, with any field overridden. */
    public JsonNode create(String filename, String aim, String... overrides) {
        Map<String, String> p = new LinkedHashMap<>(Map.of("contract", SandboxOptions.DEFAULT_CONTRACT, "email", "john.doe@example.com",
                "target", "12.0", "aim", aim, "filename", filename));
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            p.put(overrides[i], overrides[i + 1]);
        }
        JsonNode answer = get("create", p);
        assertThat(answer.path("failures")).as("create failures: %s", answer).isEmpty();
        return answer.path("request");
    }

    public JsonNode status(long id, String key) {
        return get("status", auth(id, key)).path("request");
    }

    /** Polls status until the state is one of {@code states}, or fails after 20 s. */
    public JsonNode awaitState(long id, String key, String... states) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode status = status(id, key);
        while (!List.of(states).contains(status.path("state").asText())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("request " + id + " still " + status.path("state") + ", expected " + List.of(states));
            }
            sleep(50);
            status = status(id, key);
        }
        return status;
    }

    public static Map<String, String> auth(long id, String key) {
        return Map.of("request", Long.toString(id), "key", key);
    }

    public static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
