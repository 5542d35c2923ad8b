package io.meridian.observability.persistence;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts receiver secrets at rest with AES-256-GCM under the active key, bound to the receiver's name, in the
 * stored form and key convention of inventory's {@code CredentialCipher}:
 * {@code v1:<keyId>:<base64 nonce>:<base64 ciphertext+tag>}, keys base64 in {@value #KEYS_PROPERTY}.{@code <id>}.
 * A copy of that algorithm, not of its class: both belong in one shared library (see the report).
 */
public final class ReceiverSecretCipher {

    public static final String KEYS_PROPERTY = "meridian.notifications.secrets.keys";
    static final String VERSION = "v1";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String activeKeyId;
    private final Map<String, SecretKey> keys;
    private final SecureRandom random;

    ReceiverSecretCipher(String activeKeyId, Map<String, byte[]> rawKeys, SecureRandom random) {
        Map<String, SecretKey> copy = new TreeMap<>();
        rawKeys.forEach((id, raw) -> {
            if (id == null || !KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException(
                        "receiver secret key id must be 1-64 letters, digits, '.', '_' or '-'");
            }
            if (raw == null || raw.length != KEY_BYTES) {
                throw new IllegalArgumentException("receiver secret key '" + id + "' must be " + KEY_BYTES
                        + " bytes (256 bits) once base64-decoded");
            }
            copy.put(id, new SecretKeySpec(raw, "AES"));
        });
        if (!copy.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("active receiver secret key '" + activeKeyId
                    + "' is not configured; add it to " + KEYS_PROPERTY + " (configured: " + copy.keySet() + ")");
        }
        this.activeKeyId = activeKeyId;
        this.keys = Map.copyOf(copy);
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Builds the cipher from configuration: base64-encoded 32-byte keys by id. */
    public static ReceiverSecretCipher parse(String activeKeyId, Map<String, String> base64Keys) {
        if (base64Keys.isEmpty()) {
            throw new IllegalArgumentException("no receiver secret keys configured; set " + KEYS_PROPERTY);
        }
        Map<String, byte[]> raw = new TreeMap<>();
        base64Keys.forEach((id, encoded) -> {
            try {
                raw.put(id, Base64.getDecoder().decode(encoded == null ? "" : encoded.strip()));
            } catch (IllegalArgumentException e) {
                // The JDK message quotes characters of the key: do not pass it on.
                throw new IllegalArgumentException("receiver secret key '" + id + "' is not valid base64");
            }
        });
        try {
            return new ReceiverSecretCipher(activeKeyId, raw, new SecureRandom());
        } finally {
            raw.values().forEach(b -> Arrays.fill(b, (byte) 0));
        }
    }

    /** The stored form of a secret, bound to the receiver it belongs to. */
    public String seal(String secret, String receiver) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(receiver));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return VERSION + ":" + activeKeyId + ":" + b64.encodeToString(nonce) + ":" + b64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            // AES-GCM is mandatory in every JDK: this is a broken runtime, not bad input.
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** The secret a stored form holds; failures never quote the stored text. */
    public String open(String stored, String receiver) {
        String[] parts = stored == null ? new String[0] : stored.split(":", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            throw new IllegalStateException("the stored secret of receiver " + receiver + " is not in the " + VERSION
                    + ":<keyId>:<nonce>:<ciphertext> form");
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalStateException("the secret of receiver " + receiver + " is encrypted with key '" + parts[1]
                    + "', which is not configured; add it to " + KEYS_PROPERTY);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    key,
                    new GCMParameterSpec(TAG_BITS, Base64.getDecoder().decode(parts[2])));
            cipher.updateAAD(aad(receiver));
            return new String(cipher.doFinal(Base64.getDecoder().decode(parts[3])), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the secret of receiver " + receiver + " failed authentication: altered,"
                    + " its key '" + parts[1] + "' changed, or it was copied from another receiver");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the stored secret of receiver " + receiver + " is not valid base64");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    private static byte[] aad(String receiver) {
        if (receiver == null || receiver.isBlank()) {
            // Without it a ciphertext could be moved between receivers unnoticed.
            throw new IllegalArgumentException("the receiver name is required");
        }
        return receiver.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ReceiverSecretCipher[active=" + activeKeyId + ", keys=" + keys.keySet() + "]";
    }
}
