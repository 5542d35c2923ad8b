package io.meridian.inventory.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncryptedSecretTest {

    private static final String NONCE_B64 = "AAECAwQFBgcICQoL"; // 12 bytes
    private static final String TAG_B64 = "AAECAwQFBgcICQoLDA0ODw=="; // 16 bytes

    @Test
    void storageFormRoundTripsAndStillDecrypts() {
        var cipher = new CredentialCipher(
                KeyRing.ofRaw("2025-01", Map.of("2025-01", CredentialCipherTest.key(1))), new SecureRandom());
        EncryptedSecret secret = cipher.encrypt("token".getBytes(StandardCharsets.UTF_8), "cluster-a");

        String stored = secret.toStorage();
        EncryptedSecret read = EncryptedSecret.fromStorage(stored);

        assertThat(stored).startsWith("v1:2025-01:").matches("v1:2025-01:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]+");
        assertThat(read).isEqualTo(secret).hasSameHashCodeAs(secret);
        assertThat(cipher.decrypt(read, "cluster-a"))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("token");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "three fields        | v1:k1:AAECAwQFBgcICQoL                                | must have the form v1:<keyId>:<nonce>:<ciphertext>, but has 3",
                "five fields         | v1:k1:AAECAwQFBgcICQoL:AAECAwQFBgcICQoLDA0ODw==:x     | but has 5",
                "future version      | v2:k1:AAECAwQFBgcICQoL:AAECAwQFBgcICQoLDA0ODw==       | has 'v2'; this version of Meridian reads only 'v1'",
                "plaintext by error  | eyJhbGciOiJSUzI1NiJ9:a:b:c                            | has an unknown format; this version",
                "bad key id          | v1:k 1:AAECAwQFBgcICQoL:AAECAwQFBgcICQoLDA0ODw==      | credential key id 'k 1' is invalid",
                "empty key id        | v1::AAECAwQFBgcICQoL:AAECAwQFBgcICQoLDA0ODw==         | credential key id '' is invalid",
                "nonce not base64    | v1:k1:AAEC*wQFBgcICQoL:AAECAwQFBgcICQoLDA0ODw==       | nonce is not valid base64",
                "ciphertext not b64  | v1:k1:AAECAwQFBgcICQoL:AA%CAwQFBgcICQoLDA0ODw==       | ciphertext is not valid base64",
                "short nonce         | v1:k1:AAECAwQFBgc=:AAECAwQFBgcICQoLDA0ODw==           | nonce must be 12 bytes, but is 8 bytes",
                "no tag              | v1:k1:AAECAwQFBgcICQoL:AAECAwQF                       | must be at least 16 bytes (the authentication tag), but is 6 bytes",
            })
    void malformedStorageStringsAreRejectedWithAReason(String description, String stored, String message) {
        assertThatThrownBy(() -> EncryptedSecret.fromStorage(stored))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void emptyStorageStringIsRejected() {
        assertThatThrownBy(() -> EncryptedSecret.fromStorage("")).hasMessage("stored credential is empty");
        assertThatThrownBy(() -> EncryptedSecret.fromStorage(null)).hasMessage("stored credential is empty");
    }

    @Test
    void plaintextStoredByMistakeIsNotEchoedInTheError() {
        assertThatThrownBy(() -> EncryptedSecret.fromStorage("hunter2-secret-token:x:y:z"))
                .message()
                .doesNotContain("hunter2");
    }

    @Test
    void theRecordCannotBeChangedThroughItsArrays() {
        EncryptedSecret secret = EncryptedSecret.fromStorage("v1:k1:" + NONCE_B64 + ":" + TAG_B64);
        secret.nonce()[0] = 9;
        secret.ciphertext()[0] = 9;

        assertThat(secret.toStorage()).isEqualTo("v1:k1:" + NONCE_B64 + ":" + TAG_B64);
    }
}
