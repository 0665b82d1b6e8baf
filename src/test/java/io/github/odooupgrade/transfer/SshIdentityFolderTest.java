package io.github.odooupgrade.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** The private key a transfer writes for ssh: readable by this user only, gone when the transfer ends, or after a kill. */
class SshIdentityFolderTest {
    private static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));

    @Test
    void theKeyIsThisUsersOnlyAndGoesWithTheTransfer() throws Exception {
        Path dir;
        try (SshIdentityFolder identity = new SshIdentityFolder("a private key".getBytes(), "[127.0.0.1]:2222 ssh-ed25519 AAAA\n")) {
            dir = identity.dir;
            assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.getPosixFilePermissions(identity.key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(identity.key).hasContent("a private key");
            assertThat(identity.knownHosts).hasContent("[127.0.0.1]:2222 ssh-ed25519 AAAA");
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void aKilledProcesssKeyIsDeletedByTheNextTransferAndALiveOnesIsNot() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path killedRuns = Files.createDirectory(TEMP.resolve("odoo-upgrade-rsync-" + gone.pid() + "-test" + System.nanoTime()));
        Files.writeString(killedRuns.resolve("key"), "left behind by a SIGKILL");
        Path livingRuns = Files.createDirectory(TEMP.resolve("odoo-upgrade-rsync-" + ProcessHandle.current().pid() + "-test" + System.nanoTime()));
        try {
            new SshIdentityFolder(new byte[] {1}, "").close();

            assertThat(killedRuns).doesNotExist();
            assertThat(livingRuns).exists();
        } finally {
            Files.deleteIfExists(killedRuns.resolve("key"));
            Files.deleteIfExists(killedRuns);
            Files.deleteIfExists(livingRuns);
        }
    }
}
