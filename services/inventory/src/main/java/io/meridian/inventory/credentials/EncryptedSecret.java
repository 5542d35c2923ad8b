package io.meridian.inventory.credentials;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A credential encrypted with AES-256-GCM: the id of the key it was encrypted with, the 12-byte nonce, and the
 * ciphertext with its 16-byte authentication tag appended.
 */
public record EncryptedSecret(String keyId, byte[] nonce, byte[] ciphertext) {

    static final String VERSION = "v1";
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;

    public EncryptedSecret {
        KeyRing.requireValidKeyId(keyId);
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(ciphertext, "ciphertext");
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException(
                    "credential nonce must be " + NONCE_BYTES + " bytes, but is " + nonce.length + " bytes");
        }
        if (ciphertext.length < TAG_BYTES) {
            throw new IllegalArgumentException("credential ciphertext must be at least " + TAG_BYTES
                    + " bytes (the authentication tag), but is " + ciphertext.length + " bytes");
        }
        nonce = nonce.clone();
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /** The compact form kept in the database: {@code v1:<keyId>:<base64 nonce>:<base64 ciphertext+tag>}. */
    public String toStorage() {
        var b64 = Base64.getEncoder();
        return VERSION + ":" + keyId + ":" + b64.encodeToString(nonce) + ":" + b64.encodeToString(ciphertext);
    }

    /** Reads the form written by {@link #toStorage()}; the message of a failure never quotes the input. */
    public static EncryptedSecret fromStorage(String stored) {
        if (stored == null || stored.isBlank()) {
            throw new IllegalArgumentException("stored credential is empty");
        }
        String[] parts = stored.split(":", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(
                    "stored credential must have the form v1:<keyId>:<nonce>:<ciphertext>, but has " + parts.length
                            + " ':'-separated fields");
        }
        if (!VERSION.equals(parts[0])) {
            // Quote the version only when it looks like one: a plaintext stored by mistake must not leak.
            String seen = parts[0].matches("v[0-9]{1,3}") ? "'" + parts[0] + "'" : "an unknown format";
            throw new IllegalArgumentException(
                    "stored credential has " + seen + "; this version of Meridian reads only '" + VERSION + "'");
        }
        return new EncryptedSecret(parts[1], decode(parts[2], "nonce"), decode(parts[3], "ciphertext"));
    }

    private static byte[] decode(String value, String field) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stored credential " + field + " is not valid base64");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptedSecret other
                && keyId.equals(other.keyId)
                && Arrays.equals(nonce, other.nonce)
                && Arrays.equals(ciphertext, other.ciphertext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, Arrays.hashCode(nonce), Arrays.hashCode(ciphertext));
    }

    @Override
    public String toString() {
        return "EncryptedSecret[keyId=" + keyId + ", ciphertext=" + ciphertext.length + " bytes]";
    }
}
