package io.github.odooupgrade.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.SandboxFixture;
import io.github.odooupgrade.sandbox.SandboxOptions;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import io.github.odooupgrade.transfer.SshKeyPair;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client of today's API against the sandbox's: its answers read, its refusals said, create sent again only when safe. */
class CurrentApiClientTest {
    @RegisterExtension
    static final SandboxFixture PLATFORM = SandboxFixture.perClass("--pending", "100ms", "--progress", "200ms");

    private static CurrentApiClient client() {
        return new CurrentApiClient(UpgradeClientConfig.of(PLATFORM.sandbox.currentApiUrl()).withRetries(3, Duration.ofMillis(10),
                Duration.ofMillis(50)));
    }

    private static CurrentApiClient.CreateParams params(String target) {
        return new CurrentApiClient.CreateParams(SandboxOptions.DEFAULT_CONTRACT, target, "test", List.of(),
                SshKeyPair.generateEd25519("test").publicKey());
    }

    private static long requests() {
        return PLATFORM.sandbox.store().all().stream().filter(UpgradeRequest::isCurrent).count();
    }

    @Test
    void aRequestIsCreatedProcessedAndFollowedOnTheHostThePlatformAssigns() throws Exception {
        CurrentApiClient client = client();

        CurrentRef ref = client.create(params("18.0")).ref();

        assertThat(ref.host()).isEqualTo("127.0.0.1:" + PLATFORM.sandbox.httpPort());
        assertThat(ref.toString()).doesNotContain(ref.token());
        assertThat(client.status(ref).outcome()).isEqualTo(CurrentApiClient.Outcome.NEW);
        assertThat(client.locate(new CurrentRef(ref.id(), ref.token(), null)).host()).isEqualTo(ref.host());
        Files.writeString(PLATFORM.sandbox.store().dataDir(ref.id()).resolve("origin.sql"), Dumps.plainSql("15.4"));
        assertThat(client.process(ref)).isTrue();
        CurrentApiClient.Status done = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> client.status(ref), s -> s.outcome() != CurrentApiClient.Outcome.RUNNING);
        assertThat(done.outcome()).isEqualTo(CurrentApiClient.Outcome.SUCCEEDED);
        CurrentApiClient.Log log = client.logs(ref, 0);
        assertThat(log.text()).contains("upgrade of request " + ref.id());
        assertThat(client.logs(ref, log.next()).text()).as("nothing new past the end").isEmpty();
        assertThat(client.wipe(ref, SandboxOptions.DEFAULT_CONTRACT).wiped()).containsExactly(ref.id());
        assertThat(client.status(ref).archived()).isTrue();
    }

    @Test
    void aRefusalCarriesThePlatformsSentence() {
        long before = requests();

        assertThatThrownBy(() -> client().create(params("5.0"))).isInstanceOfSatisfying(UpgradeRejectedException.class, e ->
                assertThat(e.getMessage()).isEqualTo("create refused: The target version 5.0 is not available; choose one of 17.0, 18.0, 19.0."));
        assertThat(requests()).isEqualTo(before);
    }

    @Test
    void createAnswered503IsSentAgainAndMakesOneRequest() {
        PLATFORM.sandbox.faults().failNextCalls(1);
        long before = requests();

        client().create(params("18.0"));

        assertThat(requests()).isEqualTo(before + 1);
    }

    @Test
    void createWhoseAnswerWasLostIsNotSentAgain() {
        PLATFORM.sandbox.faults().loseNextAnswers(1, 504);
        long before = requests();

        assertThatThrownBy(() -> client().create(params("18.0"))).isInstanceOfSatisfying(UpgradeTechnicalException.class, e -> {
            assertThat(e.isTransient()).isTrue();
            assertThat(e.notHandled()).isFalse();
        });
        assertThat(requests()).as("the one the lost answer was about").isEqualTo(before + 1);
    }

    @Test
    void anUnknownTokenIsARefusalAndTheTokenIsInNoMessage() {
        CurrentRef unknown = new CurrentRef(1, "the-secret-token-nobody-knows", null);

        assertThatThrownBy(() -> client().status(unknown)).isInstanceOf(UpgradeRejectedException.class)
                .hasMessage("status refused: No upgrade request has this token.");
        client().probe(); // the same question, as a health check asks it: answered as the API does
    }

    @Test
    void anAnswerThatIsNotJsonRpcIsATechnicalFaultSaidInOneLine() {
        CurrentApiClient v1AsIfCurrent = new CurrentApiClient(UpgradeClientConfig.of(PLATFORM.sandbox.apiUrl()).withRetries(1,
                Duration.ofMillis(10), Duration.ofMillis(20)));

        assertThatThrownBy(v1AsIfCurrent::probe).isInstanceOfSatisfying(UpgradeTechnicalException.class, e -> {
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).startsWith("status: ").doesNotContain("\n");
        });
    }
}
