package io.meridian.fleetsim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a v1.31 API server merges each field and tracks who owns it, for the kinds Meridian and the simulator write:
 * the {@code x-kubernetes-list-type} ({@code map} with {@code x-kubernetes-list-map-keys}, {@code set}, else
 * {@code atomic}) and {@code x-kubernetes-map-type: atomic} extensions of the Kubernetes OpenAPI (from the
 * {@code +listType}, {@code +listMapKey} and {@code +structType} markers of the Go types). A field not in this table
 * merges as a map key by key when it holds an object and is replaced whole (atomic) when it holds a list, which is what
 * the OpenAPI says for every other list of these kinds (RBAC {@code rules}/{@code subjects}, NetworkPolicy
 * {@code ingress}/{@code egress}/{@code policyTypes}, VAP {@code validations}, {@code resourceRules}, LimitRange
 * {@code limits}, HPA {@code metrics}, container {@code args}/{@code command}, StatefulSet
 * {@code volumeClaimTemplates}, tolerations, ...).
 */
final class MergeSchema {

    /** How the value of a field merges. */
    enum Shape {
        /** An object merged key by key (or a scalar, or an atomic list when the field holds a list). */
        GRANULAR,
        /** Replaced whole, owned as one field: {@code x-kubernetes-map-type: atomic} or an atomic list. */
        ATOMIC,
        /** {@code x-kubernetes-list-type: map}: elements merged and owned one by one, identified by their keys. */
        LIST_MAP,
        /** {@code x-kubernetes-list-type: set}: scalar elements owned one by one. */
        LIST_SET,
        /** Identity and bookkeeping fields the server keeps out of every manager's field set. */
        IGNORED
    }

    /** One field of the schema: its shape, list keys, the element of a list and the fields of an object. */
    static final class Node {
        private final Shape shape;
        private final List<String> keys;
        private final Map<String, Object> keyDefaults;
        private final Map<String, Node> fields = new HashMap<>();
        private Node element;

        private Node(Shape shape, List<String> keys, Map<String, Object> keyDefaults) {
            this.shape = shape;
            this.keys = keys;
            this.keyDefaults = keyDefaults;
        }

        Shape shape() {
            return shape;
        }

        /** The key fields of a list-map, sorted by name as the {@code k:} path element writes them. */
        List<String> keys() {
            return keys;
        }

        /** The value the server defaults a missing key field to ({@code protocol: TCP}), or null. */
        Object keyDefault(String key) {
            return keyDefaults.get(key);
        }

        /** The schema of field {@code name} of this object. */
        Node field(String name) {
            Node node = fields.get(name);
            return node != null ? node : UNKNOWN;
        }

        /** The schema of each element of this list-map. */
        Node element() {
            return element != null ? element : UNKNOWN;
        }

        boolean associative() {
            return shape == Shape.LIST_MAP || shape == Shape.LIST_SET;
        }

        private Node with(String name, Node node) {
            fields.put(name, node);
            return this;
        }

        private Node elements(Node node) {
            this.element = node;
            return this;
        }
    }

    /** The metadata fields the server keeps out of every field set (with {@code apiVersion} and {@code kind}). */
    static final Set<String> STRIPPED_METADATA = Set.of(
            "name",
            "namespace",
            "creationTimestamp",
            "selfLink",
            "uid",
            "generation",
            "managedFields",
            "resourceVersion");

    private static final Node UNKNOWN = granular();

    private static final Node ATOMIC = new Node(Shape.ATOMIC, List.of(), Map.of());

    private static final Node IGNORED = new Node(Shape.IGNORED, List.of(), Map.of());

    private static final Node CONDITIONS = listMap("type");

    /** An object's own metadata: the server strips identity fields from every field set (its "strip meta" step). */
    private static final Node OBJECT_META = meta();

    /** A pod template's metadata: nothing stripped. */
    private static final Node TEMPLATE_META =
            granular().with("ownerReferences", listMap("uid")).with("finalizers", set());

    private static final Node STATUS = granular().with("conditions", CONDITIONS);

    private static final Node CONTAINER = granular()
            .with("ports", listMap(Map.of("protocol", "TCP"), "containerPort", "protocol"))
            .with(
                    "env",
                    listMap("name")
                            .elements(granular()
                                    .with(
                                            "valueFrom",
                                            granular()
                                                    .with("configMapKeyRef", ATOMIC)
                                                    .with("secretKeyRef", ATOMIC)
                                                    .with("fieldRef", ATOMIC)
                                                    .with("resourceFieldRef", ATOMIC))))
            .with("volumeMounts", listMap("mountPath"))
            .with("volumeDevices", listMap("devicePath"))
            .with("resources", granular().with("claims", listMap("name")));

