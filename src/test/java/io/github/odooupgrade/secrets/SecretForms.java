package io.github.odooupgrade.secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The forms a secret can take in text that leaks it: as written, URL-encoded (a key ending in
 * {@code ==} appears as {@code %3D%3D} in a URL), base64 of it; and, for a PEM private key, each
 * line of its body. A test that says "no secret here" searches for all of them.
 */
public final class SecretForms {
    private SecretForms() {}

    public static Set<String> of(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
        forms.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        return forms;
    }

    /** The body lines of a PEM private key (long enough to mean something), and the whole key's forms. */
    public static Set<String> ofPrivateKey(byte[] pem) {
        String text = new String(pem, StandardCharsets.UTF_8);
        Set<String> forms = new LinkedHashSet<>(of(text.strip()));
        text.lines().filter(l -> !l.startsWith("-----") && l.length() >= 16).forEach(forms::add);
        forms.add(Base64.getEncoder().encodeToString(pem));
        return forms;
    }

    /** The first form of any secret that one of the texts holds, or null when none does. */
    public static String foundIn(List<String> texts, Set<String> forms) {
        for (String text : texts) {
            if (text == null) {
                continue;
            }
            for (String form : forms) {
                if (text.contains(form)) {
                    return form;
                }
            }
        }
        return null;
    }
}
