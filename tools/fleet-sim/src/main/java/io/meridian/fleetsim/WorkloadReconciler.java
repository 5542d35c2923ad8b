package io.meridian.fleetsim;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * What the Deployment and StatefulSet controllers of a kube-controller-manager do, in one step and without surge:
 * make the ReplicaSet of the current pod template (or the ordered pods of a StatefulSet), scale older ReplicaSets to
 * zero, create and delete pods to match {@code spec.replicas}, report readiness as a kubelet would, and write a real
 * status. Level-triggered: it reads everything again on each call and writes only what differs. Not thread-safe;
 * {@link WorkloadControllers} calls it one workload at a time.
 */
final class WorkloadReconciler {

    static final String CONTROLLER_MANAGER = "kube-controller-manager";
    static final String KUBELET = "kubelet";
    static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

    private static final String REVISION = "deployment.kubernetes.io/revision";
    private static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    private static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    private static final String REVISION_HASH = "controller-revision-hash";
    private static final String BROKEN_IMAGE = ":broken";
    private static final ResourceKind POD = ResourceKind.of("Pod");
    private static final ResourceKind NODE = ResourceKind.of("Node");
    private static final ResourceKind REPLICA_SET = ResourceKind.of("ReplicaSet");
    private static final ResourceKind DEPLOYMENT = ResourceKind.of("Deployment");
    private static final ResourceKind STATEFUL_SET = ResourceKind.of("StatefulSet");

    private final ClusterStore store;
    private final ControllerWrites writes;
    private final Clock clock;
    private final SplittableRandom random;

    WorkloadReconciler(ClusterStore store, ControllerWrites writes, Clock clock, long seed) {
        this.store = store;
        this.writes = writes;
        this.clock = clock;
        // Its own stream: controller-made names never disturb how seeded objects were drawn.
        this.random = new SplittableRandom(seed ^ 0x636f6e74726f6cL);
    }

    /**
     * What a reconcile found.
     *
     * @param generation the generation it acted on
     * @param stuck pods exist but will never become ready: the rollout waits for its progress deadline
     * @param progressDeadline {@code spec.progressDeadlineSeconds}
     */
    record Result(long generation, boolean stuck, Duration progressDeadline) {}

