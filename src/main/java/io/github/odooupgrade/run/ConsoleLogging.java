package io.github.odooupgrade.run;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * At the terminal, a person follows the run: the workers speak, the engine and the libraries only
 * when something is wrong. {@link #close()} puts the levels back (the run may live in a bigger JVM).
 */
public final class ConsoleLogging implements AutoCloseable {
    private static final String PATTERN = "odoo.upgrade.log.pattern";
    private static final Map<String, Level> RUN_LEVELS = new LinkedHashMap<>();

    static {
        RUN_LEVELS.put(Logger.ROOT_LOGGER_NAME, Level.WARN);
        RUN_LEVELS.put("io.github.odooupgrade", Level.INFO);
        RUN_LEVELS.put("io.github.odooupgrade.sandbox", Level.WARN);
        RUN_LEVELS.put("io.github.odooupgrade.api", Level.WARN); // the workers say the same, per instance
        RUN_LEVELS.put("io.camunda.client.impl.CamundaCallCredentials", Level.ERROR); // plaintext gRPC to 127.0.0.1 is expected
        // a start that fails is reported by the command, in one line
        RUN_LEVELS.put("org.springframework.boot.SpringApplication", Level.OFF);
        RUN_LEVELS.put("org.springframework.context", Level.ERROR);
    }

    private final Map<String, Level> before = new LinkedHashMap<>();
    private final String patternBefore;

    private ConsoleLogging() {
        patternBefore = System.getProperty(PATTERN);
        // read by logback.xml, now and when Spring configures logging again
        System.setProperty(PATTERN, "%-4X{indent}%msg%n"); // (an empty MDC key, padded: an indent)
        RUN_LEVELS.forEach((name, level) -> {
            if (LoggerFactory.getLogger(name) instanceof Logger l) {
                before.put(name, l.getLevel());
                l.setLevel(level);
            }
        });
    }

    public static ConsoleLogging quiet() {
        return new ConsoleLogging();
    }

    /** The same, as Spring Boot properties (Spring sets the levels again when it starts). */
    static List<String> springArguments() {
        return RUN_LEVELS.entrySet().stream()
                .map(e -> "--logging.level." + (e.getKey().equals(Logger.ROOT_LOGGER_NAME) ? "root" : e.getKey()) + "=" + e.getValue())
                .toList();
    }

    @Override
    public void close() {
        before.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
        if (patternBefore == null) {
            System.clearProperty(PATTERN);
        } else {
            System.setProperty(PATTERN, patternBefore);
        }
    }
}
