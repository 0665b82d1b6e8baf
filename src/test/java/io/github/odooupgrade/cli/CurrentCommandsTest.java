package io.github.odooupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.odooupgrade.api.CurrentApiClient;
import io.github.odooupgrade.api.CurrentRef;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.run.RunJournal;
import io.github.odooupgrade.run.SealKey;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.SandboxFixture;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.secrets.SecretForms;
import io.github.odooupgrade.transfer.SshKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code status}, {@code log} and {@code wipe} on today's platform: the token from the environment or a run's journal, never shown. */
class CurrentCommandsTest {
    @RegisterExtension
    static final SandboxFixture platform = SandboxFixture.perClass("--pending", "200ms", "--progress", "1s");

    private final CurrentApiClient client = new CurrentApiClient(UpgradeClientConfig.of(platform.sandbox.currentApiUrl()));

    @AfterEach
    void release() {
        platform.sandbox.faults().holdFilenames(null);
    }

    /** A request with its dump in /data (as rsync puts it: the transfers have their own tests) and processing asked for. */
    private CurrentRef processed() throws Exception {
        CurrentRef ref = client.create(new CurrentApiClient.CreateParams(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test", List.of(),
                SshKeyPair.generateEd25519("test").publicKey())).ref();
        Path data = platform.sandbox.store().dataDir(ref.id());
        Files.writeString(data.resolve("origin.sql"), Dumps.plainSql("15.4"));
        client.process(ref);
        return ref;
    }

