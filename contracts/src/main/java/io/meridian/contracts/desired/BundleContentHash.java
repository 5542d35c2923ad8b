package io.meridian.contracts.desired;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The fleet's one content hash of desired objects: SHA-256 (lower-case hex) of their canonical JSON, map keys sorted
 * at every depth, list order kept, numbers written as Jackson writes their Java type ({@code 1} and {@code 1.0}
 * differ). Owners compare it to tell "same content again" from "declare a new generation"; inventory stamps it on
 * every object it writes. Changing it changes every hash stored in the fleet, so a golden test pins it.
 */
public final class BundleContentHash {

    // A plain mapper of its own, not EventJson's: the wire format may change its settings, the hashes already
    // stored in owners' tables and on clusters' objects must not change with it.
    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private BundleContentHash() {}

    /**
     * The hash of a bundle's objects, in their order. Drift policy and adoption are not part of it: they are settings
     * of the bundle that an owner compares on their own, so these hashes equal the ones owners stored before.
     */
    public static String of(List<Map<String, Object>> objects) {
        return sha256(objects == null ? List.of() : objects);
    }

    /** The hash of one manifest, as inventory stamps it on the object it writes. */
    public static String ofObject(Map<String, Object> object) {
        return sha256(object == null ? Map.of() : object);
    }

    private static String sha256(Object value) {
        try {
            byte[] canonical = CANONICAL.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("desired objects must be plain JSON values: " + e.getMessage(), e);
        }
    }
}
