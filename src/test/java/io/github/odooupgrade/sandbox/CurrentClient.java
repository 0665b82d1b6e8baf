package io.github.odooupgrade.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Odoo's own upgrade client's way with today's API, for tests: JSON-RPC calls as it sends them, and rsync over
 * ssh run as it runs them (StrictHostKeyChecking=yes, the known_hosts lines of transfer/start, IdentitiesOnly,
 * an RSA key made with ssh-keygen). Every answer is checked for a Content-Length, which that client needs.
 */
final class CurrentClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    final Path dir;
    final Path key;

    /** A client of the sandbox at {@code base} (scheme://host:port), working in {@code dir}, with a key pair of its own. */
    CurrentClient(String base, Path dir) throws Exception {
        this.base = base;
        this.dir = Files.createDirectories(dir);
        this.key = dir.resolve("upgrade_ssh_key");
        if (!Files.exists(key)) {
            run(List.of("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", key.toString()));
        }
    }

    String publicKey() throws IOException {
        return Files.readString(dir.resolve("upgrade_ssh_key.pub"));
    }

    /** A JSON-RPC call: the whole answer (result or error). */
    JsonNode call(String endpoint, Map<String, Object> params) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("method", "not_used");
        body.put("params", params);
        body.put("id", "not_used");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/upgrade/request/" + endpoint))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Length")).as("Content-Length of %s's answer", endpoint).isPresent();
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/json");
        return JSON.readTree(r.body());
    }

    /** A call that must succeed: its result. */
    JsonNode result(String endpoint, Map<String, Object> params) throws Exception {
        JsonNode answer = call(endpoint, params);
        assertThat(answer.has("error")).as("%s answered %s", endpoint, answer).isFalse();
        assertThat(answer.path("result").has("error")).as("%s answered %s", endpoint, answer).isFalse();
        return answer.get("result");
    }

    /** A call the platform must refuse: its sentence (result.error). */
    String refusal(String endpoint, Map<String, Object> params) throws Exception {
        JsonNode answer = call(endpoint, params);
        assertThat(answer.path("result").path("error").isTextual()).as("%s answered %s", endpoint, answer).isTrue();
        return answer.path("result").path("error").asText();
    }

    /** create, as Odoo's client sends it. */
    JsonNode create(String contract, String target, String aim) throws Exception {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("contract", contract);
        p.put("target", target);
        p.put("aim", aim);
        p.put("actuator", "cli");
        p.put("env_vars", List.of());
        p.put("ssh_key", publicKey());
        p.put("api_version", "0.2");
        return result("create", p);
    }

    /** transfer/start: the port, with its known_hosts lines written where ssh is told to read them. */
    int startTransfer(String token, String type) throws Exception {
        JsonNode r = result("transfer/start", Map.of("token", token, "transfer_type", type));
        Files.writeString(knownHosts(), r.get("known_hosts").asText());
        return r.get("ssh_port").asInt();
    }

    Path knownHosts() {
        return dir.resolve("upgrade_known_hosts");
    }

    /** ssh as Odoo's client gives it to rsync (-e), for this window and key. */
    String ssh(int port, Path keyFile) {
        return "ssh -p " + port + " -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + knownHosts()
                + " -i " + keyFile;
    }

    /** The upload as Odoo's client runs it: {@code source} (a folder's content when it ends with /) to /data/{@code name}. */
    Run upload(int port, Path source, String name) throws Exception {
        return run(List.of("rsync", "--chmod=u+rwx,g+rwx,o+r", "--info=progress2", "--delete-after", "-are", ssh(port, key),
                dir.relativize(source) + (Files.isDirectory(source) ? "/" : ""), "odoo@127.0.0.1:/data/" + name));
    }

    /** The download as Odoo's client runs it: the dump, the filestore, the report and the log into {@code into}. */
    Run download(int port, String dumpName, Path into) throws Exception {
        String remote = "odoo@127.0.0.1:/data/";
        return run(List.of("rsync", "--info=progress2", "-are", ssh(port, key), "--ignore-missing-args", remote + dumpName,
                remote + "filestore", remote + "upgrade-report.html", remote + "upgrade.log", into.toString()));
    }

    /** The status, until it is no longer pending or progress. */
    JsonNode awaitEnd(String token, Duration atMost) throws Exception {
        long end = System.nanoTime() + atMost.toNanos();
        JsonNode status;
        do {
            Thread.sleep(100);
            status = result("status", Map.of("token", token));
        } while (List.of("new", "pending", "progress").contains(status.get("status").asText()) && System.nanoTime() < end);
        return status;
    }

    /** The log from {@code offset}, as Odoo's client asks for it: its HTTP status and text. */
    HttpResponse<String> logs(String token, long offset) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/upgrade/request/logs?token=" + token))
                .header("Range", "bytes=" + offset + "-").GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.headers().firstValue("Content-Length")).as("Content-Length of the log").isPresent();
        return r;
    }

    /** A program's exit code and output (both streams). */
    record Run(int exit, String output) {}

    Run run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }
}
