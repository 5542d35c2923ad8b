package io.meridian.placement.domain;

import io.meridian.contracts.resource.Quantities;
import io.meridian.contracts.selector.LabelSelector;
import io.meridian.contracts.selector.LabelSyntax;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a workload may carry to the clusters and how its manifests are stored: the workload kinds inventory admits
 * from placement, each in one apiVersion, named like Kubernetes names them, all in the workload's namespace; never
 * Secrets, RBAC, admission webhooks or cluster-scoped objects. Every check walks the manifests once, with no regular
 * expressions on what callers send; each problem names the field and the object ({@code Kind/name}).
 */
public final class ManifestRules {

    /** The kinds a workload carries, each with the apiVersion it is accepted in (as inventory admits them). */
    public static final Map<String, String> KINDS = kinds();

    /** Why a Secret is refused, and what to use. */
    public static final String SECRET_ADVICE = "Meridian never carries secret data: use an ExternalSecret/SealedSecret"
            + " managed in the cluster, or the cloud's secret store CSI driver, and reference it by name";

    static final String RBAC_ADVICE = "RBAC objects are refused: access goes through identity's grants"
            + " (POST /api/v1/grants on the identity service), whose guard rails decide who may hold what, where";

    static final String ADMISSION_ADVICE = "admission webhooks and admission policies are refused: admission rules"
            + " are the policy service's (a fleet policy with action deny or warn becomes a ValidatingAdmissionPolicy"
            + " on the clusters it applies to)";

    static final Set<String> RBAC_KINDS = Set.of("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");

    static final Set<String> ADMISSION_KINDS = Set.of(
            "ValidatingWebhookConfiguration",
            "MutatingWebhookConfiguration",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
            "MutatingAdmissionPolicy",
            "MutatingAdmissionPolicyBinding");

    // The cluster-scoped kinds people try to ship with an application; anything else off the list is refused as well,
    // with the list of what is accepted.
    static final Set<String> CLUSTER_SCOPED_KINDS = Set.of(
            "Namespace",
            "Node",
            "PersistentVolume",
            "StorageClass",
            "CustomResourceDefinition",
            "PriorityClass",
            "IngressClass",
            "GatewayClass",
            "RuntimeClass",
            "APIService",
            "CSIDriver",
            "CSINode",
            "VolumeAttachment",
            "VolumeSnapshotClass",
            "CertificateSigningRequest",
            "ClusterTrustBundle",
            "FlowSchema",
            "PriorityLevelConfiguration",
            "ClusterIssuer",
            "TokenReview",
            "SubjectAccessReview",
            "SelfSubjectAccessReview",
            "SelfSubjectRulesReview");

    /** Labels and annotations Meridian sets on what it places; a manifest may not set them itself. */
    static final Set<String> RESERVED_KEYS =
            Set.of(Workload.WORKLOAD_LABEL, BundleRenderer.GENERATION_ANNOTATION, "meridian.io/owner");

    // What the API server fills in and `kubectl get -o yaml` shows: dropped on the way in, since another cluster's
    // uid or resourceVersion means nothing on the next.
    private static final List<String> SERVER_SET_METADATA = List.of(
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "managedFields",
            "selfLink");
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    /**
     * Objects every namespace has, made by Kubernetes itself (the token controller, the root CA publisher): declaring
     * one would fight those controllers, and pruning it would break every pod of the namespace.
     */
    static final Set<String> SYSTEM_MANAGED = Set.of("ServiceAccount/default", "ConfigMap/kube-root-ca.crt");

    /** The one capability a container may add: binding a port below 1024 without running as root. */
    static final String ALLOWED_CAPABILITY = "NET_BIND_SERVICE";

    /**
     * The spec fields of a v1.31 StatefulSet that never change once it exists (ValidateStatefulSetUpdate compares all but
     * replicas, ordinals, template, updateStrategy, the PVC retention policy and minReadySeconds), each with the value
     * the API server defaults it to, which counts as not given: spelling a default out is no change.
     */
    private static final Map<String, Object> STATEFUL_SET_FIXED = statefulSetFixed();

    private ManifestRules() {}

    private static Map<String, String> kinds() {
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("Deployment", "apps/v1");
        kinds.put("StatefulSet", "apps/v1");
        kinds.put("Service", "v1");
        kinds.put("ConfigMap", "v1");
        kinds.put("ServiceAccount", "v1");
        kinds.put("HorizontalPodAutoscaler", "autoscaling/v2");
        kinds.put("PodDisruptionBudget", "policy/v1");
        kinds.put("NetworkPolicy", "networking.k8s.io/v1");
        kinds.put("Ingress", "networking.k8s.io/v1");
        return Collections.unmodifiableMap(kinds);
    }

