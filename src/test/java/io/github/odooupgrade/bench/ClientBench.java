package io.github.odooupgrade.bench;

import com.sun.management.OperatingSystemMXBean;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Driver of bench/client-transfers.sh: one transfer through the project's client. The script
 * times this whole process, as it times curl and sftp; this prints, for the record, the seconds of
 * the transfer alone (without the JVM's start), the CPU seconds the process spent on it (all its threads:
 * JIT and GC included) and the process's peak RSS: "seconds cpuSeconds peakRssMiB", on standard output
 * or into the file named by the system property {@code bench.out}.
 * Not a test: run by the script in its own small-heap JVM.
 *
 * <pre>
 * http-upload   API_URL REQUEST_ID KEY FILE   (a request the script created, as for curl)
 * http-download URL TARGET
 * jdk-upload    UPLOAD_URL FILE   (the JDK's own socket, TLS for https: no HTTP library; what the JVM alone reaches)
 * jdk-download  URL TARGET        (the same: no HTTP library, no hash)
 * tls-info      URL   (not timed: the protocol and cipher suite the client agrees with the server on)
 * sftp-upload   HOST PORT USER PRIVATE_KEY_FILE KNOWN_HOSTS REMOTE_NAME FILE
 * sftp-download HOST PORT USER PRIVATE_KEY_FILE KNOWN_HOSTS REMOTE_NAME TARGET   (reads upgraded_REMOTE_NAME)
 * </pre>
 * Over HTTPS the client trusts only the PEM file named by the system property {@code bench.trust}, as
 * {@code curl --cacert} does; without it, the JDK's trust store.
 *
 * <p>With {@code -Dbench.warm=true} (HTTP modes) the transfer is made once untimed — an upload into the
 * request or URL of {@code bench.warmup} ("ID KEY" for http-upload, a URL for jdk-upload), a download to
 * TARGET.warmup — what it wrote is deleted (for an upload, the server's file named by {@code bench.warmupFile}),
 * the disk's dirty pages are written out ({@code sync}), as the script does before every timed transfer, and the
 * time printed is a second transfer's, with a new client, a new connection and a new TLS handshake: a transfer
 * in a JVM that has run before, as in the workers, which live for days. (A warm-up's GiB left on the server
 * made the next upload pay for fresh memory in its page cache: on this machine, twice the server's CPU.)
 */
public final class ClientBench {
    private static final int BLOCK = 1 << 20;

    public static void main(String[] args) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long start = System.nanoTime();
        long cpuStart = os.getProcessCpuTime();
        if (Boolean.getBoolean("bench.warm")) {
            warmUp(args);
            new ProcessBuilder("sync").inheritIO().start().waitFor();
            start = System.nanoTime();
            cpuStart = os.getProcessCpuTime();
        }
        transfer(args);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .map(l -> l.replaceAll("\\D", "")).findFirst().orElse("0");
        String figures = String.format(Locale.ROOT, "%.3f %.3f %.0f%n", seconds, cpu, Long.parseLong(hwm) / 1024.0);
        String out = System.getProperty("bench.out"); // the script times this process with its output sent away
        if (out == null) {
            System.out.print(figures);
        } else {
            Files.writeString(Path.of(out), figures);
        }
        System.exit(0);
    }

    /** The same transfer once, elsewhere: into the warm-up request, or to a file deleted at once. */
    private static void warmUp(String[] args) throws Exception {
        String[] warm = args.clone();
        String other = System.getProperty("bench.warmup", "");
        switch (args[0]) {
            case "http-upload" -> {
                String[] idKey = other.split(" ");
                warm[2] = idKey[0];
                warm[3] = idKey[1];
            }
            case "jdk-upload" -> warm[1] = other;
            case "http-download", "jdk-download" -> warm[2] = args[2] + ".warmup";
            default -> throw new IllegalArgumentException("bench.warm is for the HTTP modes (an SFTP upload done once resumes as complete)");
        }
        transfer(warm);
        String written = args[0].endsWith("-download") ? warm[2] : System.getProperty("bench.warmupFile");
        if (written != null) {
            Files.delete(Path.of(written));
        }
    }

    private static void transfer(String[] args) throws Exception {
        switch (args[0]) {
            case "http-upload" -> new UpgradeClient(config(args[1]))
                    .upload(new RequestRef(Long.parseLong(args[2]), args[3]), FileRequestBody.of(Path.of(args[4]), TransferProgress.NONE));
            case "http-download" -> {
                UpgradeClient client = new UpgradeClient(config("http://unused"));
                Downloaded d = new HttpDownload(client.httpClient(), 1, Duration.ofSeconds(1), Duration.ofSeconds(2))
                        .download(args[1], Path.of(args[2]), TransferProgress.NONE);
                System.err.println("sha256 " + d.sha256());
            }
            case "jdk-upload" -> jdkUpload(URI.create(args[1]), Path.of(args[2]));
            case "jdk-download" -> jdkDownload(URI.create(args[1]), Path.of(args[2]));
            case "tls-info" -> {
                UpgradeClient client = new UpgradeClient(config("https://unused"));
                try (Response r = client.httpClient().newCall(new Request.Builder().url(args[1]).head().build()).execute()) {
                    System.out.println(r.handshake().tlsVersion().javaName() + " " + r.handshake().cipherSuite().javaName());
                }
                System.exit(0);
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
    }

    private static UpgradeClientConfig config(String baseUrl) {
        String trust = System.getProperty("bench.trust");
        return UpgradeClientConfig.of(baseUrl).withTrustedCertificate(trust == null ? null : Path.of(trust));
    }

    /** A socket to the URL's server: over TLS, with the client's own trust (bench.trust) and the JDK's TLS. */
    private static Socket connect(URI url) throws IOException {
        int port = url.getPort();
        if (!"https".equals(url.getScheme())) {
            return new Socket(url.getHost(), port < 0 ? 80 : port);
        }
        return new UpgradeClient(config("https://unused")).httpClient().sslSocketFactory().createSocket(url.getHost(), port < 0 ? 443 : port);
    }

    /** POSTs the file with HTTP/1.1 written by hand, a MiB at a time, and reads the status line. */
    private static void jdkUpload(URI url, Path file) throws IOException {
        try (Socket s = connect(url); FileChannel in = FileChannel.open(file)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST " + url.getRawPath() + "?" + url.getRawQuery() + " HTTP/1.1\r\nHost: " + url.getHost()
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + in.size() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[BLOCK];
            int n;
            while ((n = in.read(ByteBuffer.wrap(block))) > 0) {
                out.write(block, 0, n);
            }
            out.flush();
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            if (!status.endsWith("200")) {
                throw new IOException("upload answered " + status);
            }
        }
    }

    /** GETs the URL with HTTP/1.1 written by hand and writes the body to the file a MiB at a time, unhashed. */
    private static void jdkDownload(URI url, Path target) throws IOException {
        try (Socket s = connect(url); FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            s.getOutputStream().write(("GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            for (int ends = 0; ends < 4; ) { // the headers end with CR LF CR LF
                int c = in.read();
                if (c < 0) {
                    throw new IOException("the server closed before its headers ended");
                }
                ends = c == '\r' || c == '\n' ? ends + 1 : 0;
            }
            byte[] block = new byte[BLOCK];
            int n;
            while ((n = in.readNBytes(block, 0, BLOCK)) > 0) {
                out.write(ByteBuffer.wrap(block, 0, n));
            }
        }
    }
}
