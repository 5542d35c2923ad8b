package io.meridian.inventory.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.meridian.contracts.ObjectRef;
import io.meridian.contracts.desired.BundleContentHash;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One object of a bundle as inventory will write it: the owner's manifest plus Meridian's ownership
 * labels and a hash of the content, so a later look can tell "as we left it" from "changed by someone".
 */
public record DesiredObject(ObjectRef ref, Map<String, Object> manifest, String contentHash) {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MERIDIAN = "meridian";
    public static final String OWNER = "meridian.io/owner";
    public static final String CONTENT_HASH = "meridian.io/content-hash";

    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** A bundle entry that cannot be applied, and why; it becomes a Failed outcome, the rest goes on. */
    public record Invalid(ObjectRef ref, String reason) {}

    /** Either a usable object or the reason it is not. */
    public sealed interface Parsed {}

    /** A usable object. */
    public record Ok(DesiredObject object) implements Parsed {}

    /** An unusable one. */
    public record Bad(Invalid invalid) implements Parsed {}

    /** Validates one manifest of {@code owner}'s bundle and stamps Meridian's labels on it. */
    @SuppressWarnings("unchecked")
    public static Parsed of(String owner, Map<String, Object> manifest) {
        Object apiVersion = manifest == null ? null : manifest.get("apiVersion");
        Object kind = manifest == null ? null : manifest.get("kind");
        Map<String, Object> metadata =
                manifest != null && manifest.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        Object name = metadata == null ? null : metadata.get("name");
        Object namespace = metadata == null ? null : metadata.get("namespace");
        String refName = name instanceof String s && !s.isBlank() ? s : "<unnamed>";
        ObjectRef ref = new ObjectRef(
                null,
                apiVersion instanceof String v && !v.isBlank() ? v : "<none>",
                kind instanceof String k && !k.isBlank() ? k : "<none>",
                namespace instanceof String ns && !ns.isBlank() ? ns : null,
                refName);
        if (!(apiVersion instanceof String v) || v.isBlank()) {
            return new Bad(new Invalid(ref, "apiVersion is missing"));
        }
        if (!(kind instanceof String k) || k.isBlank()) {
            return new Bad(new Invalid(ref, "kind is missing"));
        }
        if (!(name instanceof String n) || n.isBlank()) {
            return new Bad(new Invalid(ref, "metadata.name is missing"));
        }
        if (!n.matches("[a-z0-9]([-a-z0-9.:]*[a-z0-9])?") || n.length() > 253) {
            return new Bad(new Invalid(ref, "metadata.name '" + n + "' is not a valid Kubernetes name"));
        }
        if (namespace != null && !(namespace instanceof String)) {
            return new Bad(new Invalid(ref, "metadata.namespace must be a string"));
        }
        Map<String, Object> copy = deepCopy(manifest);
        Map<String, Object> meta = (Map<String, Object>) copy.get("metadata");
        meta.remove("resourceVersion");
        meta.remove("uid");
        meta.remove("managedFields");
        meta.remove("creationTimestamp");
        copy.remove("status");
        Map<String, Object> labels =
                meta.get("labels") instanceof Map<?, ?> l ? new TreeMap<>((Map<String, Object>) l) : new TreeMap<>();
        labels.put(MANAGED_BY, MERIDIAN);
        labels.put(OWNER, owner);
        meta.put("labels", labels);
        String hash = hash(copy);
        Map<String, Object> annotations = meta.get("annotations") instanceof Map<?, ?> a
                ? new TreeMap<>((Map<String, Object>) a)
                : new TreeMap<>();
        annotations.put(CONTENT_HASH, hash);
        meta.put("annotations", annotations);
        return new Ok(new DesiredObject(ref, copy, hash));
    }

    /** Identity of an object on a cluster, the same for desired, applied and live copies. */
    public String key() {
        return ref.apiVersion() + "/" + ref.kind() + "/" + (ref.namespace() == null ? "" : ref.namespace()) + "/"
                + ref.name();
    }

    /** How the bundle engine remembers this object once written (or about to be): enough to prune it later. */
    io.meridian.inventory.persistence.BundleStore.AppliedObject applied() {
        return new io.meridian.inventory.persistence.BundleStore.AppliedObject(
                key(), ref.apiVersion(), ref.kind(), ref.namespace(), ref.name(), contentHash);
    }

    public static String key(String apiVersion, String kind, String namespace, String name) {
        return apiVersion + "/" + kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }

    /**
     * Whether the live object still holds every field this desired object sets, with server-side apply's merge
     * semantics ({@link AppliedFields}): defaults the server added and fields other managers own are not drift.
     */
    public boolean isSatisfiedBy(Map<String, Object> live) {
        return drift(live).isEmpty();
    }

    /** The first field this object sets that {@code live} no longer holds ("" when live is absent), if any. */
    public java.util.Optional<String> drift(Map<String, Object> live) {
        return AppliedFields.firstDifference(manifest, live);
    }

    /** Whether a live object carries this owner's label (we may touch it). */
    public static boolean ownedBy(Map<String, String> liveLabels, String owner) {
        return liveLabels != null && MERIDIAN.equals(liveLabels.get(MANAGED_BY)) && owner.equals(liveLabels.get(OWNER));
    }

    /** The owner recorded on a live object, or null when Meridian does not manage it. */
    public static String ownerOf(Map<String, String> liveLabels) {
        return liveLabels != null && MERIDIAN.equals(liveLabels.get(MANAGED_BY)) ? liveLabels.get(OWNER) : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> manifest) {
        return CANONICAL.convertValue(manifest, LinkedHashMap.class);
    }

    private static String hash(Map<String, Object> manifest) {
        // The first 32 hex digits, as the annotations on clusters and the applied rows already hold them.
        return BundleContentHash.ofObject(manifest).substring(0, 32);
    }

    /** All kinds of a list of objects, for watching. */
    public static List<String> apiVersionKinds(List<DesiredObject> objects) {
        return objects.stream()
                .map(o -> o.ref().apiVersion() + "/" + o.ref().kind())
                .distinct()
                .toList();
    }
}