    /** Reconciles a Deployment; null when it no longer exists. */
    Result deployment(WorkloadKey key, boolean brokenByControl, boolean deadlineExceeded) {
        String ns = key.namespace();
        GenericKubernetesResource stored = store.get(DEPLOYMENT, ns, key.name());
        if (stored == null) {
            return null;
        }
        Deployment deployment = typed(stored, Deployment.class);
        long generation = generation(deployment.getMetadata());
        int desired = replicas(deployment.getSpec().getReplicas());
        PodTemplateSpec template = deployment.getSpec().getTemplate();
        JsonNode normalized = PodTemplates.normalized(template);
        PodStates.Breakage breakage = breakage(template, brokenByControl);
        Instant now = clock.instant();

        Map<String, String> selected = selectedBy(deployment.getSpec().getSelector(), template);
        List<ReplicaSet> candidates = store.list(REPLICA_SET, ns, selected, ReplicaSet.class);
        List<ReplicaSet> owned = ownedBy(candidates, deployment);
        int maxRevision =
                owned.stream().mapToInt(WorkloadReconciler::revision).max().orElse(0);
        ReplicaSet current = owned.stream()
                .filter(rs ->
                        normalized.equals(PodTemplates.normalized(rs.getSpec().getTemplate())))
                .max(Comparator.comparingInt(WorkloadReconciler::revision))
                .orElse(null);
        if (current == null) {
            // A new ReplicaSet's name must not be any other's in the namespace, whatever its labels.
            List<ReplicaSet> inNamespace =
                    selected.isEmpty() ? candidates : store.list(REPLICA_SET, ns, ReplicaSet.class);
            current = createReplicaSet(deployment, normalized, desired, maxRevision + 1, inNamespace, now);
        } else {
            boolean rollback = revision(current) < maxRevision;
            if (rollback || !Objects.equals(current.getSpec().getReplicas(), desired)) {
                current.getSpec().setReplicas(desired);
                Map<String, String> annotations = new LinkedHashMap<>(
                        Objects.requireNonNullElse(current.getMetadata().getAnnotations(), Map.<String, String>of()));
                if (rollback) {
                    annotations.put(REVISION, String.valueOf(maxRevision + 1));
                }
                if (annotations.containsKey(DESIRED_REPLICAS)) {
                    annotations.put(DESIRED_REPLICAS, String.valueOf(desired));
                    annotations.put(
                            MAX_REPLICAS,
                            String.valueOf(
                                    desired + maxSurge(deployment.getSpec().getStrategy(), desired)));
                }
                current.getMetadata().setAnnotations(annotations);
                current = writes.update(current, CONTROLLER_MANAGER);
            }
        }

        List<Pod> pods = store.list(POD, ns, selected, Pod.class);
        String currentUid = current.getMetadata().getUid();
        for (ReplicaSet old : owned) {
            if (!old.getMetadata().getUid().equals(currentUid)) {
                retire(old, pods);
            }
        }
        List<Pod> running = syncReplicaSetPods(current, podsOf(pods, "ReplicaSet", current), desired, breakage, now);
        int ready = (int) running.stream().filter(PodStates::isReady).count();
        current = writeReplicaSetStatus(current, running.size(), ready);

        String revision = String.valueOf(revision(current));
        Map<String, String> annotations = stored.getMetadata().getAnnotations();
        if (annotations == null || !revision.equals(annotations.get(REVISION))) {
            stored.getMetadata().setAnnotations(new LinkedHashMap<>(annotations == null ? Map.of() : annotations));
            stored.getMetadata().getAnnotations().put(REVISION, revision);
            stored = writes.update(stored, CONTROLLER_MANAGER);
        }

        boolean stuck = breakage != null && desired > 0;
        WorkloadStatus.Rollout rollout = rollout(running.size(), ready, desired, stuck, deadlineExceeded);
        WorkloadStatus.Observation observation = new WorkloadStatus.Observation(
                generation,
                desired,
                desired - maxUnavailable(deployment.getSpec().getStrategy(), desired),
                running.size(),
                running.size(),
                ready,
                "ReplicaSet \"" + current.getMetadata().getName() + "\"",
                rollout);
        Map<String, Object> previous = status(stored);
        writeStatus(stored, previous, WorkloadStatus.deployment(observation, previous, now));
        return new Result(
                generation,
                stuck && rollout != WorkloadStatus.Rollout.COMPLETE,
                Duration.ofSeconds(progressDeadline(deployment.getSpec().getProgressDeadlineSeconds())));
    }

    /** Reconciles a StatefulSet: pods {@code <name>-0..n-1}, replaced when their revision is outdated. */
    Result statefulSet(WorkloadKey key, boolean brokenByControl, boolean deadlineExceeded) {
        String ns = key.namespace();
        GenericKubernetesResource stored = store.get(STATEFUL_SET, ns, key.name());
        if (stored == null) {
            return null;
        }
        StatefulSet set = typed(stored, StatefulSet.class);
        long generation = generation(set.getMetadata());
        int desired = replicas(set.getSpec().getReplicas());
        PodTemplateSpec template = set.getSpec().getTemplate();
        PodStates.Breakage breakage = breakage(template, brokenByControl);
        String updateRevision = key.name() + "-" + PodTemplates.hash(PodTemplates.normalized(template), 0);
        Instant now = clock.instant();

        Map<Integer, Pod> byOrdinal = new HashMap<>();
        // Every pod of the namespace: a pod named for an ordinal may be there whatever its labels.
        for (Pod pod : podsOf(store.list(POD, ns, Pod.class), "StatefulSet", set)) {
            int ordinal = ordinal(pod.getMetadata().getName(), key.name());
            if (ordinal < 0 || ordinal >= desired || byOrdinal.containsKey(ordinal)) {
                writes.delete(POD, ns, pod.getMetadata().getName());
            } else {
                byOrdinal.put(ordinal, pod);
            }
        }
        List<Node> nodes = null;
        List<Pod> running = new ArrayList<>();
        for (int i = 0; i < desired; i++) {
            Pod pod = byOrdinal.get(i);
            String revision = pod == null ? null : label(pod.getMetadata(), REVISION_HASH);
            // Seeded pods carry no revision: they are adopted as current rather than replaced.
            if (pod != null && revision != null && !revision.equals(updateRevision)) {
                writes.delete(POD, ns, pod.getMetadata().getName());
                pod = null;
            }
            if (pod == null) {
                nodes = nodes == null ? placeable() : nodes;
                pod = createStatefulSetPod(set, template, i, updateRevision, breakage, pick(nodes), now);
            } else {
                pod = settleReadiness(pod, breakage, now);
            }
            running.add(pod);
        }
        int ready = (int) running.stream().filter(PodStates::isReady).count();

        boolean stuck = breakage != null && desired > 0;
        WorkloadStatus.Rollout rollout = rollout(running.size(), ready, desired, stuck, deadlineExceeded);
        Map<String, Object> previous = status(stored);
        String currentRevision = rollout == WorkloadStatus.Rollout.COMPLETE
                        || !(previous.get("currentRevision") instanceof String before)
                ? updateRevision
                : before;
        WorkloadStatus.Observation observation = new WorkloadStatus.Observation(
                generation,
                desired,
                desired,
                running.size(),
                running.size(),
                ready,
                "StatefulSet \"" + key.name() + "\"",
                rollout);
        writeStatus(
                stored,
                previous,
                WorkloadStatus.statefulSet(observation, currentRevision, updateRevision, previous, now));
        return new Result(
                generation,
                stuck && rollout != WorkloadStatus.Rollout.COMPLETE,
                Duration.ofSeconds(DEFAULT_PROGRESS_DEADLINE_SECONDS));
    }

