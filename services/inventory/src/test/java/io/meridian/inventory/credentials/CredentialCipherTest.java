package io.meridian.inventory.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    private static final byte[] KEY_1 = key(1);
    private static final byte[] KEY_2 = key(2);
    private static final byte[] KUBECONFIG =
            "apiVersion: v1\nkind: Config\nusers: [{name: admin, user: {token: s3cr3t}}]\n"
                    .getBytes(StandardCharsets.UTF_8);

    private final CredentialCipher cipherK1 = cipher(KeyRing.ofRaw("k1", Map.of("k1", KEY_1)));

    @Test
    void decryptsWhatItEncrypted() {
        EncryptedSecret secret = cipherK1.encrypt(KUBECONFIG, "cluster-a");

        assertThat(secret.keyId()).isEqualTo("k1");
        assertThat(secret.nonce()).hasSize(12);
        assertThat(secret.ciphertext()).hasSize(KUBECONFIG.length + 16);
        assertThat(secret.ciphertext()).isNotEqualTo(KUBECONFIG);
        assertThat(cipherK1.decrypt(secret, "cluster-a")).isEqualTo(KUBECONFIG);
    }

    @Test
    void decryptsAnEmptyPlaintext() {
        EncryptedSecret secret = cipherK1.encrypt(new byte[0], "cluster-a");

        assertThat(cipherK1.decrypt(secret, "cluster-a")).isEmpty();
    }

    @Test
    void ciphertextMovedToAnotherClusterDoesNotDecrypt() {
        EncryptedSecret secret = cipherK1.encrypt(KUBECONFIG, "cluster-a");

        assertThatThrownBy(() -> cipherK1.decrypt(secret, "cluster-b"))
                .isInstanceOfSatisfying(CredentialDecryptionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(CredentialDecryptionException.Reason.AUTHENTICATION_FAILED);
                    assertThat(e.keyId()).isEqualTo("k1");
                })
                .hasMessageContaining("key 'k1'")
                .hasMessageContaining("different cluster");
    }

    @Test
    void tamperedCiphertextOrNonceIsRejected() {
        EncryptedSecret secret = cipherK1.encrypt(KUBECONFIG, "cluster-a");
        byte[] ciphertext = secret.ciphertext();
        ciphertext[3] ^= 0x01;
        byte[] nonce = secret.nonce();
        nonce[0] ^= 0x01;

        assertThatThrownBy(() -> cipherK1.decrypt(new EncryptedSecret("k1", secret.nonce(), ciphertext), "cluster-a"))
                .isInstanceOf(CredentialDecryptionException.class)
                .hasMessageContaining("failed authentication");
        assertThatThrownBy(() -> cipherK1.decrypt(new EncryptedSecret("k1", nonce, secret.ciphertext()), "cluster-a"))
                .isInstanceOf(CredentialDecryptionException.class);
    }

    @Test
    void aKeyWithTheSameIdButOtherBytesFailsAuthentication() {
        EncryptedSecret secret = cipherK1.encrypt(KUBECONFIG, "cluster-a");
        var replaced = cipher(KeyRing.ofRaw("k1", Map.of("k1", KEY_2)));

        assertThatThrownBy(() -> replaced.decrypt(secret, "cluster-a"))
                .isInstanceOfSatisfying(
                        CredentialDecryptionException.class,
                        e -> assertThat(e.reason())
                                .isEqualTo(CredentialDecryptionException.Reason.AUTHENTICATION_FAILED));
    }

    @Test
    void unknownKeyIdSaysWhichKeyToConfigure() {
        EncryptedSecret secret = cipherK1.encrypt(KUBECONFIG, "cluster-a");
        var onlyK2 = cipher(KeyRing.ofRaw("k2", Map.of("k2", KEY_2)));

        assertThatThrownBy(() -> onlyK2.decrypt(secret, "cluster-a"))
                .isInstanceOfSatisfying(
                        CredentialDecryptionException.class,
                        e -> assertThat(e.reason()).isEqualTo(CredentialDecryptionException.Reason.UNKNOWN_KEY))
                .hasMessage("credential encrypted with key 'k1', which is not configured; add it to "
                        + "meridian.inventory.credentials.keys");
    }

    @Test
    void rotationDecryptsWithTheOldKeyAndReEncryptsWithTheActiveOne() {
        EncryptedSecret underK1 = cipherK1.encrypt(KUBECONFIG, "cluster-a");
        var rotated = cipher(KeyRing.ofRaw("k2", Map.of("k1", KEY_1, "k2", KEY_2)));

        assertThat(rotated.decrypt(underK1, "cluster-a")).isEqualTo(KUBECONFIG);
        assertThat(rotated.needsRotation(underK1)).isTrue();

        EncryptedSecret underK2 = rotated.rotate(underK1, "cluster-a");

        assertThat(underK2.keyId()).isEqualTo("k2");
        assertThat(rotated.needsRotation(underK2)).isFalse();
        assertThat(rotated.rotate(underK2, "cluster-a")).isSameAs(underK2);
        assertThat(rotated.decrypt(underK2, "cluster-a")).isEqualTo(KUBECONFIG);
        // Once k1 is retired, the re-encrypted secret still opens.
        assertThat(cipher(KeyRing.ofRaw("k2", Map.of("k2", KEY_2))).decrypt(underK2, "cluster-a"))
                .isEqualTo(KUBECONFIG);
    }

    @Test
    void rotationKeepsTheClusterBinding() {
        var rotated = cipher(KeyRing.ofRaw("k2", Map.of("k1", KEY_1, "k2", KEY_2)));
        EncryptedSecret underK2 = rotated.rotate(cipherK1.encrypt(KUBECONFIG, "cluster-a"), "cluster-a");

        assertThatThrownBy(() -> rotated.decrypt(underK2, "cluster-b"))
                .isInstanceOf(CredentialDecryptionException.class);
    }

    @Test
    void noncesDoNotRepeatOver10kEncryptions() {
        var cipher = new CredentialCipher(KeyRing.ofRaw("k1", Map.of("k1", KEY_1)), new SecureRandom());
        var nonces = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            nonces.add(Base64.getEncoder()
                    .encodeToString(cipher.encrypt(KUBECONFIG, "cluster-a").nonce()));
        }

        assertThat(nonces).hasSize(10_000);
    }

    @Test
    void associatedDataIsRequired() {
        assertThatThrownBy(() -> cipherK1.encrypt(KUBECONFIG, " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster id");
        assertThatThrownBy(() -> cipherK1.encrypt(KUBECONFIG, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNeverShowsKeyMaterial() {
        var ring = KeyRing.ofRaw("k2", Map.of("k1", KEY_1, "k2", KEY_2));
        String k1 = Base64.getEncoder().encodeToString(KEY_1);
        EncryptedSecret secret = cipherK1.encrypt(KUBECONFIG, "cluster-a");

        assertThat(ring.toString()).isEqualTo("KeyRing[activeKeyId=k2, keyIds=[k1, k2]]");
        assertThat(cipher(ring).toString()).doesNotContain(k1).contains("k1", "k2");
        assertThat(secret.toString())
                .doesNotContain(Base64.getEncoder().encodeToString(secret.ciphertext()))
                .doesNotContain(Base64.getEncoder().encodeToString(secret.nonce()));
    }

    static byte[] key(int seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        return key;
    }

    private static CredentialCipher cipher(KeyRing ring) {
        return new CredentialCipher(ring, seededRandom());
    }

    private static SecureRandom seededRandom() {
        try {
            var random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(42L);
            return random;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
