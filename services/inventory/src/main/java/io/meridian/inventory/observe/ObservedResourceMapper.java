package io.meridian.inventory.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.meridian.contracts.resource.Container;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.PolicyRule;
import io.meridian.contracts.resource.Rbac;
import io.meridian.contracts.resource.ResourceAmounts;
import io.meridian.contracts.resource.RoleRef;
import io.meridian.contracts.resource.StatusSummary;
import io.meridian.contracts.resource.Storage;
import io.meridian.contracts.resource.Subject;
import io.meridian.contracts.resource.WorkloadRef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Trims a Kubernetes object read from a cluster to the {@link ObservedResource} that other services consume.
 *
 * <p>Literal values of containers' environment variables often are secrets (passwords, API keys), and every
 * consumer of {@code fleet.resources.v1} would read them: outside the namespaces configured to reveal them, each
 * non-empty {@code env[].value} of any container list of the manifest ({@code containers}, {@code initContainers},
 * {@code ephemeralContainers}, in Pods, Pod templates and custom resources alike) becomes {@link #REDACTED}. Names
 * and {@code valueFrom} references stay, so rules on variable names keep working.
 */
public final class ObservedResourceMapper {

    /** Annotation values above this size (UTF-8 bytes) are dropped: consumers never need blobs. */
    public static final int MAX_ANNOTATION_BYTES = 4 * 1024;

    /** What a literal environment variable value is published as, outside the revealed namespaces. */
    public static final String REDACTED = "<redacted>";

    private static final Set<String> CONTAINER_LISTS = Set.of("containers", "initContainers", "ephemeralContainers");

    private static final ObjectMapper MANIFEST_MAPPER = new ObjectMapper();
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final String POD_TEMPLATE_HASH = "pod-template-hash";
    private static final String LEGACY_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";

    // A ReplicaSet of a Deployment is named <deployment>-<pod-template-hash>; the hash is a uint32 encoded
    // with the alphabet of apimachinery's rand.SafeEncodeString (no vowels, no 0/1/3).
    private static final Pattern TEMPLATE_HASH_SUFFIX = Pattern.compile("-[bcdfghjklmnpqrstvwxz2456789]{5,10}$");
    // A Job of a CronJob is named <cronjob>-<scheduled time in minutes since the epoch>: 8 digits or more since
    // 1989, which keeps a hand-made "migrate-2" Job from being mistaken for a CronJob's.
    private static final Pattern CRONJOB_SCHEDULE_SUFFIX = Pattern.compile("-[0-9]{8,}$");

    private final Set<String> revealEnvValuesIn;

    /** A mapper that redacts environment variable values in every namespace. */
    public ObservedResourceMapper() {
        this(Set.of());
    }

    /** A mapper that publishes literal environment variable values of the given namespaces only. */
    public ObservedResourceMapper(Collection<String> revealEnvValuesIn) {
        this.revealEnvValuesIn = Set.copyOf(revealEnvValuesIn);
    }

    /** The record key of an observed object on {@code fleet.resources.v1}; the same as {@link ObservedResource#key()}. */
    public static String key(ObservedResource resource) {
        return resource.key();
    }

    /**
     * Maps one object as observed on cluster {@code clusterId} during resync epoch {@code resyncEpoch}.
     *
     * <p>In the status summary, {@code replicas} is the desired count (spec, or the nodes a DaemonSet should run
     * on) and {@code ready} means all of them are ready; a Pod's {@code restarts} sums its regular containers;
     * a Service's type and a Namespace's, PersistentVolume's or claim's phase go into {@code phase}. Only regular
     * containers are listed, not init containers. Kinds this mapper does not know keep their metadata, plus
     * {@code status.phase} and {@code status.conditions} when read as generic resources.
     */
    public ObservedResource map(String clusterId, HasMetadata object, long resyncEpoch, Instant observedAt) {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(observedAt, "observedAt");
        ObjectMeta metadata = Objects.requireNonNull(object.getMetadata(), "object.metadata");
        Map<String, String> labels = withoutNullValues(metadata.getLabels());
        KindDetails details = details(object);
        return new ObservedResource(
                clusterId,
                apiGroup(object.getApiVersion()),
                object.getApiVersion(),
                object.getKind(),
                metadata.getNamespace(),
                metadata.getName(),
                metadata.getUid(),
                metadata.getResourceVersion(),
                labels,
                annotations(metadata.getAnnotations()),
                owner(metadata.getOwnerReferences(), labels),
                details.nodeName(),
                details.containers(),
                details.rbac(),
                details.storage(),
                details.status(),
                observedAt,
                resyncEpoch,
                manifest(
                        object,
                        metadata.getNamespace() != null && revealEnvValuesIn.contains(metadata.getNamespace())));
    }

    /** {@link #manifest(HasMetadata, boolean)} with environment variable values redacted. */
    static Map<String, Object> manifest(HasMetadata object) {
        return manifest(object, false);
    }

    /**
     * The whole object for consumers that evaluate rules over it (policy): without managed fields, the
     * last-applied annotation (it repeats the spec, env values included), oversized annotations, or any Secret
     * payload, which never leaves inventory; literal environment variable values redacted unless revealed.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> manifest(HasMetadata object, boolean revealEnvValues) {
        Map<String, Object> manifest = MANIFEST_MAPPER.convertValue(object, Map.class);
        if (manifest.get("metadata") instanceof Map<?, ?> rawMetadata) {
            Map<String, Object> metadata = (Map<String, Object>) rawMetadata;
            metadata.remove("managedFields");
            if (metadata.get("annotations") instanceof Map<?, ?> rawAnnotations) {
                metadata.put("annotations", annotations((Map<String, String>) rawAnnotations));
            }
        }
        if ("Secret".equals(object.getKind())) {
            manifest.remove("data");
            manifest.remove("stringData");
        }
        if (!revealEnvValues) {
            redactEnvValues(manifest);
        }
        return manifest;
    }

    /**
     * Walks the whole manifest rather than the known Pod template paths, so that workloads of custom resources
     * (a Rollout, a Knative Service) are covered too.
     */
    @SuppressWarnings("unchecked")
    private static void redactEnvValues(Object node) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (CONTAINER_LISTS.contains(entry.getKey()) && entry.getValue() instanceof List<?> containers) {
                    for (Object container : containers) {
                        if (container instanceof Map<?, ?> c && c.get("env") instanceof List<?> env) {
                            for (Object variable : env) {
                                if (variable instanceof Map<?, ?> v
                                        && v.get("value") instanceof String value
                                        && !value.isEmpty()) {
                                    ((Map<String, Object>) v).put("value", REDACTED);
                                }
                            }
                        }
                    }
                }
                redactEnvValues(entry.getValue());
            }
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                redactEnvValues(item);
            }
        }
    }

    /** What a kind adds to the common metadata. */
    private record KindDetails(
            List<Container> containers, String nodeName, Rbac rbac, Storage storage, StatusSummary status) {

        static KindDetails ofStatus(StatusSummary status) {
            return new KindDetails(List.of(), null, null, null, status);
        }

        static KindDetails ofWorkload(PodTemplateSpec template, StatusSummary status) {
            PodSpec spec = template == null ? null : template.getSpec();
            return new KindDetails(containersOf(spec), null, null, null, status);
        }
    }

    private static KindDetails details(HasMetadata object) {
        return switch (object) {
            case Pod pod ->
                new KindDetails(
                        containersOf(pod.getSpec()),
                        pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
                        null,
                        null,
                        podStatus(pod));
            case Deployment deployment ->
                KindDetails.ofWorkload(
                        deployment.getSpec() == null
                                ? null
                                : deployment.getSpec().getTemplate(),
                        deploymentStatus(deployment));
            case StatefulSet statefulSet ->
                KindDetails.ofWorkload(
                        statefulSet.getSpec() == null
                                ? null
                                : statefulSet.getSpec().getTemplate(),
                        statefulSetStatus(statefulSet));
            case DaemonSet daemonSet ->
                KindDetails.ofWorkload(
                        daemonSet.getSpec() == null ? null : daemonSet.getSpec().getTemplate(),
                        daemonSetStatus(daemonSet));
            case ReplicaSet replicaSet ->
                KindDetails.ofWorkload(
                        replicaSet.getSpec() == null
                                ? null
                                : replicaSet.getSpec().getTemplate(),
                        replicaSetStatus(replicaSet));
            case Job job ->
                KindDetails.ofWorkload(
                        job.getSpec() == null ? null : job.getSpec().getTemplate(),
                        job.getStatus() == null
                                ? StatusSummary.EMPTY
                                : conditionsOnly(conditions(
                                        job.getStatus().getConditions(), c -> c.getType(), c -> c.getStatus())));
            case CronJob cronJob ->
                KindDetails.ofWorkload(
                        Optional.ofNullable(cronJob.getSpec())
                                .map(spec -> spec.getJobTemplate())
                                .map(template -> template.getSpec())
                                .map(spec -> spec.getTemplate())
                                .orElse(null),
                        StatusSummary.EMPTY);
            case Node node -> KindDetails.ofStatus(nodeStatus(node));
            case Namespace namespace ->
                KindDetails.ofStatus(phaseOnly(
                        namespace.getStatus() == null
                                ? null
                                : namespace.getStatus().getPhase()));
            case Service service -> KindDetails.ofStatus(phaseOnly(serviceType(service)));
            case PersistentVolume volume ->
                new KindDetails(
                        List.of(),
                        null,
                        null,
                        volumeStorage(volume),
                        phaseOnly(
                                volume.getStatus() == null
                                        ? null
                                        : volume.getStatus().getPhase()));
            case PersistentVolumeClaim claim ->
                new KindDetails(List.of(), null, null, claimStorage(claim), claimStatus(claim));
            case Role role ->
                new KindDetails(
                        List.of(), null, new Rbac(null, List.of(), rules(role.getRules())), null, StatusSummary.EMPTY);
            case ClusterRole role ->
                new KindDetails(
                        List.of(), null, new Rbac(null, List.of(), rules(role.getRules())), null, StatusSummary.EMPTY);
            case RoleBinding binding ->
                new KindDetails(
                        List.of(),
                        null,
                        new Rbac(roleRef(binding.getRoleRef()), subjects(binding.getSubjects()), List.of()),
                        null,
                        StatusSummary.EMPTY);
            case ClusterRoleBinding binding ->
                new KindDetails(
                        List.of(),
                        null,
                        new Rbac(roleRef(binding.getRoleRef()), subjects(binding.getSubjects()), List.of()),
                        null,
                        StatusSummary.EMPTY);
            case GenericKubernetesResource generic -> KindDetails.ofStatus(genericStatus(generic));
            // Other typed kinds (a StorageClass, a ConfigMap, ...) carry nothing beyond their metadata.
            default -> KindDetails.ofStatus(StatusSummary.EMPTY);
        };
    }

    // ---- common metadata

    private static String apiGroup(String apiVersion) {
        if (apiVersion == null) {
            return "";
        }
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private static Map<String, String> annotations(Map<String, String> annotations) {
        Map<String, String> kept = new LinkedHashMap<>();
        orEmpty(annotations).forEach((key, value) -> {
            if (!LAST_APPLIED.equals(key)
                    && value != null
                    && value.getBytes(StandardCharsets.UTF_8).length <= MAX_ANNOTATION_BYTES) {
                kept.put(key, value);
            }
        });
        return kept;
    }

    private static WorkloadRef owner(List<OwnerReference> references, Map<String, String> labels) {
        if (references == null || references.isEmpty()) {
            return null;
        }
        OwnerReference reference = references.stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()))
                .findFirst()
                .orElse(references.getFirst());
        String kind = reference.getKind();
        String name = reference.getName();
        if ("ReplicaSet".equals(kind) && name != null) {
            String templateHash = labels.get(POD_TEMPLATE_HASH);
            if (templateHash != null && !templateHash.isEmpty() && name.endsWith("-" + templateHash)) {
                return new WorkloadRef("Deployment", name.substring(0, name.length() - templateHash.length() - 1));
            }
            if (templateHash == null && TEMPLATE_HASH_SUFFIX.matcher(name).find()) {
                return new WorkloadRef(
                        "Deployment", TEMPLATE_HASH_SUFFIX.matcher(name).replaceFirst(""));
            }
        }
        if ("Job".equals(kind)
                && name != null
                && CRONJOB_SCHEDULE_SUFFIX.matcher(name).find()) {
            return new WorkloadRef(
                    "CronJob", CRONJOB_SCHEDULE_SUFFIX.matcher(name).replaceFirst(""));
        }
        return new WorkloadRef(kind, name);
    }

    // ---- containers

    private static List<Container> containersOf(PodSpec spec) {
        if (spec == null || spec.getContainers() == null) {
            return List.of();
        }
        return spec.getContainers().stream()
                .map(c -> new Container(
                        c.getName(),
                        c.getImage(),
                        amounts(c.getResources(), ResourceRequirements::getRequests),
                        amounts(c.getResources(), ResourceRequirements::getLimits)))
                .toList();
    }

    private static ResourceAmounts amounts(
            ResourceRequirements resources, Function<ResourceRequirements, Map<String, Quantity>> which) {
        Map<String, Quantity> amounts = resources == null ? null : which.apply(resources);
        if (amounts == null || amounts.isEmpty()) {
            return ResourceAmounts.NONE;
        }
        Long cpu = quantity(amounts.get("cpu"))
                .map(KubernetesQuantity::millisRoundedUp)
                .orElse(null);
        Long memory = quantity(amounts.get("memory"))
                .map(KubernetesQuantity::unitsRoundedUp)
                .orElse(null);
        return new ResourceAmounts(cpu, memory);
    }

    /**
     * An unreadable quantity is reported as not set: the API server validates quantities of built-in kinds, and
     * one odd field must not keep the whole object out of the fleet's view.
     */
    private static Optional<KubernetesQuantity> quantity(Quantity quantity) {
        if (quantity == null) {
            return Optional.empty();
        }
        try {
            KubernetesQuantity parsed = KubernetesQuantity.of(quantity);
            parsed.unitsRoundedUp(); // out of range of a long: treat as unreadable too
            return Optional.of(parsed);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    // ---- status

    private static StatusSummary podStatus(Pod pod) {
        var status = pod.getStatus();
        if (status == null) {
            return StatusSummary.EMPTY;
        }
        Map<String, String> conditions = conditions(status.getConditions(), c -> c.getType(), c -> c.getStatus());
        int restarts = status.getContainerStatuses() == null
                ? 0
                : status.getContainerStatuses().stream()
                        .mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount())
                        .sum();
        return new StatusSummary(
                status.getPhase(), "True".equals(conditions.get("Ready")), null, null, restarts, conditions);
    }

    private static StatusSummary deploymentStatus(Deployment deployment) {
        // Desired replicas come from spec (the API server defaults them to 1), ready ones from status, as in
        // kubectl's READY column; status.replicas also counts surge Pods of a rollout.
        int desired = deployment.getSpec() == null || deployment.getSpec().getReplicas() == null
                ? 1
                : deployment.getSpec().getReplicas();
        var status = deployment.getStatus();
        int ready = status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
        Map<String, String> conditions =
                status == null ? Map.of() : conditions(status.getConditions(), c -> c.getType(), c -> c.getStatus());
        return new StatusSummary(null, ready >= desired, desired, ready, null, conditions);
    }

    private static StatusSummary statefulSetStatus(StatefulSet statefulSet) {
        int desired = statefulSet.getSpec() == null || statefulSet.getSpec().getReplicas() == null
                ? 1
                : statefulSet.getSpec().getReplicas();
        var status = statefulSet.getStatus();
        int ready = status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
        Map<String, String> conditions =
                status == null ? Map.of() : conditions(status.getConditions(), c -> c.getType(), c -> c.getStatus());
        return new StatusSummary(null, ready >= desired, desired, ready, null, conditions);
    }

    private static StatusSummary replicaSetStatus(ReplicaSet replicaSet) {
        int desired = replicaSet.getSpec() == null || replicaSet.getSpec().getReplicas() == null
                ? 1
                : replicaSet.getSpec().getReplicas();
        var status = replicaSet.getStatus();
        int ready = status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
        Map<String, String> conditions =
                status == null ? Map.of() : conditions(status.getConditions(), c -> c.getType(), c -> c.getStatus());
        return new StatusSummary(null, ready >= desired, desired, ready, null, conditions);
    }

    private static StatusSummary daemonSetStatus(DaemonSet daemonSet) {
        // A DaemonSet has no replica count of its own: the controller decides how many nodes should run it.
        var status = daemonSet.getStatus();
        if (status == null) {
            return StatusSummary.EMPTY;
        }
        int desired = status.getDesiredNumberScheduled() == null ? 0 : status.getDesiredNumberScheduled();
        int ready = status.getNumberReady() == null ? 0 : status.getNumberReady();
        Map<String, String> conditions = conditions(status.getConditions(), c -> c.getType(), c -> c.getStatus());
        return new StatusSummary(null, ready >= desired, desired, ready, null, conditions);
    }

    private static StatusSummary nodeStatus(Node node) {
        var status = node.getStatus();
        if (status == null) {
            return StatusSummary.EMPTY;
        }
        Map<String, String> conditions = conditions(status.getConditions(), c -> c.getType(), c -> c.getStatus());
        return new StatusSummary(null, "True".equals(conditions.get("Ready")), null, null, null, conditions);
    }

    private static String serviceType(Service service) {
        String type = service.getSpec() == null ? null : service.getSpec().getType();
        return type == null ? "ClusterIP" : type; // the API server's default
    }

    private static StatusSummary claimStatus(PersistentVolumeClaim claim) {
        var status = claim.getStatus();
        if (status == null) {
            return StatusSummary.EMPTY;
        }
        return new StatusSummary(
                status.getPhase(),
                null,
                null,
                null,
                null,
                conditions(status.getConditions(), c -> c.getType(), c -> c.getStatus()));
    }

    /** Any kind: {@code status.phase} and the Kubernetes-style {@code status.conditions}, where present. */
    private static StatusSummary genericStatus(GenericKubernetesResource generic) {
        if (!(generic.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
            return StatusSummary.EMPTY;
        }
        String phase = status.get("phase") instanceof String value ? value : null;
        List<Map<?, ?>> conditions = status.get("conditions") instanceof List<?> list
                ? list.stream()
                        .filter(Map.class::isInstance)
                        .<Map<?, ?>>map(Map.class::cast)
                        .toList()
                : List.of();
        return new StatusSummary(
                phase,
                null,
                null,
                null,
                null,
                conditions(
                        conditions,
                        c -> c.get("type") instanceof String type ? type : null,
                        c -> c.get("status") instanceof String value ? value : null));
    }

    private static StatusSummary phaseOnly(String phase) {
        return phase == null ? StatusSummary.EMPTY : new StatusSummary(phase, null, null, null, null, Map.of());
    }

    private static StatusSummary conditionsOnly(Map<String, String> conditions) {
        return new StatusSummary(null, null, null, null, null, conditions);
    }

    private static <C> Map<String, String> conditions(
            List<C> conditions, Function<C, String> type, Function<C, String> status) {
        Map<String, String> byType = new LinkedHashMap<>();
        if (conditions != null) {
            for (C condition : conditions) {
                if (type.apply(condition) != null && status.apply(condition) != null) {
                    byType.put(type.apply(condition), status.apply(condition));
                }
            }
        }
        return byType;
    }

    // ---- storage

    private static Storage volumeStorage(PersistentVolume volume) {
        var spec = volume.getSpec();
        if (spec == null) {
            return new Storage(legacyStorageClass(volume), null, List.of());
        }
        String storageClass =
                spec.getStorageClassName() != null ? spec.getStorageClassName() : legacyStorageClass(volume);
        Long capacity = spec.getCapacity() == null
                ? null
                : quantity(spec.getCapacity().get("storage"))
                        .map(KubernetesQuantity::unitsRoundedUp)
                        .orElse(null);
        return new Storage(storageClass, capacity, spec.getAccessModes());
    }

    private static Storage claimStorage(PersistentVolumeClaim claim) {
        // A bound claim reports what it got (may exceed the request); an unbound one only what it asks for.
        var spec = claim.getSpec();
        var status = claim.getStatus();
        String storageClass = spec != null && spec.getStorageClassName() != null
                ? spec.getStorageClassName()
                : legacyStorageClass(claim);
        Long capacity = Optional.ofNullable(status)
                .map(s -> s.getCapacity())
                .flatMap(c -> quantity(c.get("storage")))
                .or(() -> Optional.ofNullable(spec)
                        .map(s -> s.getResources())
                        .map(r -> r.getRequests())
                        .flatMap(r -> quantity(r.get("storage"))))
                .map(KubernetesQuantity::unitsRoundedUp)
                .orElse(null);
        List<String> accessModes = status != null
                        && status.getAccessModes() != null
                        && !status.getAccessModes().isEmpty()
                ? status.getAccessModes()
                : spec == null ? List.of() : spec.getAccessModes();
        return new Storage(storageClass, capacity, accessModes);
    }

    private static String legacyStorageClass(HasMetadata object) {
        return orEmpty(object.getMetadata().getAnnotations()).get(LEGACY_STORAGE_CLASS);
    }

    // ---- RBAC

    private static List<PolicyRule> rules(List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules) {
        if (rules == null) {
            return List.of();
        }
        return rules.stream()
                .map(r -> new PolicyRule(
                        r.getApiGroups(), r.getResources(), r.getVerbs(), r.getResourceNames(), r.getNonResourceURLs()))
                .toList();
    }

    private static RoleRef roleRef(io.fabric8.kubernetes.api.model.rbac.RoleRef roleRef) {
        return roleRef == null ? null : new RoleRef(roleRef.getKind(), roleRef.getName());
    }

    private static List<Subject> subjects(List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects) {
        if (subjects == null) {
            return List.of();
        }
        // The namespace of a User or Group subject means nothing to the API server; only keep it where it does.
        return subjects.stream()
                .map(s -> new Subject(
                        s.getKind(), s.getName(), "ServiceAccount".equals(s.getKind()) ? s.getNamespace() : null))
                .toList();
    }

    private static Map<String, String> withoutNullValues(Map<String, String> map) {
        Map<String, String> kept = new LinkedHashMap<>();
        orEmpty(map).forEach((key, value) -> {
            if (key != null && value != null) {
                kept.put(key, value);
            }
        });
        return kept;
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
