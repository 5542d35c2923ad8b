package io.meridian.fleetsim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pod templates as controllers compare and name them: equal when they are equal once the server's defaults are
 * filled in and the controller's own {@code pod-template-hash} label is left out, and hashed the way the Deployment
 * controller names its ReplicaSets (FNV-1a, written in the alphabet of generated names).
 */
final class PodTemplates {

    static final String HASH_LABEL = "pod-template-hash";

    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private PodTemplates() {}

    /** The template as the server would store it, without the controller's hash label: what to compare. */
    static JsonNode normalized(PodTemplateSpec template) {
        ObjectNode node = Serialization.jsonMapper().valueToTree(template);
        if (node.path("metadata").path("labels") instanceof ObjectNode labels) {
            labels.remove(HASH_LABEL);
            if (labels.isEmpty()) {
                ((ObjectNode) node.get("metadata")).remove("labels");
            }
        }
        // Defaults belong to the pod template, whichever controller holds it: default it inside a Deployment.
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", new LinkedHashMap<>());
        spec.put("template", CANONICAL.convertValue(node, Map.class));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "apps/v1");
        manifest.put("kind", "Deployment");
        manifest.put("metadata", new LinkedHashMap<>(Map.of("name", "template", "namespace", "default")));
        manifest.put("spec", spec);
        KubernetesDefaults.apply(manifest);
        Object defaulted = manifest.get("spec") instanceof Map<?, ?> s ? s.get("template") : null;
        // Round trip through text, so that numbers compare by value (an int and a long 3 are the same 3).
        try {
            return CANONICAL.readTree(CANONICAL.writeValueAsBytes(defaulted == null ? Map.of() : defaulted));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hash of a normalized template, e.g. {@code 7d9f8c6b5}; {@code collisions} as in {@code collisionCount}. */
    static String hash(JsonNode normalized, int collisions) {
        byte[] bytes;
        try {
            bytes = CANONICAL
                    .writeValueAsString(CANONICAL.convertValue(normalized, Object.class))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int hash = 0x811c9dc5;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        for (int i = 0; collisions > 0 && i < 4; i++) {
            hash ^= (collisions >>> (8 * i)) & 0xff;
            hash *= 0x01000193;
        }
        return safeEncode(Integer.toUnsignedString(hash));
    }

    /** Kubernetes' {@code rand.SafeEncodeString}: every character mapped into the alphabet without vowels. */
    static String safeEncode(String s) {
        String alphabet = ClusterContents.NAME_ALPHABET;
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            out.append(alphabet.charAt(s.charAt(i) % alphabet.length()));
        }
        return out.toString();
    }
}
