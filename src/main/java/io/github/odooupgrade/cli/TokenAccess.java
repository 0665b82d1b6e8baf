package io.github.odooupgrade.cli;

import io.github.odooupgrade.api.CurrentApiClient;
import io.github.odooupgrade.api.CurrentRef;
import io.github.odooupgrade.api.UpgradeRejectedException;
import io.github.odooupgrade.api.UpgradeTechnicalException;
import io.github.odooupgrade.cli.StatusCommand.UnaskableException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * How {@code status}, {@code log} and {@code wipe} reach a request of today's platform: by a run's folder (its journal
 * holds the token, sealed, and where the run asked) or by the token in {@value #TOKEN_VARIABLE} — never the command
 * line, where other users of the machine could read it. The request is first asked of the main host, which names the
 * host it lives on, as Odoo's client does.
 */
final class TokenAccess {
    static final String TOKEN_VARIABLE = "UPGRADE_REQUEST_TOKEN";

    @Option(names = "--output", description = "The folder of a run: the request, its token and the API come from its journal.")
    Path output;

    @Option(names = "--api-url", description = "Without --output: today's API's main host (default: " + CurrentApiClient.MAIN_HOST + ").")
    String apiUrl;

    @Option(names = "--api-certificate", paramLabel = "FILE.pem", description = "With --api-url over HTTPS: trust only this certificate or CA.")
    Path apiCertificate;

    /** What a command asks with: the client, the request (at its host), the contract the run recorded (or null). */
    record Asked(CurrentApiClient client, CurrentRef ref, String recordedContract) {
        /** "request 12", or "the request of UPGRADE_REQUEST_TOKEN" when only its token is known. */
        String name() {
            return ref.id() > 0 ? "request " + ref.id() : "the request of " + TOKEN_VARIABLE;
        }
    }

    /** {@code question} asked of the request; a token the platform does not know, or a platform that cannot be asked, said in one line. */
    <T> T ask(Map<String, String> environment, PrintWriter out, Function<Asked, T> question) {
        return ask(output != null ? new RecordedRequest(output, environment, out) : null, environment, question);
    }

    /** The same, with the run's folder already read (or null: the token of the environment). */
    <T> T ask(RecordedRequest run, Map<String, String> environment, Function<Asked, T> question) {
        if (run != null) {
            if (apiUrl != null) {
                throw new UnaskableException("give --output DIR (a run's folder) or --api-url with " + TOKEN_VARIABLE + ", not both");
            }
            if (!run.current()) {
                throw new UnaskableException("the run in " + run.folder() + " used the v1 API, which has no such call: odoo-upgrade status "
                        + "--output " + run.folder() + " shows it");
            }
            CurrentRef ref = new CurrentRef(run.id(), run.secret(), null);
            String contract = run.contract();
            return run.ask((api, certificate) -> located(api, certificate, ref, contract, question));
        }
        String token = environment.get(TOKEN_VARIABLE);
        if (token == null || token.isBlank()) {
            throw new UnaskableException("the request's token is missing: set " + TOKEN_VARIABLE
                    + " (Odoo's upgrade client printed it), or give --output DIR, the folder of a run");
        }
        return located(apiUrl != null ? apiUrl : CurrentApiClient.MAIN_HOST, apiCertificate, new CurrentRef(0, token.trim(), null), null,
                question);
    }

    private static <T> T located(String api, Path certificate, CurrentRef ref, String contract, Function<Asked, T> question) {
        CurrentApiClient client;
        CurrentRef where;
        try {
            client = new CurrentApiClient(StatusCommand.askingConfig(api, certificate));
            where = client.locate(ref);
        } catch (UpgradeRejectedException e) {
            throw new UnaskableException("today's upgrade platform knows no request with that token (" + e.getMessage() + ")");
        } catch (UpgradeTechnicalException | IllegalArgumentException e) {
            throw new UnaskableException("today's upgrade platform at " + api + " could not be asked: " + e.getMessage());
        }
        try {
            return question.apply(new Asked(client, where, contract));
        } catch (UpgradeTechnicalException e) {
            throw new UnaskableException("today's upgrade platform at " + api + " could not be asked: " + e.getMessage());
        }
    }
}
