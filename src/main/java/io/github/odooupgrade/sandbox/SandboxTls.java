package io.github.odooupgrade.sandbox;

import io.github.odooupgrade.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * The sandbox's own TLS certificate: made at first start (ECDSA P-256, self-signed, valid two years,
 * naming the bind address, localhost, 127.0.0.1 and the public host) and kept in {@code <data-dir>/tls} ({@link #certificateIn})
 * — {@code certificate.pem} for clients to trust, {@code private-key.pem} readable by its owner only —
 * so a restarted sandbox serves the same one.
 */
public final class SandboxTls {
    private static final String CERTIFICATE = "certificate.pem";
    private static final String PRIVATE_KEY = "private-key.pem";

    private final HeldCertificate held;
    private final Path certificateFile;

    private SandboxTls(HeldCertificate held, Path certificateFile) {
        this.held = held;
        this.certificateFile = certificateFile;
    }

    /** Where a sandbox with data in {@code dataDir} keeps the certificate its clients trust. */
    public static Path certificateIn(Path dataDir) {
        return dataDir.resolve("tls").resolve(CERTIFICATE);
    }

    static SandboxTls loadOrCreate(Path dataDir, List<String> hostNames) throws IOException {
        Path cert = certificateIn(dataDir);
        Path folder = cert.getParent();
        Path key = folder.resolve(PRIVATE_KEY);
        if (Files.exists(cert) && Files.exists(key)) {
            return new SandboxTls(HeldCertificate.decode(Files.readString(cert) + Files.readString(key)), cert);
        }
        Files.createDirectories(folder);
        HeldCertificate.Builder builder = new HeldCertificate.Builder().ecdsa256().commonName("odoo-upgrade sandbox")
                .duration(730, TimeUnit.DAYS);
        Set<String> names = new LinkedHashSet<>(hostNames);
        names.add("localhost");
        names.add("127.0.0.1");
        names.forEach(builder::addSubjectAlternativeName);
        HeldCertificate held = builder.build();
        AtomicFile.write(key, held.privateKeyPkcs8Pem().getBytes(StandardCharsets.US_ASCII), true);
        AtomicFile.write(cert, held.certificatePem().getBytes(StandardCharsets.US_ASCII), false);
        return new SandboxTls(held, cert);
    }


    SSLContext sslContext() {
        return new HandshakeCertificates.Builder().heldCertificate(held).build().sslContext();
    }

    public Path certificateFile() {
        return certificateFile;
    }

    /** The certificate's SHA-256 fingerprint, as {@code SHA256:<base64>}. */
    public String fingerprint() {
        try {
            byte[] der = held.certificate().getEncoded();
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
