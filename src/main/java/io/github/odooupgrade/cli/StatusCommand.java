package io.github.odooupgrade.cli;

import io.github.odooupgrade.api.CurrentApiClient;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.api.UpgradeRejectedException;
import io.github.odooupgrade.api.UpgradeTechnicalException;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.secrets.Redact;
import java.io.PrintWriter;
import java.nio.file.Path;
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
            "Either --output DIR (a run's folder: its journal names the request, its secret and the API) or --request N,",
            "with the request's key in the environment variable " + StatusCommand.KEY_VARIABLE + ";",
            "or, with --platform current, the request's token in " + TokenAccess.TOKEN_VARIABLE + ".",
            "Exit codes: 0 upgraded (done or delivered), 1 ended without an upgrade (failed, cancelled), "
                + "4 still running, 2 bad input or the platform could not be asked."})
public class StatusCommand implements Callable<Integer> {
    static final String KEY_VARIABLE = "UPGRADE_REQUEST_KEY";

    @Option(names = "--platform", defaultValue = Value.PLATFORM_V1, description = "Without --output: v1 (the document's API) or current "
            + "(today's, as Odoo's own client; the request's token in " + TokenAccess.TOKEN_VARIABLE + "; default: ${DEFAULT-VALUE}).")
    String platform;

    @Option(names = "--request", description = "With v1: the request's id (the number in the platform's mail and URLs).")
    Long request;

    @Option(names = "--output", description = "The folder of a run (its --output): the request, its key and the API come from its journal.")
    Path output;

    @Option(names = "--api-url", description = "Without --output: the upgrade API (v1's default: " + UpgradeClientConfig.REAL_SERVICE
            + ", the sandbox's http://127.0.0.1:8780/database/v1; today's: " + CurrentApiClient.MAIN_HOST + ").")
    String apiUrl;

    @Option(names = "--api-certificate", paramLabel = "FILE.pem", description = "With --api-url over HTTPS: trust only this certificate or CA.")
    Path apiCertificate;

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
        boolean current = Value.PLATFORM_CURRENT.equals(platform);
        if (!current && !Value.PLATFORM_V1.equals(platform)) {
            err.println("error: --platform is v1 or current, not " + platform);
            return 2;
        }
        if (current ? request != null : (request == null) == (output == null)) {
            err.println(current ? "error: with --platform current the token names the request: set " + TokenAccess.TOKEN_VARIABLE
                    + " (or give --output DIR), without --request"
                    : "error: give --output DIR (a run's folder) or --request N (with its key in " + KEY_VARIABLE + "), one of them");
            return 2;
        }
        try {
            RecordedRequest run = output != null ? new RecordedRequest(output, environment, out) : null;
            if (run != null ? run.current() : current) {
                TokenAccess access = new TokenAccess();
                access.apiUrl = apiUrl;
                access.apiCertificate = apiCertificate;
                CurrentApiClient.Outcome outcome = access.ask(run, environment, asked -> print(asked, asked.client().status(asked.ref()), out));
                return switch (outcome) {
                    case SUCCEEDED -> 0;
                    case FAILED -> 1;
                    case NEW, RUNNING -> 4;
                };
            }
            RequestStatus s = run != null ? run.status() : status(apiUrl, request);
            print(s, out);
            return switch (s.outcome()) {
                case SUCCEEDED -> 0;
                case FAILED -> 1;
                case RUNNING -> 4;
            };
        } catch (UnaskableException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    /** The request could not be asked about: why, in one line. */
    static final class UnaskableException extends RuntimeException {
        UnaskableException(String message) {
            super(message);
        }
    }

    private RequestStatus status(String api, long id) {
        String key = environment.get(KEY_VARIABLE);
        if (key == null || key.isBlank()) {
            throw new UnaskableException("the request's key is missing: set " + KEY_VARIABLE + " (it is in the platform's mail and URLs)");
        }
        return ask(api != null ? api : UpgradeClientConfig.REAL_SERVICE, apiCertificate, new RequestRef(id, key.trim()));
    }

    /** How a command that only asks reaches a platform: a few quick tries, not a run's patience. */
    static UpgradeClientConfig askingConfig(String api, Path trustedCertificate) {
        return UpgradeClientConfig.of(api).withTrustedCertificate(trustedCertificate).withRetries(3, Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    static RequestStatus ask(String api, Path trustedCertificate, RequestRef ref) {
        try {
            return new UpgradeClient(askingConfig(api, trustedCertificate)).status(ref);
        } catch (UpgradeRejectedException e) {
            throw new UnaskableException("the upgrade API does not know request " + ref.id() + " with that key (" + e.getMessage() + ")");
        } catch (UpgradeTechnicalException | IllegalArgumentException e) {
            throw new UnaskableException("the upgrade API at " + api + " could not be asked: " + e.getMessage());
        }
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

    private static CurrentApiClient.Outcome print(TokenAccess.Asked asked, CurrentApiClient.Status s, PrintWriter out) {
        out.println("request:   " + (asked.ref().id() > 0 ? asked.ref().id() : "the one of " + TokenAccess.TOKEN_VARIABLE) + ", on "
                + asked.ref().host() + " (today's platform)");
        out.println("state:     " + s.state() + switch (s.outcome()) {
            case SUCCEEDED -> " - upgraded";
            case FAILED -> " - ended without an upgrade";
            case NEW -> " - waiting for its dump";
            case RUNNING -> " - still running";
        });
        if (s.reason() != null) {
            out.println("message:   " + s.reason());
        }
        if (s.archived()) {
            out.println("archived:  its data was deleted from the platform (wipe): it cannot be downloaded or continued");
        }
        return s.outcome();
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
