package io.meridian.inventory.credentials;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts credential blobs with AES-256-GCM under the active key of a {@link KeyRing}, bound to associated data
 * (the cluster id) so that a ciphertext copied onto another cluster's row does not decrypt.
 *
 * <p>Nonces are 96 random bits: keep well below 2^32 encryptions per key (NIST SP 800-38D), which rotation does.
 * Thread-safe.
 */
public final class CredentialCipher {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int TAG_BITS = EncryptedSecret.TAG_BYTES * 8;

    private final KeyRing keyRing;
    private final SecureRandom random;

    public CredentialCipher(KeyRing keyRing, SecureRandom random) {
        this.keyRing = Objects.requireNonNull(keyRing, "keyRing");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Encrypts under the active key; {@code associatedData} must be given again, identical, to decrypt. */
    public EncryptedSecret encrypt(byte[] plaintext, String associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] aad = aad(associatedData);
        byte[] nonce = new byte[EncryptedSecret.NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keyRing.activeKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            return new EncryptedSecret(keyRing.activeKeyId(), nonce, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            // AES-GCM is mandatory in every JDK: this is a broken runtime, not bad input.
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Decrypts with whichever configured key the secret names. */
    public byte[] decrypt(EncryptedSecret secret, String associatedData) {
        Objects.requireNonNull(secret, "secret");
        byte[] aad = aad(associatedData);
        SecretKey key = keyRing.keys().get(secret.keyId());
        if (key == null) {
            throw new CredentialDecryptionException(
                    CredentialDecryptionException.Reason.UNKNOWN_KEY,
                    secret.keyId(),
                    "credential encrypted with key '" + secret.keyId() + "', which is not configured; add it to "
                            + KeyRing.KEYS_PROPERTY);
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, secret.nonce()));
            cipher.updateAAD(aad);
            return cipher.doFinal(secret.ciphertext());
        } catch (AEADBadTagException e) {
            throw new CredentialDecryptionException(
                    CredentialDecryptionException.Reason.AUTHENTICATION_FAILED,
                    secret.keyId(),
                    "credential encrypted with key '" + secret.keyId()
                            + "' failed authentication: the ciphertext was altered, the key with that id changed,"
                            + " or it belongs to a different cluster (associated data mismatch)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /** True when the secret is not encrypted under the active key and should be re-encrypted. */
    public boolean needsRotation(EncryptedSecret secret) {
        return !keyRing.activeKeyId().equals(secret.keyId());
    }

    /** Re-encrypts under the active key; returns the same secret when it already is. */
    public EncryptedSecret rotate(EncryptedSecret secret, String associatedData) {
        if (!needsRotation(secret)) {
            return secret;
        }
        byte[] plaintext = decrypt(secret, associatedData);
        try {
            return encrypt(plaintext, associatedData);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    public KeyRing keyRing() {
        return keyRing;
    }

    private static byte[] aad(String associatedData) {
        if (associatedData == null || associatedData.isBlank()) {
            // Without it a ciphertext could be moved between clusters unnoticed.
            throw new IllegalArgumentException("associated data (the cluster id) is required");
        }
        return associatedData.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CredentialCipher[" + keyRing + "]";
    }
}