    /** What the garbage collector does after a workload is deleted: its ReplicaSets and pods go too. */
    void collect(WorkloadChange.Deleted deleted) {
        String ns = deleted.key().namespace();
        if (deleted.uid() == null) {
            return;
        }
        List<Pod> pods = store.list(POD, ns, Pod.class);
        List<HasMetadata> owners = new ArrayList<>();
        if (deleted.key().kind() == WorkloadKey.Kind.DEPLOYMENT) {
            owners.addAll(store.list(REPLICA_SET, ns, ReplicaSet.class).stream()
                    .filter(rs -> ownerUid(rs.getMetadata(), "Deployment").equals(deleted.uid()))
                    .toList());
        }
        String ownerKind = deleted.key().kind() == WorkloadKey.Kind.DEPLOYMENT ? "ReplicaSet" : "StatefulSet";
        Set<String> ownerUids = new HashSet<>();
        owners.forEach(o -> ownerUids.add(o.getMetadata().getUid()));
        if (deleted.key().kind() == WorkloadKey.Kind.STATEFULSET) {
            ownerUids.add(deleted.uid());
        }
        for (Pod pod : pods) {
            if (ownerUids.contains(ownerUid(pod.getMetadata(), ownerKind))) {
                writes.delete(POD, ns, pod.getMetadata().getName());
            }
        }
        for (HasMetadata owner : owners) {
            writes.delete(REPLICA_SET, ns, owner.getMetadata().getName());
        }
    }

    /**
     * Rewrites the status of every Deployment and StatefulSet with a newer heartbeat on its Progressing condition.
     *
     * @return how many statuses were written
     */
    int heartbeat() {
        Instant now = clock.instant();
        // Only a status without conditions yet (a seeded one) needs its ReplicaSet's name: list them once, if at all.
        Map<String, String> newest = null;
        int written = 0;
        for (WorkloadKey.Kind kind : WorkloadKey.Kind.values()) {
            for (GenericKubernetesResource object : store.list(kind.resource(), null)) {
                Map<String, Object> status = status(object);
                Map<String, Object> spec = map(object.getAdditionalProperties().get("spec"));
                int desired = spec.get("replicas") instanceof Number n ? n.intValue() : 1;
                String name = object.getMetadata().getName();
                String subject = "StatefulSet \"" + name + "\"";
                if (kind == WorkloadKey.Kind.DEPLOYMENT) {
                    if (newest == null && !(status.get("conditions") instanceof List<?> c && !c.isEmpty())) {
                        newest = newestReplicaSets();
                    }
                    String replicaSet = newest == null
                            ? null
                            : newest.get(object.getMetadata().getUid());
                    subject = "ReplicaSet \"" + (replicaSet == null ? name : replicaSet) + "\"";
                }
                object.getAdditionalProperties()
                        .put("status", WorkloadStatus.heartbeat(status, kind.kind(), desired, subject, now));
                try {
                    writes.updateStatus(object, CONTROLLER_MANAGER);
                    written++;
                } catch (ClusterStore.StoreException e) {
                    // Changed or deleted meanwhile: the next beat catches it.
                }
            }
        }
        return written;
    }

