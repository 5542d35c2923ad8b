package io.meridian.observability.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiverSecretCipherTest {

    private static final String SECRET = "https://hooks.example.com/T000/B000/XXXXSECRETTOKEN";

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        return key;
    }

    private static ReceiverSecretCipher cipher(String active, Map<String, byte[]> keys) {
        return new ReceiverSecretCipher(active, keys, new SecureRandom());
    }

    @Test
    void aSealedSecretOpensOnlyForItsReceiverAndNeverShowsThePlaintext() {
        var cipher = cipher("k1", Map.of("k1", key(1)));
        String sealed = cipher.seal(SECRET, "ops-webhook");

        assertThat(sealed).startsWith("v1:k1:").doesNotContain("SECRETTOKEN").doesNotContain("hooks.example.com");
        assertThat(cipher.open(sealed, "ops-webhook")).isEqualTo(SECRET);
        // Copied onto another receiver's row, it does not decrypt.
        assertThatThrownBy(() -> cipher.open(sealed, "other"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failed authentication")
                .hasMessageNotContaining(sealed);
    }

    @Test
    void eachSealUsesAFreshNonce() {
        var cipher = cipher("k1", Map.of("k1", key(1)));
        assertThat(cipher.seal(SECRET, "r")).isNotEqualTo(cipher.seal(SECRET, "r"));
    }

    @Test
    void anOlderKeyStillOpensWhatItSealedAfterTheActiveKeyChanged() {
        String sealed = cipher("k1", Map.of("k1", key(1))).seal(SECRET, "r");
        var rotated = cipher("k2", Map.of("k1", key(1), "k2", key(2)));

        assertThat(rotated.open(sealed, "r")).isEqualTo(SECRET);
        assertThat(rotated.seal(SECRET, "r")).startsWith("v1:k2:");
        assertThatThrownBy(() -> cipher("k2", Map.of("k2", key(2))).open(sealed, "r"))
                .hasMessageContaining("key 'k1', which is not configured")
                .hasMessageContaining(ReceiverSecretCipher.KEYS_PROPERTY);
    }

    @Test
    void aPlaintextStoredByMistakeIsRefusedWithoutBeingQuoted() {
        var cipher = cipher("k1", Map.of("k1", key(1)));
        assertThatThrownBy(() -> cipher.open(SECRET, "r"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("SECRETTOKEN");
    }

    @Test
    void configurationNamesWhatIsWrongWithoutQuotingTheKey() {
        String b64 = Base64.getEncoder().encodeToString("short-key".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ReceiverSecretCipher.parse("k1", Map.of("k1", b64)))
                .hasMessageContaining("must be 32 bytes");
        assertThatThrownBy(() -> ReceiverSecretCipher.parse("k1", Map.of("k1", "not base64 !!")))
                .hasMessage("receiver secret key 'k1' is not valid base64");
        assertThatThrownBy(() -> ReceiverSecretCipher.parse(
                        "k9", Map.of("k1", Base64.getEncoder().encodeToString(key(1)))))
                .hasMessageContaining("active receiver secret key 'k9' is not configured");
        assertThatThrownBy(() -> ReceiverSecretCipher.parse("k1", Map.of())).hasMessageContaining("no receiver");
    }
}
