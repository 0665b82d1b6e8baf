package io.github.odooupgrade.transfer;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * How the SFTP server's host key is verified; there is no way to skip verification. Either the
 * key is in an OpenSSH known_hosts file, or its SHA-256 fingerprint is pinned
 * ({@code SHA256:…} as {@code ssh-keygen -lf} prints it), or — only when asked for explicitly —
 * an unknown host is trusted on first use and remembered, while a changed key is still refused.
 */
public sealed interface HostKeyPolicy {

    void apply(JSch jsch) throws JSchException;

    static HostKeyPolicy knownHosts(Path file) {
        return new KnownHosts(file, false);
    }

    /** Trust on first use: an unknown host is added to {@code file}; a changed key is refused. */
    static HostKeyPolicy acceptNew(Path file) {
        return new KnownHosts(file, true);
    }

    static HostKeyPolicy pinned(String sha256Fingerprint) {
        if (sha256Fingerprint == null || !sha256Fingerprint.startsWith("SHA256:")) {
            throw new IllegalArgumentException("a pinned host key is a SHA256:… fingerprint (ssh-keygen -lf), got: " + sha256Fingerprint);
        }
        return new Pinned(sha256Fingerprint);
    }

    /** OpenSSH's fingerprint of a host key blob: "SHA256:" + unpadded base64 of its SHA-256. */
    static String fingerprint(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    record KnownHosts(Path file, boolean acceptNew) implements HostKeyPolicy {
        @Override
        public void apply(JSch jsch) throws JSchException {
            if (!acceptNew && !Files.isReadable(file)) {
                throw new JSchException("known_hosts file " + file + " cannot be read");
            }
            if (Files.exists(file)) {
                jsch.setKnownHosts(file.toString());
            }
            if (acceptNew) {
                HostKeyRepository known = jsch.getHostKeyRepository();
                jsch.setHostKeyRepository(new TrustOnFirstUse(known, jsch, file));
            }
        }
    }

    record Pinned(String fingerprint) implements HostKeyPolicy {
        @Override
        public void apply(JSch jsch) {
            jsch.setHostKeyRepository(new PinnedRepository(fingerprint));
        }
    }

    /** Unknown: remember and accept. Known with another key: CHANGED, which JSch refuses. */
    final class TrustOnFirstUse implements HostKeyRepository {
        private final HostKeyRepository known;
        private final JSch jsch;
        private final Path file;

        TrustOnFirstUse(HostKeyRepository known, JSch jsch, Path file) {
            this.known = known;
            this.jsch = jsch;
            this.file = file;
        }

        @Override
        public int check(String host, byte[] key) {
            int result = known.check(host, key);
            if (result != NOT_INCLUDED) {
                return result;
            }
            try {
                known.add(new HostKey(host, key), null);
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (var out = Files.newOutputStream(file)) {
                    for (HostKey h : known.getHostKey()) {
                        out.write((h.getHost() + " " + h.getType() + " " + h.getKey() + "\n").getBytes());
                    }
                }
                return OK;
            } catch (Exception e) {
                return NOT_INCLUDED;
            }
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
            known.add(hostkey, ui);
        }

        @Override
        public void remove(String host, String type) {
            known.remove(host, type);
        }

        @Override
        public void remove(String host, String type, byte[] key) {
            known.remove(host, type, key);
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return known.getKnownHostsRepositoryID();
        }

        @Override
        public HostKey[] getHostKey() {
            return known.getHostKey();
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return known.getHostKey(host, type);
        }
    }

    /** Accepts exactly the key whose fingerprint is pinned, for any host name. */
    final class PinnedRepository implements HostKeyRepository {
        private final String fingerprint;

        PinnedRepository(String fingerprint) {
            this.fingerprint = fingerprint;
        }

        @Override
        public int check(String host, byte[] key) {
            return MessageDigest.isEqual(fingerprint(key).getBytes(), fingerprint.getBytes()) ? OK : CHANGED;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
            // pinned: nothing is ever added
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return "pinned " + fingerprint;
        }

        @Override
        public HostKey[] getHostKey() {
            return new HostKey[0];
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return new HostKey[0];
        }
    }
}