    /** The name of each Deployment's newest ReplicaSet, by the Deployment's UID. */
    private Map<String, String> newestReplicaSets() {
        Map<String, ReplicaSet> newest = new HashMap<>();
        for (ReplicaSet rs : store.list(REPLICA_SET, null, ReplicaSet.class)) {
            String owner = ownerUid(rs.getMetadata(), "Deployment");
            if (!owner.isEmpty()) {
                newest.merge(owner, rs, (a, b) -> revision(a) >= revision(b) ? a : b);
            }
        }
        Map<String, String> names = new HashMap<>();
        newest.forEach((owner, rs) -> names.put(owner, rs.getMetadata().getName()));
        return names;
    }

    // ---- Deployments ------------------------------------------------------------------------------------

    private ReplicaSet createReplicaSet(
            Deployment deployment,
            JsonNode normalized,
            int desired,
            int revision,
            List<ReplicaSet> inNamespace,
            Instant now) {
        String name = deployment.getMetadata().getName();
        Set<String> taken = new HashSet<>();
        inNamespace.forEach(rs -> taken.add(rs.getMetadata().getName()));
        String hash = PodTemplates.hash(normalized, 0);
        for (int collisions = 1; taken.contains(name + "-" + hash); collisions++) {
            hash = PodTemplates.hash(normalized, collisions);
        }
        PodTemplateSpec template = new PodTemplateSpecBuilder(
                        deployment.getSpec().getTemplate())
                .editOrNewMetadata()
                .addToLabels(PodTemplates.HASH_LABEL, hash)
                .endMetadata()
                .build();
        LabelSelector selector = new LabelSelectorBuilder(
                        deployment.getSpec().getSelector() == null
                                ? new LabelSelector()
                                : deployment.getSpec().getSelector())
                .addToMatchLabels(PodTemplates.HASH_LABEL, hash)
                .build();
        ReplicaSet replicaSet = new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(name + "-" + hash)
                .withNamespace(deployment.getMetadata().getNamespace())
                .withUid(ClusterContents.uuid(random).toString())
                .withCreationTimestamp(ClusterContents.iso(now))
                .withLabels(template.getMetadata().getLabels())
                .addToAnnotations(REVISION, String.valueOf(revision))
                .addToAnnotations(DESIRED_REPLICAS, String.valueOf(desired))
                .addToAnnotations(
                        MAX_REPLICAS,
                        String.valueOf(desired + maxSurge(deployment.getSpec().getStrategy(), desired)))
                .withOwnerReferences(controllerRef("Deployment", deployment.getMetadata()))
                .endMetadata()
                .withNewSpec()
                .withReplicas(desired)
                .withSelector(selector)
                .withTemplate(template)
                .endSpec()
                .build();
        return writes.create(replicaSet, CONTROLLER_MANAGER);
    }

    /** An old ReplicaSet: no pods, zero replicas (the simulator rolls out at once, without surge). */
    private void retire(ReplicaSet old, List<Pod> pods) {
        String ns = old.getMetadata().getNamespace();
        for (Pod pod : podsOf(pods, "ReplicaSet", old)) {
            writes.delete(POD, ns, pod.getMetadata().getName());
        }
        boolean scaled = Objects.equals(old.getSpec().getReplicas(), 0);
        boolean empty = old.getStatus() == null || replicas(old.getStatus().getReplicas()) == 0;
        if (scaled && empty) {
            return;
        }
        ReplicaSet updated = old;
        if (!scaled) {
            old.getSpec().setReplicas(0);
            updated = writes.update(old, CONTROLLER_MANAGER);
        }
        writeReplicaSetStatus(updated, 0, 0);
    }

