package io.github.odooupgrade.cli;

import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.api.UpgradeRejectedException;
import io.github.odooupgrade.api.UpgradeTechnicalException;
import io.github.odooupgrade.secrets.Redact;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code odoo-upgrade status}: the platform's view of one request — state, times, what it found in
 * the dump, what can be downloaded — without starting anything. The request key comes from the
 * environment, never the command line (where other users of the machine could read it); URLs that
 * embed it are shown redacted.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show what the upgrade platform says of a request, without starting anything.",
            "The request's key is read from the environment variable " + StatusCommand.KEY_VARIABLE + ".",
            "Exit codes: 0 upgraded (done or delivered), 1 ended without an upgrade (failed, cancelled), "
                + "4 still running, 2 bad input or the platform could not be asked."})
public class StatusCommand implements Callable<Integer> {
    static final String KEY_VARIABLE = "UPGRADE_REQUEST_KEY";

    @Option(names = "--request", required = true, description = "The request's id (the number in the platform's mail and URLs).")
    long request;

    @Option(names = "--api-url", defaultValue = UpgradeClientConfig.REAL_SERVICE,
            description = "The upgrade API (default: ${DEFAULT-VALUE}; the sandbox: http://127.0.0.1:8780/database/v1).")
    String apiUrl;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    public StatusCommand() {
        this(System.getenv());
    }

    /** With the environment given, for a caller (a test) that sets the key itself. */
    public StatusCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String key = environment.get(KEY_VARIABLE);
        if (key == null || key.isBlank()) {
            err.println("error: the request's key is missing: set " + KEY_VARIABLE + " (it is in the platform's mail and URLs)");
            return 2;
        }
        RequestStatus s;
        try {
            s = new UpgradeClient(UpgradeClientConfig.of(apiUrl).withRetries(3, Duration.ofSeconds(1), Duration.ofSeconds(5)))
                    .status(new RequestRef(request, key.trim()));
        } catch (UpgradeRejectedException e) {
            err.println("error: the upgrade API does not know request " + request + " with that key (" + e.getMessage() + ")");
            return 2;
        } catch (UpgradeTechnicalException | IllegalArgumentException e) {
            err.println("error: the upgrade API at " + apiUrl + " could not be asked: " + e.getMessage());
            return 2;
        }
        print(s, out);
        return switch (s.outcome()) {
            case SUCCEEDED -> 0;
            case FAILED -> 1;
            case RUNNING -> 4;
        };
    }

    private static void print(RequestStatus s, PrintWriter out) {
        out.println("request:   " + s.id() + " (target " + s.target() + ", aim " + s.aim() + ", file " + s.filename() + ")");
        out.println("state:     " + s.state() + switch (s.outcome()) {
            case SUCCEEDED -> " - upgraded";
            case FAILED -> " - ended without an upgrade";
            case RUNNING -> " - still running";
        } + " (created " + s.createdAt() + ", elapsed " + value(s.elapsed()) + ", estimated " + value(s.estimatedTime()) + ")");
        if (s.customerMessage() != null) {
            out.println("message:   " + s.customerMessage());
        }
        out.println("dump:      " + value(s.filesize()) + ", PostgreSQL " + value(s.postgresql()) + ", " + s.compressions()
                + ", filestore: " + value(s.filestore()));
        boolean shown = link(out, "upgraded:  ", s.isDelivered() ? s.upgradedDumpUrl() : null);
        shown |= link(out, "report:    ", s.notesUrl());
        shown |= link(out, "page:      ", s.statusUrl());
        if (shown) {
            out.println("           (*** in a URL is the request's key, " + KEY_VARIABLE + ")");
        }
    }

    private static boolean link(PrintWriter out, String label, String url) {
        if (url != null) {
            out.println(label + Redact.url(url));
        }
        return url != null;
    }

    private static String value(Object v) {
        return v == null ? "-" : v.toString();
    }
}
