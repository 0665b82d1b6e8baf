package io.github.odooupgrade.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets that must travel in process variables (the request key, the contract number, the
 * SFTP private key) so that Operate, exporters and the engine's log only ever see ciphertext.
 * AES-256-GCM with a key from configuration; a sealed value reads {@code sealed:v1:<base64(iv|ct)>}.
 * Whoever holds the key (the workers) can unseal; the engine cannot.
 */
public final class Sealer {
    private static final String PREFIX = "sealed:v1:";
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private Sealer(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The key as {@code openssl rand -base64 32} prints it. */
    public static Sealer fromBase64Key(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            throw new IllegalArgumentException("no seal key configured: set upgrade.seal-key (environment: UPGRADE_SEALKEY) to the output of `openssl rand -base64 32`");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("upgrade.seal-key is not base64: generate one with `openssl rand -base64 32`");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("upgrade.seal-key must be 32 bytes (base64 of 32 random bytes), got " + raw.length
                    + ": generate one with `openssl rand -base64 32`");
        }
        return new Sealer(raw);
    }

    public static String newBase64Key() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    public String seal(String secret) {
        if (secret == null) {
            return null;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] ct = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    public String unseal(String sealed) {
        if (sealed == null) {
            return null;
        }
        if (!sealed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a sealed value");
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, IV_BYTES));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // never echo the value: it is a secret, even sealed
            throw new IllegalStateException("a sealed variable cannot be opened with this worker's upgrade.seal-key "
                    + "(was it sealed by workers with another key?)");
        }
    }
}