    /** The manifests as placement stores them, and every problem found in them. */
    public record Checked(List<Map<String, Object>> manifests, List<FieldProblem> problems) {}

    /**
     * Checks the manifests of a workload in {@code namespace} and returns them as stored: copies with the namespace
     * filled in where none was given, and without status or what the API server sets in metadata.
     */
    public static Checked check(String namespace, List<Map<String, Object>> manifests) {
        return check(null, namespace, manifests);
    }

    /**
     * The same for the workload named {@code workload}, whose name the renderer stamps on every pod template (a
     * selector may select by it); null when it is not known yet.
     */
    public static Checked check(String workload, String namespace, List<Map<String, Object>> manifests) {
        List<FieldProblem> problems = new ArrayList<>();
        List<Map<String, Object>> normalized = new ArrayList<>(manifests.size());
        Map<String, Integer> seen = new HashMap<>();
        for (Map<String, Object> manifest : manifests) {
            normalized.add(normalize(namespace, manifest));
        }
        Scope scope = new Scope(namespace, workload, serviceAccounts(normalized));
        for (int i = 0; i < normalized.size(); i++) {
            String path = "manifests[" + i + "]";
            Map<String, Object> manifest = normalized.get(i);
            int before = problems.size();
            checkObject(manifest, scope, path, problems);
            if (problems.size() == before) {
                String reference = BundleRenderer.reference(manifest);
                Integer first = seen.putIfAbsent(reference, i);
                if (first != null) {
                    problems.add(new FieldProblem(
                            path + ".metadata.name",
                            reference + ": is declared twice (also manifests[" + first
                                    + "]); each Kind/name once per workload"));
                }
            }
        }
        return new Checked(normalized, problems);
    }

    /**
     * The problems of the overrides of a workload whose checked manifests are {@code manifests}: a patch names one
     * of them and keeps it the same object, and what it makes is a valid manifest; images are image references,
     * replica counts are not negative, and every override sets something.
     */
    public static List<FieldProblem> checkOverrides(
            String namespace, List<Map<String, Object>> manifests, List<WorkloadOverride> overrides) {
        return checkOverrides(null, namespace, manifests, overrides);
    }

    /** The same for the workload named {@code workload} (see {@link #check(String, String, List)}). */
    public static List<FieldProblem> checkOverrides(
            String workload, String namespace, List<Map<String, Object>> manifests, List<WorkloadOverride> overrides) {
        List<FieldProblem> problems = new ArrayList<>();
        Map<String, Map<String, Object>> byReference = new LinkedHashMap<>();
        manifests.forEach(m -> byReference.putIfAbsent(BundleRenderer.reference(m), m));
        boolean hasPods = manifests.stream().anyMatch(m -> BundleRenderer.POD_TEMPLATE_KINDS.contains(m.get("kind")));
        Scope scope = new Scope(namespace, workload, serviceAccounts(manifests));
        for (int i = 0; i < overrides.size(); i++) {
            WorkloadOverride override = overrides.get(i);
            String path = "overrides[" + i + "]";
            if (override.mergePatch() == null && override.image() == null && override.replicas() == null) {
                problems.add(new FieldProblem(
                        path, "sets nothing: give a mergePatch (with the manifest it patches), an image or replicas"));
            }
            Map<String, Object> target = null;
            if (override.manifest() != null) {
                target = byReference.get(override.manifest());
                if (target == null) {
                    problems.add(new FieldProblem(
                            path + ".manifest",
                            "'" + override.manifest() + "' names no manifest of this workload; it has "
                                    + String.join(", ", byReference.keySet())));
                }
                if (override.mergePatch() == null) {
                    problems.add(new FieldProblem(
                            path + ".mergePatch", "is required with manifest: the JSON merge patch to apply to it"));
                }
            } else if (override.mergePatch() != null) {
                problems.add(new FieldProblem(
                        path + ".manifest", "is required with mergePatch: the Kind/name of the manifest it patches"));
            }
            if (target != null && override.mergePatch() != null) {
                checkPatch(scope, target, override.mergePatch(), path + ".mergePatch", problems);
            }
            if (override.image() != null) {
                String problem = ImageReference.problem(override.image());
                if (problem != null) {
                    problems.add(new FieldProblem(path + ".image", "'" + override.image() + "' " + problem));
                } else if (!hasPods) {
                    problems.add(new FieldProblem(
                            path + ".image", "there is no Deployment or StatefulSet whose containers it could set"));
                }
            }
            if (override.replicas() != null) {
                if (override.replicas() < 0) {
                    problems.add(new FieldProblem(path + ".replicas", "must be >= 0"));
                } else if (!hasPods) {
                    problems.add(
                            new FieldProblem(path + ".replicas", "there is no Deployment or StatefulSet to scale"));
                }
            }
        }
        return problems;
    }