    private static final Node POD_SPEC = granular()
            .with("containers", listMap("name").elements(CONTAINER))
            .with("initContainers", listMap("name").elements(CONTAINER))
            .with("ephemeralContainers", listMap("name").elements(CONTAINER))
            .with("volumes", listMap("name"))
            .with("imagePullSecrets", listMap("name").elements(ATOMIC))
            .with(
                    "topologySpreadConstraints",
                    listMap("topologyKey", "whenUnsatisfiable")
                            .elements(granular().with("labelSelector", ATOMIC)))
            .with("hostAliases", listMap("ip"))
            .with("resourceClaims", listMap("name"))
            .with("schedulingGates", listMap("name"))
            .with(
                    "affinity",
                    granular()
                            .with(
                                    "nodeAffinity",
                                    granular().with("requiredDuringSchedulingIgnoredDuringExecution", ATOMIC)));

    private static final Node POD_TEMPLATE =
            granular().with("metadata", TEMPLATE_META).with("spec", POD_SPEC);

    /** Deployment, ReplicaSet, StatefulSet, DaemonSet, Job: a label selector (atomic) and a pod template. */
    private static final Node WORKLOAD_SPEC =
            granular().with("selector", ATOMIC).with("template", POD_TEMPLATE).with("volumeClaimTemplates", ATOMIC);

    private static final Node MATCH_RESOURCES = granular()
            .with("namespaceSelector", ATOMIC)
            .with("objectSelector", ATOMIC)
            .with("resourceRules", ATOMIC)
            .with("excludeResourceRules", ATOMIC);

    private static final Node WEBHOOKS = listMap("name")
            .elements(granular()
                    .with("matchConditions", listMap("name"))
                    .with("namespaceSelector", ATOMIC)
                    .with("objectSelector", ATOMIC));

    private static final Map<String, Node> ROOTS = Map.ofEntries(
            Map.entry("Pod", root().with("spec", POD_SPEC)),
            Map.entry("PodTemplate", root().with("template", POD_TEMPLATE)),
            Map.entry("Deployment", root().with("spec", WORKLOAD_SPEC)),
            Map.entry("ReplicaSet", root().with("spec", WORKLOAD_SPEC)),
            Map.entry("StatefulSet", root().with("spec", WORKLOAD_SPEC)),
            Map.entry("DaemonSet", root().with("spec", WORKLOAD_SPEC)),
            Map.entry("Job", root().with("spec", WORKLOAD_SPEC)),
            Map.entry("ReplicationController", root().with("spec", granular().with("template", POD_TEMPLATE))),
            Map.entry(
                    "CronJob",
                    root().with(
                                    "spec",
                                    granular().with("jobTemplate", granular().with("spec", WORKLOAD_SPEC)))),
            Map.entry(
                    "Service",
                    root().with(
                                    "spec",
                                    granular().with("ports", listMap(Map.of("protocol", "TCP"), "port", "protocol")))),
            Map.entry("NetworkPolicy", root().with("spec", granular().with("podSelector", ATOMIC))),
            Map.entry("PodDisruptionBudget", root().with("spec", granular().with("selector", ATOMIC))),
            Map.entry("RoleBinding", root().with("roleRef", ATOMIC)),
            Map.entry("ClusterRoleBinding", root().with("roleRef", ATOMIC)),
            Map.entry(
                    "ValidatingAdmissionPolicy",
                    root().with(
                                    "spec",
                                    granular()
                                            .with("matchConditions", listMap("name"))
                                            .with("variables", listMap("name"))
                                            .with("matchConstraints", MATCH_RESOURCES))),
            Map.entry(
                    "ValidatingAdmissionPolicyBinding",
                    root().with(
                                    "spec",
                                    granular()
                                            .with("matchConditions", listMap("name"))
                                            .with("validationActions", set())
                                            .with("matchResources", MATCH_RESOURCES))),
            Map.entry("ValidatingWebhookConfiguration", root().with("webhooks", WEBHOOKS)),
            Map.entry("MutatingWebhookConfiguration", root().with("webhooks", WEBHOOKS)));

    private static final Node DEFAULT_ROOT = root();

    private MergeSchema() {}

    /** The schema of a whole object of {@code kind}. */
    static Node of(String kind) {
        Node node = kind == null ? null : ROOTS.get(kind);
        return node != null ? node : DEFAULT_ROOT;
    }

    private static Node root() {
        return granular()
                .with("apiVersion", IGNORED)
                .with("kind", IGNORED)
                .with("metadata", OBJECT_META)
                .with("status", STATUS);
    }

    private static Node meta() {
        Node meta = granular().with("ownerReferences", listMap("uid")).with("finalizers", set());
        STRIPPED_METADATA.forEach(field -> meta.with(field, IGNORED));
        return meta;
    }

    private static Node granular() {
        return new Node(Shape.GRANULAR, List.of(), Map.of());
    }

    private static Node set() {
        return new Node(Shape.LIST_SET, List.of(), Map.of());
    }

    private static Node listMap(String... keys) {
        return listMap(Map.of(), keys);
    }

    private static Node listMap(Map<String, Object> keyDefaults, String... keys) {
        return new Node(Shape.LIST_MAP, List.of(keys).stream().sorted().toList(), keyDefaults);
    }
}
