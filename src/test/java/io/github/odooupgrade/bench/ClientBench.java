package io.github.odooupgrade.bench;

import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.SftpAccess;
import io.github.odooupgrade.api.UpgradeClient;
import io.github.odooupgrade.api.UpgradeClientConfig;
import io.github.odooupgrade.transfer.Downloaded;
import io.github.odooupgrade.transfer.FileRequestBody;
import io.github.odooupgrade.transfer.HostKeyPolicy;
import io.github.odooupgrade.transfer.HttpDownload;
import io.github.odooupgrade.transfer.SftpTransfer;
import io.github.odooupgrade.transfer.SshKeyPair;
import io.github.odooupgrade.transfer.TransferProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Driver of bench/client-transfers.sh: one transfer through the project's client. The script
 * times this whole process, as it times curl and sftp; this prints, for the record, the seconds of
 * the transfer alone (without the JVM's start) and the process's peak RSS: "seconds peakRssMiB".
 * Not a test: run by the script in its own small-heap JVM.
 *
 * <pre>
 * http-upload   API_URL REQUEST_ID KEY FILE   (a request the script created, as for curl)
 * http-download URL TARGET
 * sftp-upload   HOST PORT USER PRIVATE_KEY_FILE KNOWN_HOSTS REMOTE_NAME FILE
 * sftp-download HOST PORT USER PRIVATE_KEY_FILE KNOWN_HOSTS REMOTE_NAME TARGET   (reads upgraded_REMOTE_NAME)
 * </pre>
 */
public final class ClientBench {
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        switch (args[0]) {
            case "http-upload" -> new UpgradeClient(UpgradeClientConfig.of(args[1]))
                    .upload(new RequestRef(Long.parseLong(args[2]), args[3]), FileRequestBody.of(Path.of(args[4]), TransferProgress.NONE));
            case "http-download" -> {
                UpgradeClient client = new UpgradeClient(UpgradeClientConfig.of("http://unused"));
                Downloaded d = new HttpDownload(client.httpClient(), 1, Duration.ofSeconds(1), Duration.ofSeconds(2))
                        .download(args[1], Path.of(args[2]), TransferProgress.NONE);
                System.err.println("sha256 " + d.sha256());
            }
            case "sftp-upload", "sftp-download" -> {
                SftpAccess access = new SftpAccess(args[1], Integer.parseInt(args[2]), args[3], args[6], null, null);
                SshKeyPair key = new SshKeyPair(Files.readAllBytes(Path.of(args[4])), Files.readString(Path.of(args[4] + ".pub")).trim());
                SftpTransfer sftp = new SftpTransfer(HostKeyPolicy.knownHosts(Path.of(args[5])), Duration.ofSeconds(10), 1,
                        Duration.ofSeconds(1), Duration.ofSeconds(2));
                if (args[0].equals("sftp-upload")) {
                    sftp.upload(access, key, Path.of(args[7]), TransferProgress.NONE);
                } else {
                    System.err.println("sha256 " + sftp.download(access, key, Path.of(args[7]), TransferProgress.NONE).sha256());
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .map(l -> l.replaceAll("\\D", "")).findFirst().orElse("0");
        System.out.printf(Locale.ROOT, "%.3f %.0f%n", seconds, Long.parseLong(hwm) / 1024.0);
        System.exit(0);
    }
}
