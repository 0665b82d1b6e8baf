package io.github.odooupgrade.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.tls.Certificates;
import okhttp3.tls.HandshakeCertificates;

/** A PEM file of certificates (a server's own, or a CA) as the only ones a client trusts. */
final class TrustedCertificate {
    private static final Pattern PEM = Pattern.compile("-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", Pattern.DOTALL);

    private TrustedCertificate() {}

    static HandshakeCertificates handshake(Path pem) {
        String text;
        try {
            text = Files.readString(pem);
        } catch (IOException e) {
            throw new UncheckedIOException("the trusted certificate " + pem + " cannot be read: " + e.getMessage(), e);
        }
        HandshakeCertificates.Builder trust = new HandshakeCertificates.Builder();
        Matcher m = PEM.matcher(text);
        int found = 0;
        while (m.find()) {
            trust.addTrustedCertificate(Certificates.decodeCertificatePem(m.group()));
            found++;
        }
        if (found == 0) {
            throw new IllegalArgumentException(pem + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return trust.build();
    }
}
