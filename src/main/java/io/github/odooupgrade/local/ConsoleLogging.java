package io.github.odooupgrade.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** At the terminal, a person follows the run: the workers speak, the engine and the libraries only when something is wrong. */
final class ConsoleLogging {
    private ConsoleLogging() {}

    static void quiet() {
        // read by logback.xml, now and when Spring configures logging again
        System.setProperty("odoo.upgrade.log.pattern", "%-4X{indent}%msg%n"); // (an empty MDC key, padded: an indent)
        level(Logger.ROOT_LOGGER_NAME, Level.WARN);
        level("io.github.odooupgrade", Level.INFO);
        level("io.github.odooupgrade.sandbox", Level.WARN);
        level("io.github.odooupgrade.api", Level.WARN); // the workers say the same, per instance
    }

    /** The same, as Spring Boot properties (Spring sets the levels again when it starts). */
    static String[] springArgs() {
        return new String[] {"--logging.level.root=WARN", "--logging.level.io.github.odooupgrade=INFO",
            "--logging.level.io.github.odooupgrade.sandbox=WARN", "--logging.level.io.github.odooupgrade.api=WARN",
            // plaintext gRPC to the engine on 127.0.0.1 is expected here
            "--logging.level.io.camunda.client.impl.CamundaCallCredentials=ERROR",
            // a start that fails is reported by the command, in one line
            "--logging.level.org.springframework.boot.SpringApplication=OFF", "--logging.level.org.springframework.context=ERROR"};
    }

    private static void level(String logger, Level level) {
        if (LoggerFactory.getLogger(logger) instanceof Logger l) {
            l.setLevel(level);
        }
    }
}
