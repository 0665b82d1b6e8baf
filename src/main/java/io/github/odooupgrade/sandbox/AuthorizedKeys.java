package io.github.odooupgrade.sandbox;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/** The {@code ssh_keys} parameter: an authorized_keys file's content (keys, blank lines, # comments). */
public final class AuthorizedKeys {
    private AuthorizedKeys() {}

    /** Every key in the content; a line that is not a key is a failure naming the line. */
    public static List<PublicKey> parse(String content) {
        List<PublicKey> keys = new ArrayList<>();
        String[] lines = content.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line);
                PublicKey key = entry == null ? null : entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
                if (key == null) {
                    throw new IllegalArgumentException("unsupported key type");
                }
                keys.add(key);
            } catch (Exception e) {
                throw new FailureException(new Failure("SSH_KEYS:INVALID",
                        "Line " + (i + 1) + " of ssh_keys is not an SSH public key (" + e.getMessage()
                                + "); give the content of an authorized_keys file: public keys, blank lines, # comments",
                        null, Integer.toString(i + 1), null));
            }
        }
        if (keys.isEmpty()) {
            throw new FailureException(Failure.of("SSH_KEYS:MISSING", "ssh_keys holds no public key"));
        }
        return keys;
    }

    /** Whether {@code offered} is one of the keys in {@code content}. */
    public static boolean contains(String content, PublicKey offered) {
        if (content == null) {
            return false;
        }
        try {
            return parse(content).stream().anyMatch(k -> KeyUtils.compareKeys(k, offered));
        } catch (FailureException e) {
            return false;
        }
    }
}
