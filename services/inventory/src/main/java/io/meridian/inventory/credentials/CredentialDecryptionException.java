package io.meridian.inventory.credentials;

/** A stored credential could not be decrypted; the message says why and never contains secret material. */
public final class CredentialDecryptionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why decryption failed, for callers that react differently (alert on tampering, ask for a key on unknown). */
    public enum Reason {
        /** The key the credential was encrypted with is not in the key ring. */
        UNKNOWN_KEY,
        /** The authentication tag did not verify: wrong key, altered ciphertext, or different associated data. */
        AUTHENTICATION_FAILED
    }

    private final Reason reason;
    private final String keyId;

    CredentialDecryptionException(Reason reason, String keyId, String message) {
        super(message);
        this.reason = reason;
        this.keyId = keyId;
    }

    public Reason reason() {
        return reason;
    }

    public String keyId() {
        return keyId;
    }
}