    private static void checkPatch(
            Scope scope,
            Map<String, Object> target,
            Map<String, Object> patch,
            String path,
            List<FieldProblem> problems) {
        Map<String, Object> patched = MergePatch.applyTo(target, patch);
        String reference = BundleRenderer.reference(target);
        boolean identityKept = true;
        for (List<String> field : List.of(
                List.of("apiVersion"),
                List.of("kind"),
                List.of("metadata", "name"),
                List.of("metadata", "namespace"))) {
            if (!Objects.equals(at(target, field), at(patched, field))) {
                identityKept = false;
                problems.add(new FieldProblem(
                        path + "." + String.join(".", field),
                        reference + ": an override must not change " + String.join(".", field)
                                + "; it adjusts a manifest, it does not make another one"));
            }
        }
        if (identityKept) {
            // What the patch makes must pass as a manifest too (no owner references, no reserved labels, pods).
            checkObject(patched, scope, path, problems);
            // A field a cluster never lets change stays the manifest's: an override added, changed or dropped later
            // would change it on the clusters it selects, and every one of them would refuse the bundle.
            Map<String, Object> fixed = immutable(target);
            Map<String, Object> patchedFixed = immutable(patched);
            for (String field : changed(fixed, patchedFixed)) {
                problems.add(new FieldProblem(
                        path + "." + field,
                        reference + ": an override must not change " + field + ", which Kubernetes never lets change"
                                + " once the " + target.get("kind") + " exists; set it in the manifest"));
            }
        }
    }

