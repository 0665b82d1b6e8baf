package io.github.odooupgrade.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SealerTest {
    final Sealer sealer = Sealer.fromBase64Key(Sealer.newBase64Key());

    @Test
    void aSealedSecretOpensWithTheSameKeyOnly() {
        String sealed = sealer.seal("Aw7pSECRETkey==");

        assertThat(sealed).startsWith("sealed:v1:").doesNotContain("Aw7pSECRETkey");
        assertThat(sealer.unseal(sealed)).isEqualTo("Aw7pSECRETkey==");
        assertThat(sealer.seal("Aw7pSECRETkey==")).as("a fresh IV each time").isNotEqualTo(sealed);
        assertThatThrownBy(() -> Sealer.fromBase64Key(Sealer.newBase64Key()).unseal(sealed))
                .hasMessageContaining("cannot be opened with this worker's upgrade.seal-key")
                .hasMessageNotContaining("Aw7p");
    }

    @Test
    void aTamperedValueIsRefused() {
        String sealed = sealer.seal("M123456-abcdef");
        char last = sealed.charAt(sealed.length() - 3);
        String tampered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A') + sealed.substring(sealed.length() - 2);

        assertThatThrownBy(() -> sealer.unseal(tampered)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMissingOrBadKeyIsOneLineThatSaysWhatToDo() {
        assertThatThrownBy(() -> Sealer.fromBase64Key(null)).hasMessageContaining("openssl rand -base64 32").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> Sealer.fromBase64Key("c2hvcnQ=")).hasMessageContaining("must be 32 bytes");
        assertThatThrownBy(() -> Sealer.fromBase64Key("not base64!")).hasMessageContaining("is not base64");
    }
}
