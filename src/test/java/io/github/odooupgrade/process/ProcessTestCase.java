package io.github.odooupgrade.process;

import io.github.odooupgrade.local.EmbeddedEngine;
import io.github.odooupgrade.sandbox.Sandbox;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.service.Sealer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One embedded Zeebe engine and one sandbox for all process tests of a JVM (the Spring context
 * that holds the workers is cached across test classes, so they must outlive any one class).
 * Real sockets throughout: the workers reach the engine over gRPC and the sandbox over HTTP/SFTP.
 */
final class ProcessTestEnvironment {
    static final String CONTRACT = "M123456-abcdef";
    static final Path ROOT;
    static final EmbeddedEngine ENGINE;
    static final Sandbox SANDBOX;
    static final String SEAL_KEY = Sealer.newBase64Key();

    static {
        try {
            ROOT = Files.createTempDirectory("process-tests");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ENGINE = EmbeddedEngine.start();
        // a few hundred milliseconds per platform step: a run polls a few times and ends in seconds
        SANDBOX = Sandbox.start(SandboxOptions.parse("--data-dir", ROOT.resolve("sandbox").toString(), "--http-port", "0",
                "--sftp-port", "0", "--pending", "300ms", "--progress", "600ms", "--test", "600ms"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            SANDBOX.close();
            ENGINE.close();
        }));
    }

    private ProcessTestEnvironment() {}

    static void register(DynamicPropertyRegistry r) {
        r.add("camunda.client.mode", () -> "self-managed");
        r.add("camunda.client.grpc-address", ENGINE::grpcAddress);
        r.add("camunda.client.rest-address", () -> "http://127.0.0.1:1"); // the embedded engine has none
        r.add("camunda.client.prefer-rest-over-grpc", () -> "false");
        r.add("upgrade.api-url", SANDBOX::apiUrl);
        r.add("upgrade.seal-key", () -> SEAL_KEY);
        r.add("upgrade.output-dir", () -> ROOT.resolve("output").toString());
        r.add("upgrade.poll-interval", () -> "PT1S");
        r.add("upgrade.retry-backoff", () -> "PT0.2S");
        r.add("upgrade.sftp-threshold", () -> "1MB");
        r.add("upgrade.api.backoff-min", () -> "PT0.05S");
        r.add("upgrade.api.backoff-max", () -> "PT0.2S");
        r.add("upgrade.sftp.known-hosts", () -> ROOT.resolve("sandbox/ssh/known_hosts").toString());
        r.add("upgrade.postgres.host", () -> "127.0.0.1"); // the machine's PostgreSQL (trust auth)
        r.add("upgrade.postgres.user", () -> "postgres");
        r.add("upgrade.postgres.filestore-root", () -> ROOT.resolve("filestore").toString());
    }
}
