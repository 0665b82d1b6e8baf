package io.github.odooupgrade.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.odooupgrade.sandbox.SandboxFixture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The check before a run against another upgrade API: busy is waited for, unreachable is said at once. */
class PreflightTest {
    @RegisterExtension
    static final SandboxFixture platform = SandboxFixture.perClass();
    final List<String> said = new ArrayList<>();

    @Test
    void anApiThatAnswers503AFewTimesIsAskedAgainAndPasses() throws Exception {
        platform.sandbox.faults().failNextCalls(2);

        assertThat(Preflight.problem(platform.sandbox.apiUrl(), null, Duration.ofSeconds(30), said::add)).isNull();
        assertThat(said).singleElement().asString().contains("is busy (status: HTTP 503").contains("asking again for up to PT30S");
    }

    @Test
    void anApiStillBusyAfterTheWaitIsOneLine() throws Exception {
        platform.sandbox.faults().failNextCalls(1_000);

        assertThat(Preflight.problem(platform.sandbox.apiUrl(), null, Duration.ofSeconds(2), said::add))
                .startsWith("the upgrade API at " + platform.sandbox.apiUrl() + " was still busy after PT2S (--api-wait): status: HTTP 503");
    }

    @Test
    void anApiThatCannotBeReachedIsSaidAtOnce() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        long start = System.nanoTime();

        assertThat(Preflight.problem("http://127.0.0.1:" + closedPort + "/database/v1", null, Duration.ofMinutes(5), said::add))
                .startsWith("the upgrade API at http://127.0.0.1:" + closedPort + "/database/v1 cannot be used: status: cannot connect");
        assertThat(said).as("no waiting for what will not come").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
    }
}
