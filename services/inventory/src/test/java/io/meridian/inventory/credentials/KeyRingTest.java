package io.meridian.inventory.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyRingTest {

    private static final String K1 = Base64.getEncoder().encodeToString(CredentialCipherTest.key(1));
    private static final String K2 = Base64.getEncoder().encodeToString(CredentialCipherTest.key(2));

    @Test
    void parsesBase64KeysFromConfiguration() {
        KeyRing ring = KeyRing.parse("k2", Map.of("k1", K1, "k2", " " + K2 + "\n"));

        assertThat(ring.activeKeyId()).isEqualTo("k2");
        assertThat(ring.keys()).containsOnlyKeys("k1", "k2");
        assertThat(ring.keys().get("k1").getEncoded()).isEqualTo(CredentialCipherTest.key(1));
    }

    @Test
    void aShortKeyIsRejectedNamingTheKey() {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> KeyRing.parse("k1", Map.of("k1", K1, "old", short16)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("credential key 'old' must be 32 bytes (256 bits) once base64-decoded, but is 16 bytes");
    }

    @Test
    void invalidBase64IsRejectedWithoutQuotingTheKey() {
        String broken = K1.substring(0, 20) + "!*" + K1.substring(22);

        assertThatThrownBy(() -> KeyRing.parse("k1", Map.of("k1", broken)))
                .hasMessage("credential key 'k1' is not valid base64")
                .hasNoCause();
    }

    @Test
    void theActiveKeyMustBeConfigured() {
        assertThatThrownBy(() -> KeyRing.parse("k3", Map.of("k1", K1, "k2", K2)))
                .hasMessage("active credential key 'k3' is not configured; add it to "
                        + "meridian.inventory.credentials.keys (configured: [k1, k2])");
    }

    @Test
    void keyIdsThatWouldBreakTheStoredFormAreRejected() {
        assertThatThrownBy(() -> KeyRing.parse("a:b", Map.of("a:b", K1)))
                .hasMessageContaining("credential key id 'a:b' is invalid");
        assertThatThrownBy(() -> KeyRing.parse("", Map.of("", K1))).hasMessageContaining("is invalid");
    }

    @Test
    void anEmptyRingIsRejected() {
        assertThatThrownBy(() -> KeyRing.parse("k1", Map.of()))
                .hasMessage("no credential keys configured; set meridian.inventory.credentials.keys");
        assertThatThrownBy(() -> KeyRing.parse("k1", Map.of("k1", " "))).hasMessage("credential key 'k1' is empty");
    }

    @Test
    void theRingCannotBeChangedAfterTheFact() {
        KeyRing ring = KeyRing.parse("k1", Map.of("k1", K1));

        assertThatThrownBy(() -> ring.keys().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringListsIdsOnly() {
        assertThat(KeyRing.parse("k1", Map.of("k1", K1)).toString())
                .doesNotContain(K1)
                .isEqualTo("KeyRing[activeKeyId=k1, keyIds=[k1]]");
    }
}
