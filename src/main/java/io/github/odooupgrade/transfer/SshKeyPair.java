package io.github.odooupgrade.transfer;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A key pair for one request's SFTP account: its public half is what request_sftp_access gets;
 * the private half (OpenSSH format) never prints.
 */
public record SshKeyPair(byte[] privateKey, String publicKey) {

    /** A new ed25519 key pair; the comment ends the public key line (e.g. "odoo-upgrade request 12"). */
    public static SshKeyPair generateEd25519(String comment) {
        try {
            KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.ED25519);
            ByteArrayOutputStream privateOut = new ByteArrayOutputStream();
            pair.writeOpenSSHv1PrivateKey(privateOut, null);
            ByteArrayOutputStream publicOut = new ByteArrayOutputStream();
            pair.writePublicKey(publicOut, comment);
            pair.dispose();
            return new SshKeyPair(privateOut.toByteArray(), publicOut.toString(StandardCharsets.UTF_8).trim());
        } catch (JSchException e) {
            throw new IllegalStateException("cannot generate an ed25519 key pair: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SshKeyPair[publicKey=" + publicKey + ", privateKey=***]";
    }
}
