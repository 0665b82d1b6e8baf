package io.github.odooupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input on the command line: one line that says what is wrong, exit code 2, no stack trace. */
class MainTest {
    @TempDir
    Path data;

    @Test
    void anUnknownOptionIsOneLine() {
        Outcome o = Outcome.main("", "sandbox", "--htp-port", "1");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err().lines()).hasSize(1);
        assertThat(o.err()).contains("Unknown options: '--htp-port'").contains("odoo-upgrade sandbox --help");
    }

    @Test
    void aBadDurationSaysWhatADurationLooksLike() {
        Outcome o = Outcome.main("", "sandbox", "--progress", "soon");
        assertThat(o.err().lines()).hasSize(1);
        assertThat(o.err()).contains("'soon' is not a duration; use e.g. 500ms, 30s, 5m, 2h, 7d or PT5M");
    }

    @Test
    void aPortInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome o = Outcome.main("", "sandbox", "--data-dir", data.toString(), "--http-port", Integer.toString(taken.getLocalPort()),
                    "--sftp-port", "0");
            assertThat(o.exit()).isEqualTo(2);
            assertThat(o.err().lines()).hasSize(1);
            assertThat(o.err()).startsWith("error: the sandbox cannot start").containsIgnoringCase("address already in use");
        }
    }

    @Test
    void workersThatCannotReachTheirClusterSayItInOneLine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Outcome o = Outcome.main("", "workers", "--camunda.client.mode=self-managed", "--camunda.client.grpc-address=http://127.0.0.1:" + closed,
                "--camunda.client.rest-address=http://127.0.0.1:" + closed, "--camunda.client.auth.method=none",
                "--upgrade.seal-key=" + io.github.odooupgrade.secrets.Sealer.newBase64Key());
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err().lines()).singleElement().asString().startsWith("error: the workers cannot start: ")
                .contains("Connection refused");
    }

    @Test
    void workersWithoutASealKeySayHowToMakeOne() {
        Outcome o = Outcome.main("", "workers", "--camunda.client.mode=self-managed", "--camunda.client.grpc-address=http://127.0.0.1:1");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err().lines()).singleElement().asString().contains("no seal key configured").contains("openssl rand -base64 32");
    }
}
