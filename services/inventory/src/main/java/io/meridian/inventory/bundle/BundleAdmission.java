package io.meridian.inventory.bundle;

import io.meridian.contracts.Topic;
import io.meridian.contracts.desired.DesiredBundle;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which desired bundles inventory accepts from the owners' desired topics at all, before anything is applied with
 * cluster-admin rights: the bus is a trust boundary (Kafka ACLs decide who may write each topic), and this is the
 * second line behind it, so that an owner's principal cannot act beyond its own bundles and kinds.
 *
 * <ul>
 *   <li>the topic the record came on decides its owner: each owner has a desired topic of its own ({@link
 *       Topic#desiredFor}) that only its Kafka principal may write (ADR 0010), so the topic is the one fact about the
 *       producer that Kafka authenticated; a record whose key names another owner than its topic's is refused, as is
 *       a record on a topic that is no known owner's;
 *   <li>the owner is one inventory knows ({@code meridian.inventory.bundles.owners.<owner>.kinds});
 *   <li>the CloudEvent source is that owner's ({@code /meridian/<owner>} unless configured), on tombstones too. A
 *       producer sets its own headers, so this only catches a misconfigured service; the topic check is what holds
 *       against a forger;
 *   <li>every object's kind is on the owner's list: {@code group/Kind}, {@code group/*}, or {@code *} for any kind
 *       except the {@linkplain #SENSITIVE_GROUPS sensitive groups} and {@linkplain #SENSITIVE_KIND_NAMES kind names}
 *       and outside the {@linkplain #SYSTEM_NAMESPACES system namespaces}, which an owner gets only by naming them;
 *   <li>the generation does not jump more than {@code max-generation-step} above the last one known for the key, nor
 *       start above {@code max-first-generation} for a key seen first (inventory re-reads the compacted topic on
 *       start, so a first bundle may legitimately carry a high generation): a record with a huge generation would
 *       otherwise pin the key, and every later bundle of the real owner (revocations included) would be ignored as
 *       stale.
 * </ul>
 *
 */
public final class BundleAdmission {

    /** API groups whose kinds are never covered by a {@code *} entry: RBAC, admission, aggregation, credentials. */
    public static final Set<String> SENSITIVE_GROUPS = Set.of(
            "rbac.authorization.k8s.io",
            "admissionregistration.k8s.io",
            "apiregistration.k8s.io",
            "authentication.k8s.io",
            "certificates.k8s.io");

    /**
     * Kind names never covered by {@code *} in any group, compared lower-case, so a custom resource cannot pass for
     * one: RBAC, Secrets, tokens, webhooks and admission policies.
     */
    public static final Set<String> SENSITIVE_KIND_NAMES = Set.of(
            "role",
            "rolebinding",
            "clusterrole",
            "clusterrolebinding",
            "secret",
            "serviceaccounttoken",
            "tokenrequest",
            "validatingwebhookconfiguration",
            "mutatingwebhookconfiguration",
            "validatingadmissionpolicy",
            "validatingadmissionpolicybinding",
            "mutatingadmissionpolicy",
            "mutatingadmissionpolicybinding");

    /** The cluster's own namespaces: an object admitted only by {@code *} never goes there. */
    public static final Set<String> SYSTEM_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");

    /** What one owner may declare, and the desired topic its bundles come on. */
    public record Owner(String name, URI source, String topic, List<String> kinds) {
        public Owner {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(topic, "topic");
            kinds = List.copyOf(kinds);
            for (String kind : kinds) {
                if (!kind.equals("*") && kind.indexOf('/') < 0) {
                    throw new IllegalArgumentException("bundle owner '" + name + "': kind entry '" + kind
                            + "' is not group/Kind, group/* or * (the core group is written /Kind)");
                }
            }
        }

        /** An owner on its catalog topic ({@link Topic#desiredFor}). */
        public Owner(String name, URI source, List<String> kinds) {
            this(name, source, defaultTopic(name), kinds);
        }

        /**
         * The catalog's desired topic of an owner.
         *
         * @throws IllegalArgumentException if the catalog has none for it: such an owner needs its topic configured
         */
        public static String defaultTopic(String owner) {
            return Topic.desiredFor(owner)
                    .map(Topic::topicName)
                    .orElseThrow(() -> new IllegalArgumentException("bundle owner '" + owner
                            + "' has no desired topic in the catalog (known: "
                            + Topic.desired().stream().map(Topic::topicName).toList()
                            + "); configure meridian.inventory.bundles.owners." + owner + ".topic"));
        }

        /** The source an owner's events carry when the service signs them itself (libs/eventing's outbox). */
        public static URI defaultSource(String owner) {
            return URI.create("/meridian/" + owner);
        }

        /** Whether the owner may declare the kind in {@code namespace} (null: cluster-scoped). */
        boolean allows(String group, String kind, String namespace) {
            for (String entry : kinds) {
                if (entry.equals("*")) {
                    if (!SENSITIVE_GROUPS.contains(group.toLowerCase(Locale.ROOT))
                            && !SENSITIVE_KIND_NAMES.contains(kind.toLowerCase(Locale.ROOT))
                            && (namespace == null || !SYSTEM_NAMESPACES.contains(namespace))) {
                        return true;
                    }
                } else {
                    int slash = entry.indexOf('/');
                    String entryGroup = entry.substring(0, slash);
                    String entryKind = entry.substring(slash + 1);
                    if (entryGroup.equals(group) && (entryKind.equals("*") || entryKind.equals(kind))) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** Accepted, or refused with a reason that names what to fix; a refused bundle goes to the dead-letter topic. */
    public sealed interface Verdict {
        record Accepted() implements Verdict {}

        record Refused(String reason) implements Verdict {}
    }

    private static final Verdict ACCEPTED = new Verdict.Accepted();

    private final Map<String, Owner> owners;
    private final Map<String, Owner> ownersByTopic;
    private final long maxGenerationStep;
    private final long maxFirstGeneration;

    public BundleAdmission(Map<String, Owner> owners, long maxGenerationStep, long maxFirstGeneration) {
        if (maxGenerationStep < 1 || maxFirstGeneration < 1) {
            throw new IllegalArgumentException("max-generation-step and max-first-generation must be at least 1");
        }
        this.owners = Map.copyOf(new TreeMap<>(owners));
        Map<String, Owner> byTopic = new TreeMap<>();
        for (Owner owner : this.owners.values()) {
            Owner before = byTopic.put(owner.topic(), owner);
            if (before != null) {
                // One topic, one writer: two owners on one topic would let either declare the other's bundles.
                throw new IllegalArgumentException("bundle owners '" + before.name() + "' and '" + owner.name()
                        + "' share the topic " + owner.topic() + "; each owner needs a topic of its own");
            }
        }
        this.ownersByTopic = Collections.unmodifiableMap(byTopic);
        this.maxGenerationStep = maxGenerationStep;
        this.maxFirstGeneration = maxFirstGeneration;
    }

    public Set<String> owners() {
        return owners.keySet();
    }

    /** The desired topics of the known owners: what inventory reads. */
    public Set<String> topics() {
        return ownersByTopic.keySet();
    }

    /**
     * Judges one record of a desired topic: the topic it came on, its key's owner, the CloudEvent source (empty for a
     * bare tombstone), the bundle (null for a tombstone) and the generation last declared for the key, if any.
     */
    public Verdict judge(
            String topic, String keyOwner, Optional<URI> source, DesiredBundle bundle, OptionalLong lastGeneration) {
        Owner ofTopic = ownersByTopic.get(topic);
        if (ofTopic == null) {
            return new Verdict.Refused("topic " + topic + " is no bundle owner's desired topic (known: "
                    + String.join(", ", ownersByTopic.keySet()) + ")");
        }
        if (!ofTopic.name().equals(keyOwner)) {
            return new Verdict.Refused("key names owner '" + keyOwner + "' but the record came on " + topic
                    + ", the topic of owner '" + ofTopic.name() + "': an owner's bundles come only on its own topic,"
                    + " which only its own principal may write");
        }
        return judge(ofTopic.name(), source, bundle, lastGeneration);
    }

    /**
     * Judges one record of an owner already decided by its topic: the CloudEvent source, the kinds and the generation.
     */
    Verdict judge(String owner, Optional<URI> source, DesiredBundle bundle, OptionalLong lastGeneration) {
        Owner allowed = owners.get(owner);
        if (allowed == null) {
            return new Verdict.Refused("owner '" + owner + "' may not declare bundles (known owners: "
                    + String.join(", ", owners.keySet()) + "; configure meridian.inventory.bundles.owners." + owner
                    + ".kinds to admit it)");
        }
        if (source.isPresent() && !source.get().equals(allowed.source())) {
            return new Verdict.Refused("bundle of owner '" + owner + "' has CloudEvent source '" + source.get()
                    + "', expected '" + allowed.source() + "': only the owner's own service may declare its bundles");
        }
        if (source.isEmpty()) {
            // An owner's outbox writes the CloudEvent headers on tombstones too; a bare one would let any writer of
            // the topic withdraw another owner's objects from every cluster.
            return new Verdict.Refused(
                    (bundle == null ? "tombstone" : "bundle") + " of owner '" + owner + "' has no CloudEvent source");
        }
        if (bundle == null) {
            return ACCEPTED;
        }
        if (lastGeneration.isPresent() && bundle.generation() - lastGeneration.getAsLong() > maxGenerationStep) {
            return new Verdict.Refused("generation " + bundle.generation() + " of " + bundle.key() + " jumps more than "
                    + maxGenerationStep + " above the last one declared (" + lastGeneration.getAsLong()
                    + "); owners count generations up one by one, so this would pin the key against later bundles");
        }
        if (lastGeneration.isEmpty() && bundle.generation() > maxFirstGeneration) {
            return new Verdict.Refused("generation " + bundle.generation() + " of " + bundle.key()
                    + " is implausibly high for the first bundle seen of this key (at most " + maxFirstGeneration
                    + ", meridian.inventory.bundles.max-first-generation)");
        }
        List<Map<String, Object>> objects = bundle.objects();
        for (int i = 0; i < objects.size(); i++) {
            Map<String, Object> object = objects.get(i);
            String apiVersion = object == null ? null : asString(object.get("apiVersion"));
            String kind = object == null ? null : asString(object.get("kind"));
            if (apiVersion == null || kind == null) {
                continue; // reported per object as not valid when applied; nothing to apply, nothing to refuse
            }
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String namespace =
                    object.get("metadata") instanceof Map<?, ?> metadata ? asString(metadata.get("namespace")) : null;
            if (!allowed.allows(group, kind, namespace)) {
                return new Verdict.Refused("objects[" + i + "] is a " + apiVersion + " " + kind
                        + (namespace == null ? "" : " in namespace " + namespace) + ", which owner '" + owner
                        + "' may not declare (allowed: " + String.join(", ", allowed.kinds())
                        + "; sensitive kinds, and the system namespaces, need a group/Kind entry of their own)");
            }
        }
        return ACCEPTED;
    }

    private static String asString(Object value) {
        return value instanceof String s && !s.isBlank() ? s.strip() : null;
    }
}