    private List<Pod> syncReplicaSetPods(
            ReplicaSet replicaSet, List<Pod> existing, int desired, PodStates.Breakage breakage, Instant now) {
        List<Pod> pods = new ArrayList<>(existing);
        // As the ReplicaSet controller ranks them: unready pods go first, then the youngest.
        pods.sort(Comparator.comparing((Pod p) -> PodStates.isReady(p))
                .thenComparing(
                        p -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), ""),
                        Comparator.reverseOrder()));
        while (pods.size() > desired) {
            Pod victim = pods.removeFirst();
            writes.delete(
                    POD,
                    victim.getMetadata().getNamespace(),
                    victim.getMetadata().getName());
        }
        List<Pod> result = new ArrayList<>();
        for (Pod pod : pods) {
            result.add(settleReadiness(pod, breakage, now));
        }
        List<Node> nodes = result.size() < desired ? placeable() : List.of();
        String prefix = replicaSet.getMetadata().getName() + "-";
        while (result.size() < desired) {
            Pod pod = ClusterContents.newPod(
                    replicaSet.getSpec().getTemplate(),
                    replicaSet.getMetadata().getNamespace(),
                    prefix + ClusterContents.suffix(random, 5),
                    controllerRef("ReplicaSet", replicaSet.getMetadata()),
                    pick(nodes),
                    0,
                    now,
                    random);
            pod.getMetadata().setGenerateName(prefix);
            result.add(createPod(pod, breakage, now));
        }
        return result;
    }

    private ReplicaSet writeReplicaSetStatus(ReplicaSet replicaSet, int replicas, int ready) {
        ReplicaSetStatus status = new ReplicaSetStatusBuilder()
                .withReplicas(replicas)
                .withFullyLabeledReplicas(replicas > 0 ? replicas : null)
                .withReadyReplicas(ready > 0 ? ready : null)
                .withAvailableReplicas(ready > 0 ? ready : null)
                .withObservedGeneration(generation(replicaSet.getMetadata()))
                .build();
        if (status.equals(replicaSet.getStatus())) {
            return replicaSet;
        }
        replicaSet.setStatus(status);
        return writes.updateStatus(replicaSet, CONTROLLER_MANAGER);
    }

    // ---- StatefulSets -----------------------------------------------------------------------------------

    private Pod createStatefulSetPod(
            StatefulSet set,
            PodTemplateSpec template,
            int ordinal,
            String revision,
            PodStates.Breakage breakage,
            Node node,
            Instant now) {
        String name = set.getMetadata().getName() + "-" + ordinal;
        List<Volume> claims = new ArrayList<>();
        List<PersistentVolumeClaim> claimTemplates = set.getSpec().getVolumeClaimTemplates();
        for (PersistentVolumeClaim claim : claimTemplates == null ? List.<PersistentVolumeClaim>of() : claimTemplates) {
            String volume = claim.getMetadata().getName();
            claims.add(new VolumeBuilder()
                    .withName(volume)
                    .withNewPersistentVolumeClaim()
                    .withClaimName(volume + "-" + name)
                    .endPersistentVolumeClaim()
                    .build());
        }
        PodTemplateSpec podTemplate = new PodTemplateSpecBuilder(template)
                .editOrNewMetadata()
                .addToLabels(REVISION_HASH, revision)
                .addToLabels("statefulset.kubernetes.io/pod-name", name)
                .addToLabels("apps.kubernetes.io/pod-index", String.valueOf(ordinal))
                .endMetadata()
                .editOrNewSpec()
                .withHostname(name)
                .withSubdomain(set.getSpec().getServiceName())
                .addAllToVolumes(claims)
                .endSpec()
                .build();
        Pod pod = ClusterContents.newPod(
                podTemplate,
                set.getMetadata().getNamespace(),
                name,
                controllerRef("StatefulSet", set.getMetadata()),
                node,
                0,
                now,
                random);
        return createPod(pod, breakage, now);
    }

    private static int ordinal(String podName, String setName) {
        if (!podName.startsWith(setName + "-")) {
            return -1;
        }
        try {
            return Integer.parseInt(podName.substring(setName.length() + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- pods -------------------------------------------------------------------------------------------

    /** Creates a pod as its controller does (no status), then reports its status as its kubelet does. */
    private Pod createPod(Pod pod, PodStates.Breakage breakage, Instant now) {
        if (breakage != null) {
            PodStates.unready(pod, breakage, now);
        }
        var status = pod.getStatus();
        pod.setStatus(null);
        Pod created = writes.create(pod, CONTROLLER_MANAGER);
        created.setStatus(status);
        return writes.updateStatus(created, KUBELET);
    }

    /** The pod as its kubelet reports it: ready unless its workload is broken. */
    private Pod settleReadiness(Pod pod, PodStates.Breakage breakage, Instant now) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return pod;
        }
        boolean ready = PodStates.isReady(pod);
        if (ready == (breakage == null)) {
            return pod;
        }
        if (breakage == null) {
            PodStates.ready(pod, now);
        } else {
            PodStates.unready(pod, breakage, now);
        }
        return writes.updateStatus(pod, KUBELET);
    }

    /** Worker nodes to place pods on, made placeable; a virtual one when the cluster has no nodes at all. */
    private List<Node> placeable() {
        List<Node> nodes = store.list(NODE, null, Node.class);
        List<Node> workers = nodes.stream()
                .filter(n -> n.getMetadata().getLabels() == null
                        || !(n.getMetadata().getLabels().containsKey("node-role.meridian.io/system")
                                || n.getMetadata().getLabels().containsKey("node-role.kubernetes.io/control-plane")))
                .toList();
        List<Node> candidates = workers.isEmpty() ? nodes : workers;
        if (candidates.isEmpty()) {
            candidates = List.of(new NodeBuilder()
                    .withNewMetadata()
                    .withName("sim-node-1")
                    .endMetadata()
                    .build());
        }
        List<Node> result = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            result.add(withAddresses(candidates.get(i), i));
        }
        return result;
    }

    /** A node as {@link ClusterContents#newPod} needs it: with an internal IP and a pod CIDR (tests' nodes lack them). */
    private static Node withAddresses(Node node, int index) {
        boolean hasCidr = node.getSpec() != null && node.getSpec().getPodCIDR() != null;
        boolean hasAddress = node.getStatus() != null
                && node.getStatus().getAddresses() != null
                && !node.getStatus().getAddresses().isEmpty();
        if (hasCidr && hasAddress) {
            return node;
        }
        NodeBuilder copy = new NodeBuilder(node);
        if (!hasCidr) {
            copy.editOrNewSpec()
                    .withPodCIDR("10.244." + (index % 250) + ".0/24")
                    .endSpec();
        }
        if (!hasAddress) {
            copy.editOrNewStatus()
                    .addNewAddress()
                    .withType("InternalIP")
                    .withAddress("10.0." + (index / 200) + "." + (10 + index % 200))
                    .endAddress()
                    .endStatus();
        }
        return copy.build();
    }

    private Node pick(List<Node> nodes) {
        return nodes.get(random.nextInt(nodes.size()));
    }

    private static List<Pod> podsOf(List<Pod> pods, String ownerKind, HasMetadata owner) {
        return pods.stream()
                .filter(p -> controlledBy(p.getMetadata(), ownerKind, owner.getMetadata()))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    // ---- shared -----------------------------------------------------------------------------------------

    private void writeStatus(GenericKubernetesResource stored, Map<String, Object> previous, Map<String, Object> next) {
        if (sameJson(previous, next)) {
            return;
        }
        stored.getAdditionalProperties().put("status", next);
        writes.updateStatus(stored, CONTROLLER_MANAGER);
    }

    private static WorkloadStatus.Rollout rollout(
            int replicas, int ready, int desired, boolean stuck, boolean deadlineExceeded) {
        if (replicas == desired && ready >= desired) {
            return WorkloadStatus.Rollout.COMPLETE;
        }
        return stuck && deadlineExceeded
                ? WorkloadStatus.Rollout.DEADLINE_EXCEEDED
                : WorkloadStatus.Rollout.PROGRESSING;
    }

    /**
     * The labels a Deployment's ReplicaSets and pods are listed by: its selector's {@code matchLabels}, as the
     * controllers of a kube-controller-manager list by selector. Only when the pod template carries all of them (every
     * object made from it then does) and the selector has no expressions; otherwise none, and everything in the
     * namespace is listed (the owner references decide either way).
     */
    static Map<String, String> selectedBy(LabelSelector selector, PodTemplateSpec template) {
        if (selector == null
                || selector.getMatchLabels() == null
                || selector.getMatchLabels().isEmpty()
                || (selector.getMatchExpressions() != null
                        && !selector.getMatchExpressions().isEmpty())
                || template == null
                || template.getMetadata() == null
                || template.getMetadata().getLabels() == null) {
            return Map.of();
        }
        Map<String, String> labels = template.getMetadata().getLabels();
        for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
            if (e.getKey() == null || e.getValue() == null || !e.getValue().equals(labels.get(e.getKey()))) {
                return Map.of();
            }
        }
        return Map.copyOf(selector.getMatchLabels());
    }

    private static List<ReplicaSet> ownedBy(List<ReplicaSet> replicaSets, Deployment deployment) {
        return replicaSets.stream()
                .filter(rs -> controlledBy(rs.getMetadata(), "Deployment", deployment.getMetadata()))
                .toList();
    }

    private static String revisionOf(ObjectMeta meta) {
        return meta.getAnnotations() == null ? null : meta.getAnnotations().get(REVISION);
    }

    /** Why this template's pods never become ready, or null when they do. */
    static PodStates.Breakage breakage(PodTemplateSpec template, boolean brokenByControl) {
        if (template != null && template.getSpec() != null) {
            List<Container> containers = Stream.concat(
                            Objects.requireNonNullElse(template.getSpec().getContainers(), List.<Container>of())
                                    .stream(),
                            Objects.requireNonNullElse(template.getSpec().getInitContainers(), List.<Container>of())
                                    .stream())
                    .toList();
            if (containers.stream()
                    .anyMatch(c -> c.getImage() != null && c.getImage().contains(BROKEN_IMAGE))) {
                return PodStates.Breakage.IMAGE_PULL;
            }
        }
        return brokenByControl ? PodStates.Breakage.CRASH_LOOP : null;
    }

    /** How many replicas a rolling update may take down: {@code maxUnavailable} (25% by default, rounded down). */
    static int maxUnavailable(DeploymentStrategy strategy, int desired) {
        if (strategy != null && "Recreate".equals(strategy.getType())) {
            return 0;
        }
        IntOrString value = strategy == null || strategy.getRollingUpdate() == null
                ? null
                : strategy.getRollingUpdate().getMaxUnavailable();
        return Math.min(desired, scaled(value, desired, false));
    }

    private static int maxSurge(DeploymentStrategy strategy, int desired) {
        if (strategy != null && "Recreate".equals(strategy.getType())) {
            return 0;
        }
        IntOrString value = strategy == null || strategy.getRollingUpdate() == null
                ? null
                : strategy.getRollingUpdate().getMaxSurge();
        return scaled(value, desired, true);
    }

    private static int scaled(IntOrString value, int desired, boolean roundUp) {
        if (value != null && value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value == null || value.getStrVal() == null ? "25%" : value.getStrVal();
        int percent;
        try {
            percent = Integer.parseInt(text.replace("%", "").trim());
        } catch (NumberFormatException e) {
            percent = 25;
        }
        return roundUp ? (desired * percent + 99) / 100 : desired * percent / 100;
    }

    private static int progressDeadline(Integer seconds) {
        return seconds == null || seconds <= 0 ? DEFAULT_PROGRESS_DEADLINE_SECONDS : seconds;
    }

    private static OwnerReference controllerRef(String kind, ObjectMeta owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion("apps/v1")
                .withKind(kind)
                .withName(owner.getName())
                .withUid(owner.getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private static boolean controlledBy(ObjectMeta object, String kind, ObjectMeta owner) {
        if (object.getOwnerReferences() == null) {
            return false;
        }
        return object.getOwnerReferences().stream()
                .anyMatch(o -> kind.equals(o.getKind())
                        && (o.getUid() != null && owner.getUid() != null
                                ? o.getUid().equals(owner.getUid())
                                : Objects.equals(o.getName(), owner.getName())));
    }

    private static String ownerUid(ObjectMeta object, String kind) {
        if (object.getOwnerReferences() == null) {
            return "";
        }
        return object.getOwnerReferences().stream()
                .filter(o -> kind.equals(o.getKind()) && o.getUid() != null)
                .map(OwnerReference::getUid)
                .findFirst()
                .orElse("");
    }

    private static int revision(ReplicaSet rs) {
        String value = rs.getMetadata().getAnnotations() == null
                ? null
                : rs.getMetadata().getAnnotations().get(REVISION);
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String label(ObjectMeta meta, String key) {
        return meta.getLabels() == null ? null : meta.getLabels().get(key);
    }

    private static long generation(ObjectMeta meta) {
        return meta.getGeneration() == null ? 1 : meta.getGeneration();
    }

    private static int replicas(Integer replicas) {
        return replicas == null ? 1 : replicas;
    }

    private static Map<String, Object> status(GenericKubernetesResource object) {
        return map(object.getAdditionalProperties().get("status"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
    }

    private static boolean sameJson(Object a, Object b) {
        try {
            var mapper = Serialization.jsonMapper();
            return mapper.readTree(mapper.writeValueAsBytes(a)).equals(mapper.readTree(mapper.writeValueAsBytes(b)));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static <T> T typed(GenericKubernetesResource object, Class<T> type) {
        return Serialization.jsonMapper().convertValue(object, type);
    }
}
