package io.github.odooupgrade.transfer;

import io.github.odooupgrade.files.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder only this user can open, holding what one ssh connection needs — the request's private key and the window's
 * known_hosts — deleted when closed. Its name carries this process's id: a process killed outright cannot delete its
 * folder, and the next one to open a folder deletes those of processes that are gone, so a key does not outlive its run.
 */
final class SshIdentityFolder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SshIdentityFolder.class);
    private static final String PREFIX = "odoo-upgrade-rsync-";
    private static final Pattern OWNER = Pattern.compile("^" + PREFIX + "(\\d+)-");

    final Path dir;
    final Path key;
    final Path knownHosts;

    SshIdentityFolder(byte[] privateKey, String knownHostsLines) throws IOException {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        sweep(temp);
        dir = Files.createTempDirectory(temp, PREFIX + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        key = Files.write(dir.resolve("key"), privateKey);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        knownHosts = Files.writeString(dir.resolve("known_hosts"), knownHostsLines);
    }

    @Override
    public void close() {
        try {
            Folders.delete(dir);
        } catch (UncheckedIOException e) {
            log.warn("the temporary key folder could not be deleted: {}", e.getMessage());
        }
    }

    /** Deletes the folders of processes that are gone (killed before they could). */
    static void sweep(Path temp) {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(temp, PREFIX + "*")) {
            for (Path folder : folders) {
                Matcher m = OWNER.matcher(folder.getFileName().toString());
                if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty() && Files.isWritable(folder)) {
                    Folders.delete(folder);
                    log.info("deleted the key folder {} of a process that is gone", folder.getFileName());
                }
            }
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            log.debug("old key folders not swept: {}", e.getMessage());
        }
    }
}
