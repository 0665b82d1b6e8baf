package io.github.odooupgrade.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.github.odooupgrade.api.CreateParams;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.api.Requests;
import io.github.odooupgrade.api.SftpAccess;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.sandbox.Dumps;
import io.github.odooupgrade.sandbox.SandboxFixture;
import io.github.odooupgrade.secrets.SecretForms;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A whole run — with cuts, retries, progress lines and a rejection — logged at DEBUG and captured:
 * neither the request key, nor the contract number, nor the private key appears anywhere.
 */
class NoSecretsInLogsTest {
    @TempDir
    Path data;
    @TempDir
    Path files;

    @Test
    void noSecretReachesTheLogsOrTheExceptions() throws Exception {
        String contract = "M777777-topsecret";
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Level level = root.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        List<String> texts = new ArrayList<>();
        String key;
        SshKeyPair sshKey = SshKeyPair.generateEd25519("request");
        try (SandboxFixture platform = SandboxFixture.start(data, "--contracts", contract)) {
            UpgradeClient client = new UpgradeClient(UpgradeClientConfig.of(platform.sandbox.apiUrl())
                    .withRetries(3, Duration.ofMillis(5), Duration.ofMillis(10)));
            Path dump = Dumps.sqlHeadedRandom(files.resolve("db.sql"), 3_000_000, 9);

            texts.add(String.valueOf(catchThrowable(() -> client.create(new CreateParams("M777777-wrong", "a@b.co", "9.0", "test", "x")))));
            RequestStatus created = client.create(new CreateParams(contract, "a@b.co", "13.0", "test", "db.sql"));
            key = created.key();
            RequestRef ref = created.ref();
            platform.sandbox.faults().cutTransfers(1_000_000, 1);
            client.upload(ref, FileRequestBody.of(Path.of(dump.toString()), ProgressLog.toLog("upload of db.sql")));
            SftpAccess access = client.requestSftpAccess(ref, sshKey.publicKey());
            platform.sandbox.faults().cutTransfers(1_000_000, 1);
            SftpTransfer sftp = new SftpTransfer(HostKeyPolicy.knownHosts(data.resolve("ssh/known_hosts")), Duration.ofSeconds(5), 3,
                    Duration.ofMillis(5), Duration.ofMillis(10));
            sftp.upload(access, sshKey, dump, new ProgressLog("sftp upload", Duration.ZERO, LoggerFactory.getLogger("progress")::info));
            platform.sandbox.faults().failNextCalls(1);
            client.skipTest(ref);
            client.process(ref);
            RequestStatus status = Requests.awaitEnd(client, ref);
            texts.add(status.toString());
            String upgradedUrl = status.upgradedDumpUrl();
            platform.sandbox.faults().cutTransfers(500_000, 1);
            new HttpDownload(client.httpClient(), 3, Duration.ofMillis(5), Duration.ofMillis(10))
                    .download(upgradedUrl, files.resolve("up.sql"), ProgressLog.toLog("download"));
            texts.add(String.valueOf(catchThrowable(() -> new HttpDownload(client.httpClient(), 1, Duration.ofMillis(5), Duration.ofMillis(5))
                    .download(upgradedUrl.replace("archive", "nothing"), files.resolve("x"), (d, t) -> {}))));
            String wrongKey = "WRONG" + key;
            texts.add(String.valueOf(catchThrowable(() -> client.status(new RequestRef(ref.id(), wrongKey)))));
        } finally {
            root.detachAppender(captured);
            root.setLevel(level);
        }

        for (ILoggingEvent event : captured.list) {
            texts.add(event.getFormattedMessage());
            texts.add(String.valueOf(event.getMDCPropertyMap()));
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                texts.add(t.getMessage());
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                    texts.add(frame.getSTEAsString());
                }
            }
        }
        Set<String> forms = new LinkedHashSet<>();
        forms.addAll(SecretForms.of(key));
        forms.addAll(SecretForms.of(contract));
        forms.addAll(SecretForms.of("M777777-wrong"));
        forms.addAll(SecretForms.ofPrivateKey(sshKey.privateKey()));
        assertThat(captured.list).as("the run was logged").hasSizeGreaterThan(10);
        assertThat(texts).anyMatch(t -> t != null && t.contains("trying again"));
        assertThat(texts).anyMatch(t -> t != null && t.contains("resuming"));
        assertThat(SecretForms.foundIn(texts, forms)).as("a secret in any form (raw, URL-encoded, base64, a PEM line)").isNull();
        assertThat(texts).as("URLs with the key were logged, redacted").anyMatch(t -> t != null && t.contains("/***/"));
    }
}