    /**
     * The problems of replacing a workload's checked manifests {@code current} by {@code next}: a Deployment or
     * StatefulSet that keeps its name must keep what Kubernetes never lets change once it exists (a Deployment's
     * selector; a StatefulSet's spec but for its replicas, template, update strategy and a few more). Every cluster
     * running it would refuse the new generation, and the workload would stay at the old one everywhere.
     */
    public static List<FieldProblem> checkChange(List<Map<String, Object>> current, List<Map<String, Object>> next) {
        Map<String, Map<String, Object>> before = new HashMap<>();
        current.forEach(m -> before.putIfAbsent(BundleRenderer.reference(m), m));
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < next.size(); i++) {
            Map<String, Object> manifest = next.get(i);
            String reference = BundleRenderer.reference(manifest);
            Map<String, Object> previous = before.get(reference);
            // Only an object that stays is judged: another apiVersion or namespace makes another object.
            if (previous == null
                    || !Objects.equals(previous.get("apiVersion"), manifest.get("apiVersion"))
                    || !Objects.equals(namespaceOf(previous), namespaceOf(manifest))) {
                continue;
            }
            for (String field : changed(immutable(previous), immutable(manifest))) {
                problems.add(new FieldProblem(
                        "manifests[" + i + "]." + field,
                        reference + ": " + field + " cannot change once the " + manifest.get("kind")
                                + " exists (Kubernetes refuses it on every cluster); keep it, or give the "
                                + manifest.get("kind") + " another name: the old one then leaves the clusters and the"
                                + " new one is created"));
            }
        }
        return problems;
    }

    private static Map<String, Object> statefulSetFixed() {
        Map<String, Object> fixed = new LinkedHashMap<>();
        fixed.put("selector", null);
        fixed.put("serviceName", null);
        fixed.put("volumeClaimTemplates", null);
        fixed.put("podManagementPolicy", "OrderedReady");
        fixed.put("revisionHistoryLimit", 10);
        return Collections.unmodifiableMap(fixed);
    }

    /**
     * What of a manifest can never change once its object exists, by field path: a Deployment's selector, a
     * StatefulSet's {@link #STATEFUL_SET_FIXED} fields. Compared as the API server compares decoded objects: a null, an
     * empty list or map and a field's default are "not given", and a claim template's defaults and status are left
     * out, so that a manifest exported from a cluster ({@code kubectl get -o yaml}) is no change.
     */
    private static Map<String, Object> immutable(Map<String, Object> manifest) {
        Map<String, Object> fixed = new LinkedHashMap<>();
        if (!(manifest.get("spec") instanceof Map<?, ?> spec)) {
            return fixed;
        }
        Object kind = manifest.get("kind");
        if ("Deployment".equals(kind)) {
            fixed.put("spec.selector", given(spec.get("selector")));
        } else if ("StatefulSet".equals(kind)) {
            STATEFUL_SET_FIXED.forEach((field, byDefault) -> {
                Object value =
                        given(field.equals("volumeClaimTemplates") ? claimTemplates(spec.get(field)) : spec.get(field));
                // Numbers compare by value: a YAML 10 and a JSON 10 may be parsed as different types.
                boolean isDefault = byDefault != null
                        && (byDefault.equals(value)
                                || (byDefault instanceof Number d
                                        && value instanceof Number v
                                        && d.longValue() == v.longValue()));
                fixed.put("spec." + field, isDefault ? null : value);
            });
        }
        fixed.values().removeIf(Objects::isNull);
        return fixed;
    }

    /** A value with its nulls, empty lists and empty maps left out, all the way down; null when nothing is left. */
    private static Object given(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> kept = new TreeMap<>();
            map.forEach((key, item) -> {
                Object cleaned = given(item);
                if (cleaned != null) {
                    kept.put(String.valueOf(key), cleaned);
                }
            });
            return kept.isEmpty() ? null : kept;
        }
        if (value instanceof List<?> list) {
            List<Object> kept = new ArrayList<>();
            list.forEach(item -> kept.add(given(item)));
            return kept.isEmpty() ? null : kept;
        }
        return value;
    }

    /** Claim templates without what the API server fills in: their apiVersion and kind, status, volumeMode Filesystem. */
    private static Object claimTemplates(Object templates) {
        if (!(templates instanceof List<?> list)) {
            return templates;
        }
        List<Object> cleaned = new ArrayList<>();
        for (Object template : list) {
            if (!(template instanceof Map<?, ?> claim)) {
                cleaned.add(template);
                continue;
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            claim.forEach((key, value) -> copy.put(String.valueOf(key), value));
            copy.remove("status");
            copy.remove("apiVersion", "v1");
            copy.remove("kind", "PersistentVolumeClaim");
            if (copy.get("spec") instanceof Map<?, ?> spec) {
                Map<String, Object> specCopy = new LinkedHashMap<>();
                spec.forEach((key, value) -> specCopy.put(String.valueOf(key), value));
                specCopy.remove("volumeMode", "Filesystem");
                if (specCopy.get("resources") instanceof Map<?, ?> resources) {
                    specCopy.put("resources", canonicalQuantities(resources));
                }
                copy.put("spec", specCopy);
            }
            cleaned.add(copy);
        }
        return cleaned;
    }

    /**
     * A claim's requests and limits by value, as the API server compares them: {@code 1Gi}, {@code 1024Mi} and
     * {@code 1073741824} are one size, and the server takes the one for the other without a change. What is no
     * quantity stays as written.
     */
    private static Map<String, Object> canonicalQuantities(Map<?, ?> resources) {
        Map<String, Object> out = new LinkedHashMap<>();
        resources.forEach((key, value) -> {
            if (value instanceof Map<?, ?> amounts) {
                Map<String, Object> canonical = new LinkedHashMap<>();
                amounts.forEach((name, amount) -> {
                    java.math.BigDecimal exact = Quantities.resourceListValue(amount);
                    canonical.put(String.valueOf(name), exact == null ? amount : exact);
                });
                out.put(String.valueOf(key), canonical);
            } else {
                out.put(String.valueOf(key), value);
            }
        });
        return out;
    }

    private static Object namespaceOf(Map<String, Object> manifest) {
        return manifest.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("namespace") : null;
    }

    /** The paths whose values differ between two {@link #immutable} views, in a stable order. */
    private static List<String> changed(Map<String, Object> before, Map<String, Object> after) {
        TreeSet<String> paths = new TreeSet<>(before.keySet());
        paths.addAll(after.keySet());
        paths.removeIf(path -> Objects.equals(before.get(path), after.get(path)));
        return List.copyOf(paths);
    }

    private static Object at(Map<String, Object> tree, List<String> path) {
        Object node = tree;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    // ------------------------------------------------------------------ one object

    private static Map<String, Object> normalize(String namespace, Map<String, Object> manifest) {
        Map<String, Object> copy = manifest == null ? new LinkedHashMap<>() : MergePatch.copyMap(manifest);
        copy.remove("status");
        if (copy.get("metadata") instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) m;
            SERVER_SET_METADATA.forEach(metadata::remove);
            if (metadata.get("annotations") instanceof Map<?, ?> annotations) {
                annotations.remove(LAST_APPLIED);
                if (annotations.isEmpty()) {
                    metadata.remove("annotations");
                }
            }
            Object given = metadata.get("namespace");
            if (given == null || "".equals(given)) {
                metadata.put("namespace", namespace);
            }
        }
        return copy;
    }

    /** The names of the ServiceAccounts among {@code manifests}: the only ones their pods may run as. */
    private static Set<String> serviceAccounts(List<Map<String, Object>> manifests) {
        Set<String> names = new HashSet<>();
        for (Map<String, Object> m : manifests) {
            if ("ServiceAccount".equals(m.get("kind"))
                    && m.get("metadata") instanceof Map<?, ?> metadata
                    && metadata.get("name") instanceof String name) {
                names.add(name);
            }
        }
        return names;
    }

    private static void checkObject(Map<String, Object> m, Scope scope, String path, List<FieldProblem> problems) {
        String namespace = scope.namespace();
        Object kindValue = m.get("kind");
        Object apiVersionValue = m.get("apiVersion");
        Object nameValue = m.get("metadata") instanceof Map<?, ?> md ? md.get("name") : null;
        if (!(kindValue instanceof String kind) || kind.isBlank()) {
            problems.add(new FieldProblem(
                    path + ".kind",
                    "is required: each manifest is a Kubernetes object with apiVersion, kind and" + " metadata.name"));
            return;
        }
        String what = kind + "/" + (nameValue instanceof String n ? n : "<no name>");
        if (!(apiVersionValue instanceof String apiVersion) || apiVersion.isBlank()) {
            problems.add(new FieldProblem(path + ".apiVersion", what + ": is required"));
            return;
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String refusal = refusal(kind, group);
        if (refusal != null) {
            problems.add(new FieldProblem(path + ".kind", what + ": " + refusal));
            return;
        }
        String expected = KINDS.get(kind);
        if (!apiVersion.equals(expected)) {
            problems.add(new FieldProblem(
                    path + ".apiVersion",
                    what + ": a " + kind + " is accepted as apiVersion " + expected + ", not " + apiVersion));
        }
        if (!(m.get("metadata") instanceof Map<?, ?> metadata)) {
            problems.add(new FieldProblem(path + ".metadata", what + ": is required, with a name"));
            return;
        }
        checkName(kind, what, metadata, path + ".metadata", problems);
        if (SYSTEM_MANAGED.contains(what)) {
            problems.add(new FieldProblem(
                    path + ".metadata.name",
                    what + ": Kubernetes makes and keeps this object in every namespace itself; give yours another"
                            + " name"));
        }
        Object objectNamespace = metadata.get("namespace");
        if (!Objects.equals(objectNamespace, namespace)) {
            problems.add(new FieldProblem(
                    path + ".metadata.namespace",
                    what + ": is in namespace '" + objectNamespace + "'; every object of a workload is in the"
                            + " workload's namespace '" + namespace + "' (leave metadata.namespace out to get it)"));
        }
        if (metadata.get("ownerReferences") instanceof List<?> owners && !owners.isEmpty()) {
            problems.add(new FieldProblem(
                    path + ".metadata.ownerReferences",
                    what + ": owner references name objects of one cluster; leave them out (Meridian owns what it"
                            + " places by labels)"));
        }
        checkKeys(metadata.get("labels"), path + ".metadata.labels", what, true, problems);
        checkKeys(metadata.get("annotations"), path + ".metadata.annotations", what, false, problems);
        if (BundleRenderer.POD_TEMPLATE_KINDS.contains(kind)) {
            checkPodController(m, what, scope, path, problems);
        } else if (kind.equals("Service")) {
            checkService(m, what, path, problems);
        } else if (kind.equals("Ingress")) {
            checkIngress(metadata, what, path, problems);
        }
    }

    // CVE-2020-8554: a Service's externalIPs (or an ExternalName's DNS target) lets one namespace intercept traffic
    // meant for addresses or names outside it.
    private static void checkService(Map<String, Object> m, String what, String path, List<FieldProblem> problems) {
        if (!(m.get("spec") instanceof Map<?, ?> spec)) {
            return;
        }
        if (spec.get("externalIPs") instanceof List<?> ips && !ips.isEmpty()) {
            problems.add(new FieldProblem(
                    path + ".spec.externalIPs",
                    what + ": externalIPs are refused (they can capture other tenants' traffic, CVE-2020-8554);"
                            + " use type LoadBalancer or an Ingress instead"));
        }
        if ("ExternalName".equals(spec.get("type"))) {
            problems.add(new FieldProblem(
                    path + ".spec.type",
                    what + ": type ExternalName is refused (it can redirect in-cluster names elsewhere);"
                            + " let callers use the external DNS name directly"));
        }
    }

    // CVE-2021-25742: ingress-nginx snippet and auth annotations inject configuration into the shared controller,
    // reading every Secret it can read.
    private static void checkIngress(Map<?, ?> metadata, String what, String path, List<FieldProblem> problems) {
        if (!(metadata.get("annotations") instanceof Map<?, ?> annotations)) {
            return;
        }
        for (Object k : annotations.keySet()) {
            String key = String.valueOf(k);
            if (key.endsWith("-snippet") || key.endsWith("auth-url")) {
                problems.add(new FieldProblem(
                        path + ".metadata.annotations[" + key + "]",
                        what + ": " + key + " is refused (it injects configuration into the shared ingress"
                                + " controller, CVE-2021-25742); express the routing with Ingress rules and put"
                                + " authentication in the application or a sidecar"));
            }
        }
    }

    /** Why a kind is refused whatever its fields, or null when it is one a workload carries. */
    private static String refusal(String kind, String group) {
        if (kind.equals("Secret")) {
            return SECRET_ADVICE;
        }
        if (group.equals("rbac.authorization.k8s.io") || RBAC_KINDS.contains(kind)) {
            return RBAC_ADVICE;
        }
        if (group.equals("admissionregistration.k8s.io") || ADMISSION_KINDS.contains(kind)) {
            return ADMISSION_ADVICE;
        }
        if (CLUSTER_SCOPED_KINDS.contains(kind)) {
            return kind + " is cluster-scoped: a workload holds only namespaced objects, all in its own namespace";
        }
        if (!KINDS.containsKey(kind)) {
            return kind + " is not a kind a workload carries; it carries " + String.join(", ", KINDS.keySet());
        }
        return null;
    }

    private static void checkName(
            String kind, String what, Map<?, ?> metadata, String path, List<FieldProblem> problems) {
        Object name = metadata.get("name");
        if (!(name instanceof String n) || n.isEmpty()) {
            problems.add(new FieldProblem(
                    path + ".name",
                    metadata.get("generateName") != null
                            ? what + ": generateName is not supported: a bundle is applied by name, give metadata.name"
                            : what + ": is required"));
            return;
        }
        if (kind.equals("Service")) {
            // DNS-1035: an RFC 1123 label that starts with a letter.
            if (!LabelSyntax.isDnsLabel(n) || !Character.isLetter(n.charAt(0))) {
                problems.add(new FieldProblem(
                        path + ".name",
                        what + ": a Service name must be a DNS-1035 label: lower-case letters, digits and '-',"
                                + " starting with a letter and ending with a letter or digit, at most 63"));
            }
        } else if (!LabelSyntax.isDnsSubdomain(n)) {
            problems.add(new FieldProblem(
                    path + ".name",
                    what + ": must be an RFC 1123 subdomain: lower-case letters, digits, '-' and '.', starting and"
                            + " ending with a letter or digit, at most 253"));
        }
    }

    private static void checkKeys(Object map, String path, String what, boolean labels, List<FieldProblem> problems) {
        if (map == null) {
            return;
        }
        if (!(map instanceof Map<?, ?> entries)) {
            problems.add(new FieldProblem(path, what + ": must be a map of strings"));
            return;
        }
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String key = String.valueOf(e.getKey());
            String at = path + "[" + key + "]";
            if (RESERVED_KEYS.contains(key)) {
                problems.add(new FieldProblem(at, what + ": " + key + " is set by Meridian; leave it out"));
                continue;
            }
            String keyProblem = LabelSyntax.keyProblem(key);
            if (keyProblem != null) {
                problems.add(new FieldProblem(at, what + ": " + keyProblem));
            } else if (!(e.getValue() instanceof String value)) {
                problems.add(new FieldProblem(at, what + ": the value must be a string (quote it in YAML)"));
            } else if (labels) {
                String valueProblem = LabelSyntax.valueProblem(value);
                if (valueProblem != null) {
                    problems.add(new FieldProblem(at, what + ": " + valueProblem));
                }
            }
        }
    }

    private static void checkPodController(
            Map<String, Object> m, String what, Scope scope, String path, List<FieldProblem> problems) {
        if (!(m.get("spec") instanceof Map<?, ?> spec)) {
            problems.add(new FieldProblem(path + ".spec", what + ": is required, with selector and template"));
            return;
        }
        Object replicas = spec.get("replicas");
        if (replicas != null && !(isWholeNumber(replicas) && ((Number) replicas).longValue() >= 0)) {
            problems.add(new FieldProblem(path + ".spec.replicas", what + ": must be a whole number >= 0"));
        }
        if (!(spec.get("selector") instanceof Map<?, ?>)) {
            problems.add(new FieldProblem(path + ".spec.selector", what + ": is required (apps/v1)"));
        }
        if (!(spec.get("template") instanceof Map<?, ?> template)) {
            problems.add(new FieldProblem(path + ".spec.template", what + ": is required"));
            return;
        }
        if (template.get("metadata") instanceof Map<?, ?> templateMetadata) {
            checkKeys(templateMetadata.get("labels"), path + ".spec.template.metadata.labels", what, true, problems);
        }
        if (spec.get("selector") instanceof Map<?, ?> selector) {
            checkSelects(selector, template, scope.workload(), what, path, problems);
        }
        if (!(template.get("spec") instanceof Map<?, ?> podSpec)
                || !(podSpec.get("containers") instanceof List<?> containers)
                || containers.isEmpty()) {
            problems.add(new FieldProblem(
                    path + ".spec.template.spec.containers", what + ": must list at least one container"));
            return;
        }
        checkPodSecurity(podSpec, what, scope.serviceAccounts(), path + ".spec.template.spec", problems);
        for (String list : List.of("containers", "initContainers")) {
            if (!(podSpec.get(list) instanceof List<?> entries)) {
                continue;
            }
            for (int i = 0; i < entries.size(); i++) {
                String at = path + ".spec.template.spec." + list + "[" + i + "]";
                if (!(entries.get(i) instanceof Map<?, ?> container)) {
                    problems.add(new FieldProblem(at, what + ": must be a container"));
                    continue;
                }
                if (!(container.get("name") instanceof String name) || name.isEmpty()) {
                    problems.add(new FieldProblem(at + ".name", what + ": is required"));
                }
                if (!(container.get("image") instanceof String image) || image.isEmpty()) {
                    problems.add(new FieldProblem(at + ".image", what + ": is required"));
                }
            }
        }
    }

    /**
     * The selector selects the pod template, as the API server requires of apps/v1 (a manifest that fails here would be
     * refused on every cluster): it is not empty, it is well formed (string values, an operator Kubernetes knows, values
     * for In and NotIn only), and it matches the template's labels with those the renderer stamps on every pod
     * template (the workload's label; a selector on it is judged only once the workload's name is known).
     */
    private static void checkSelects(
            Map<?, ?> selector,
            Map<?, ?> template,
            String workload,
            String what,
            String path,
            List<FieldProblem> problems) {
        String at = path + ".spec.selector";
        int before = problems.size();
        Map<String, String> matchLabels = new LinkedHashMap<>();
        if (selector.get("matchLabels") instanceof Map<?, ?> m) {
            m.forEach((key, value) -> {
                if (key instanceof String k && value instanceof String v) {
                    matchLabels.put(k, v);
                } else {
                    problems.add(new FieldProblem(
                            at + ".matchLabels", what + ": keys and values must be strings (quote them in YAML)"));
                }
            });
        }
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        if (selector.get("matchExpressions") instanceof List<?> expressions) {
            for (int i = 0; i < expressions.size(); i++) {
                Map<?, ?> e = expressions.get(i) instanceof Map<?, ?> map ? map : Map.of();
                List<?> values = e.get("values") instanceof List<?> v ? v : List.of();
                if (!(e.get("key") instanceof String || e.get("key") == null)
                        || values.stream().anyMatch(v -> !(v instanceof String))) {
                    problems.add(new FieldProblem(
                            at + ".matchExpressions[" + i + "]",
                            what + ": key and values must be strings (quote them in YAML)"));
                    continue;
                }
                requirements.add(new LabelSelector.Requirement(
                        (String) e.get("key"),
                        e.get("operator") instanceof String op
                                ? LabelSelector.Operator.fromWire(op).orElse(null)
                                : null,
                        values.stream().map(String.class::cast).toList()));
            }
        }
        LabelSelector parsed = new LabelSelector(matchLabels, requirements);
        parsed.problems(at).forEach(p -> problems.add(new FieldProblem(p.field(), what + ": " + p.message())));
        if (problems.size() > before) {
            return;
        }
        if (parsed.isEmpty()) {
            problems.add(new FieldProblem(
                    at,
                    what + ": must select the pod template by matchLabels or matchExpressions (an empty selector"
                            + " is refused for apps/v1)"));
            return;
        }
        Map<String, String> labels = new HashMap<>();
        if (template.get("metadata") instanceof Map<?, ?> metadata && metadata.get("labels") instanceof Map<?, ?> l) {
            l.forEach((key, value) -> labels.put(String.valueOf(key), String.valueOf(value)));
        }
        boolean judgeable = workload != null
                || (!matchLabels.containsKey(Workload.WORKLOAD_LABEL)
                        && requirements.stream().noneMatch(r -> Workload.WORKLOAD_LABEL.equals(r.key())));
        if (workload != null) {
            labels.put(Workload.WORKLOAD_LABEL, workload);
        }
        if (judgeable && !parsed.matches(labels)) {
            problems.add(new FieldProblem(
                    path + ".spec.template.metadata.labels",
                    what + ": the selector " + parsed + " does not select the pod template's labels " + labels
                            + " (a Kubernetes API server refuses such a manifest)"));
        }
    }

    /**
     * What every check of one workload's objects needs: its namespace, its name (null when not known yet) and the
     * ServiceAccounts it declares.
     */
    private record Scope(String namespace, String workload, Set<String> serviceAccounts) {}

    /**
     * What would let a pod out onto its node or into another identity: host namespaces, host paths and ports,
     * privilege, added capabilities, and a service account the workload does not declare. One pass over the pod.
     */
    private static void checkPodSecurity(
            Map<?, ?> podSpec, String what, Set<String> serviceAccounts, String at, List<FieldProblem> problems) {
        for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (Boolean.TRUE.equals(podSpec.get(field))) {
                problems.add(new FieldProblem(
                        at + "." + field,
                        what + ": " + field + " is refused (it shares the node's namespaces with the pod); leave it"
                                + " out and reach other pods through a Service"));
            }
        }
        for (String field : List.of("serviceAccountName", "serviceAccount")) {
            if (podSpec.get(field) instanceof String account
                    && !account.isEmpty()
                    && !account.equals("default")
                    && !serviceAccounts.contains(account)) {
                problems.add(new FieldProblem(
                        at + "." + field,
                        what + ": runs as ServiceAccount '" + account + "', which this workload does not declare;"
                                + " add a ServiceAccount manifest of that name (its access granted through identity)"));
            }
        }
        if (podSpec.get("volumes") instanceof List<?> volumes) {
            for (int i = 0; i < volumes.size(); i++) {
                if (volumes.get(i) instanceof Map<?, ?> volume && volume.get("hostPath") != null) {
                    problems.add(new FieldProblem(
                            at + ".volumes[" + i + "].hostPath",
                            what + ": hostPath volumes are refused (they expose the node's files); use an emptyDir,"
                                    + " a ConfigMap or a PersistentVolumeClaim instead"));
                }
            }
        }
        for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
            if (!(podSpec.get(list) instanceof List<?> entries)) {
                continue;
            }
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i) instanceof Map<?, ?> container) {
                    checkContainerSecurity(container, what, at + "." + list + "[" + i + "]", problems);
                }
            }
        }
    }

    private static void checkContainerSecurity(
            Map<?, ?> container, String what, String at, List<FieldProblem> problems) {
        if (container.get("ports") instanceof List<?> ports) {
            for (int j = 0; j < ports.size(); j++) {
                if (ports.get(j) instanceof Map<?, ?> port
                        && port.get("hostPort") instanceof Number hostPort
                        && hostPort.longValue() != 0) {
                    problems.add(new FieldProblem(
                            at + ".ports[" + j + "].hostPort",
                            what + ": hostPort is refused (it binds a port of the node); expose the port through a"
                                    + " Service instead"));
                }
            }
        }
        if (!(container.get("securityContext") instanceof Map<?, ?> security)) {
            return;
        }
        String sc = at + ".securityContext";
        if (Boolean.TRUE.equals(security.get("privileged"))) {
            problems.add(new FieldProblem(
                    sc + ".privileged",
                    what + ": privileged containers are refused (they own the node); leave privileged out and add"
                            + " only " + ALLOWED_CAPABILITY + " if you bind a low port"));
        }
        if (Boolean.TRUE.equals(security.get("allowPrivilegeEscalation"))) {
            problems.add(new FieldProblem(
                    sc + ".allowPrivilegeEscalation",
                    what + ": allowPrivilegeEscalation true is refused; set it to false or leave it out"));
        }
        if (security.get("capabilities") instanceof Map<?, ?> capabilities
                && capabilities.get("add") instanceof List<?> added) {
            for (int k = 0; k < added.size(); k++) {
                if (!ALLOWED_CAPABILITY.equals(added.get(k))) {
                    problems.add(new FieldProblem(
                            sc + ".capabilities.add[" + k + "]",
                            what + ": capability " + added.get(k) + " is refused; only " + ALLOWED_CAPABILITY
                                    + " may be added (drop the rest, or run the task outside the workload)"));
                }
            }
        }
    }

    private static boolean isWholeNumber(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short;
    }
}