    private CurrentRef ended(CurrentRef ref) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !client.status(ref).outcome().equals(CurrentApiClient.Outcome.RUNNING));
        return ref;
    }

    private static Map<String, String> tokenOf(CurrentRef ref) {
        return Map.of(TokenAccess.TOKEN_VARIABLE, ref.token());
    }

    private String api() {
        return platform.sandbox.currentApiUrl();
    }

    private static void assertNoSecret(Outcome o, CurrentRef ref) {
        assertThat(SecretForms.foundIn(List.of(o.out(), o.err()), SecretForms.of(ref.token()))).isNull();
        assertThat(SecretForms.foundIn(List.of(o.out(), o.err()), SecretForms.of(SandboxOptions.DEFAULT_CONTRACT))).isNull();
    }

    @Test
    void statusWithTheTokenInTheEnvironmentSaysTheStateAndExitsAsForV1() throws Exception {
        CurrentRef upgraded = ended(processed());
        Outcome done = Outcome.of(new StatusCommand(tokenOf(upgraded)), "--platform", "current", "--api-url", api());
        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(done.out()).contains("request:   the one of UPGRADE_REQUEST_TOKEN, on 127.0.0.1:" + platform.sandbox.httpPort(),
                "state:     done - upgraded");
        assertNoSecret(done, upgraded);

        platform.sandbox.faults().holdFilenames(Pattern.compile("^origin\\.sql$"));
        CurrentRef held = processed();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status(held).state().equals("progress"));
        assertThat(Outcome.of(new StatusCommand(tokenOf(held)), "--platform", "current", "--api-url", api()).exit()).isEqualTo(4);

        platform.sandbox.faults().holdFilenames(null);
        platform.sandbox.faults().failFilenames(Pattern.compile("^origin\\.sql$"));
        try {
            CurrentRef failed = ended(processed());
            Outcome no = Outcome.of(new StatusCommand(tokenOf(failed)), "--platform", "current", "--api-url", api());
            assertThat(no.exit()).isEqualTo(1);
            assertThat(no.out()).contains("state:     failed - ended without an upgrade", "message:   The upgrade of your database failed");
        } finally {
            platform.sandbox.faults().failFilenames(null);
        }
    }

    @Test
    void aMissingOrUnknownTokenOrAV1OptionIsOneLineAndExitTwo() {
        Outcome none = Outcome.of(new StatusCommand(Map.of()), "--platform", "current", "--api-url", api());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("error: the request's token is missing: set UPGRADE_REQUEST_TOKEN (Odoo's upgrade client printed "
                + "it), or give --output DIR, the folder of a run\n");

        Outcome unknown = Outcome.of(new LogCommand(Map.of(TokenAccess.TOKEN_VARIABLE, "not-a-token-of-it")), "--api-url", api());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: today's upgrade platform knows no request with that token").doesNotContain("not-a-token");
        assertThat(unknown.err().lines()).hasSize(1);

        Outcome withRequest = Outcome.of(new StatusCommand(Map.of()), "--platform", "current", "--request", "3");
        assertThat(withRequest.exit()).isEqualTo(2);
        assertThat(withRequest.err()).contains("the token names the request");
    }

    @Test
    void logPrintsThePlatformsLogAndFollowsItUntilTheRequestEnds() throws Exception {
        CurrentRef ref = processed();
        Path logFile = platform.sandbox.store().dataDir(ref.id()).resolve("upgrade.log");

        Outcome followed = Outcome.of(new LogCommand(tokenOf(ref)), "--api-url", api(), "--follow", "--poll-interval", "200ms");

        assertThat(followed.exit()).as(followed.err()).isZero();
        assertThat(client.status(ref).state()).isEqualTo("done");
        String whole = Files.readString(logFile);
        assertThat(whole.lines().count()).isGreaterThan(2);
        assertThat(followed.out()).isEqualTo(whole);
        int half = whole.length() / 2;
        Outcome fromHalf = Outcome.of(new LogCommand(tokenOf(ref)), "--api-url", api(), "--from", Integer.toString(half));
        assertThat(fromHalf.exit()).isZero();
        assertThat(fromHalf.out()).isEqualTo(whole.substring(half));
        assertNoSecret(followed, ref);
    }

    @Test
    void wipeNeedsTheContractAndThenTheStatusSaysArchived() throws Exception {
        CurrentRef ref = ended(processed());

        Outcome noContract = Outcome.of(new WipeCommand(tokenOf(ref)), "--api-url", api());
        assertThat(noContract.exit()).isEqualTo(2);
        assertThat(noContract.err()).startsWith("error: --contract is missing");
        Outcome other = Outcome.of(new WipeCommand(tokenOf(ref)), "--api-url", api(), "--contract", "M000000-other");
        assertThat(other.exit()).isEqualTo(1);
        assertThat(other.err()).startsWith("the platform refused to delete the data of the request of UPGRADE_REQUEST_TOKEN: "
                + "This token's request belongs to another contract");

        Outcome wiped = Outcome.of(new WipeCommand(tokenOf(ref)), "--api-url", api(), "--contract", SandboxOptions.DEFAULT_CONTRACT);

        assertThat(wiped.exit()).as(wiped.err()).isZero();
        assertThat(wiped.out()).isEqualTo("the platform deleted its copy of the request of UPGRADE_REQUEST_TOKEN\n");
        try (var files = Files.list(platform.sandbox.store().dataDir(ref.id()))) {
            assertThat(files).isEmpty();
        }
        Outcome status = Outcome.of(new StatusCommand(tokenOf(ref)), "--platform", "current", "--api-url", api());
        assertThat(status.out()).contains("archived:  its data was deleted from the platform");
        assertNoSecret(wiped, ref);
    }

    @Test
    void aRunsFolderGivesTheTokenAndTheContractSealedInItsJournal(@org.junit.jupiter.api.io.TempDir Path run) throws Exception {
        CurrentRef ref = ended(processed());
        SealKey key = SealKey.forNewRun(run, Map.of());
        RunJournal.begin(List.of("--platform", "current", "--api-url", api()), key.sealer().seal(SandboxOptions.DEFAULT_CONTRACT), key.source())
                .at("Check the request status", Map.of(Var.REQUEST_ID, ref.id(), Var.REQUEST_KEY_SEALED, key.sealer().seal(ref.token())))
                .write(run);

        Outcome status = Outcome.of(new StatusCommand(Map.of()), "--output", run.toString());
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("request:   " + ref.id() + ", on 127.0.0.1:", "state:     done - upgraded");

        Outcome log = Outcome.of(new LogCommand(Map.of()), "--output", run.toString());
        assertThat(log.out()).isEqualTo(Files.readString(platform.sandbox.store().dataDir(ref.id()).resolve("upgrade.log")));

        Outcome wiped = Outcome.of(new WipeCommand(Map.of()), "--output", run.toString());
        assertThat(wiped.exit()).as(wiped.err()).isZero();
        assertThat(wiped.out()).contains("the platform deleted its copy of request " + ref.id());
        for (Outcome o : List.of(status, log, wiped)) {
            assertNoSecret(o, ref);
        }
    }

    @Test
    void aV1RunsFolderIsSentToStatus(@org.junit.jupiter.api.io.TempDir Path run) {
        SealKey key = SealKey.forNewRun(run, Map.of());
        RunJournal.begin(List.of("--api-url", platform.sandbox.apiUrl()), null, key.source())
                .at("Check the request status", Map.of(Var.REQUEST_ID, 1, Var.REQUEST_KEY_SEALED, key.sealer().seal("k"))).write(run);

        Outcome log = Outcome.of(new LogCommand(Map.of()), "--output", run.toString());

        assertThat(log.exit()).isEqualTo(2);
        assertThat(log.err()).contains("error: the run in " + run + " used the v1 API, which has no such call: odoo-upgrade status --output");
    }
}
