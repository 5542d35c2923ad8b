package io.meridian.inventory.credentials;

import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that credentials may be encrypted with: the active one encrypts, every configured one decrypts,
 * so keys can be rotated without a flag day.
 */
public record KeyRing(String activeKeyId, Map<String, SecretKey> keys) {

    /** Where operators configure the keys; named in every error message about them. */
    public static final String KEYS_PROPERTY = "meridian.inventory.credentials.keys";

    static final int KEY_BYTES = 32;
    // ':' separates the fields of the stored form, so a key id must never contain one.
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public KeyRing {
        Objects.requireNonNull(activeKeyId, "activeKeyId");
        Objects.requireNonNull(keys, "keys");
        var copy = new TreeMap<String, SecretKey>();
        keys.forEach((id, key) -> {
            requireValidKeyId(id);
            if (key == null) {
                throw new IllegalArgumentException("credential key '" + id + "' is null");
            }
            byte[] encoded = key.getEncoded();
            if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || encoded == null || encoded.length != KEY_BYTES) {
                throw new IllegalArgumentException("credential key '" + id + "' must be a 256-bit AES key");
            }
            copy.put(id, key);
        });
        if (!copy.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("active credential key '" + activeKeyId
                    + "' is not configured; add it to " + KEYS_PROPERTY + " (configured: " + copy.keySet() + ")");
        }
        keys = Collections.unmodifiableMap(copy);
    }

    /** Builds a ring from base64-encoded 32-byte keys, as they come from configuration. */
    public static KeyRing parse(String activeKeyId, Map<String, String> base64Keys) {
        Objects.requireNonNull(base64Keys, "base64Keys");
        if (base64Keys.isEmpty()) {
            throw new IllegalArgumentException("no credential keys configured; set " + KEYS_PROPERTY);
        }
        var keys = new TreeMap<String, SecretKey>();
        base64Keys.forEach((id, encoded) -> {
            requireValidKeyId(id);
            if (encoded == null || encoded.isBlank()) {
                throw new IllegalArgumentException("credential key '" + id + "' is empty");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(encoded.strip());
            } catch (IllegalArgumentException e) {
                // The JDK message quotes offending characters of the key: do not pass it on.
                throw new IllegalArgumentException("credential key '" + id + "' is not valid base64");
            }
            if (raw.length != KEY_BYTES) {
                throw new IllegalArgumentException("credential key '" + id + "' must be " + KEY_BYTES
                        + " bytes (256 bits) once base64-decoded, but is " + raw.length + " bytes");
            }
            keys.put(id, new SecretKeySpec(raw, "AES"));
            Arrays.fill(raw, (byte) 0);
        });
        return new KeyRing(activeKeyId, keys);
    }

    /** Convenience for tests and tools: a ring of raw keys. */
    public static KeyRing ofRaw(String activeKeyId, Map<String, byte[]> rawKeys) {
        var keys = new TreeMap<String, SecretKey>();
        rawKeys.forEach((id, raw) -> {
            requireValidKeyId(id);
            if (raw == null || raw.length != KEY_BYTES) {
                throw new IllegalArgumentException("credential key '" + id + "' must be " + KEY_BYTES + " bytes");
            }
            keys.put(id, new SecretKeySpec(raw, "AES"));
        });
        return new KeyRing(activeKeyId, keys);
    }

    SecretKey activeKey() {
        return keys.get(activeKeyId);
    }

    static void requireValidKeyId(String id) {
        if (id == null || !KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("credential key id '" + id
                    + "' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    @Override
    public String toString() {
        return "KeyRing[activeKeyId=" + activeKeyId + ", keyIds=" + keys.keySet() + "]";
    }
}
