package io.meridian.placement.reconcile;

import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.cluster.Condition;
import io.meridian.contracts.cluster.ConditionStatus;
import io.meridian.contracts.resource.Container;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.Quantities;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.contracts.selector.SelectableLabels;
import io.meridian.placement.domain.Assignment;
import io.meridian.placement.domain.BundleRenderer;
import io.meridian.placement.domain.ClusterFacts;
import io.meridian.placement.domain.ClusterHealth;
import io.meridian.placement.domain.ClusterObservation;
import io.meridian.placement.domain.ClusterRates;
import io.meridian.placement.domain.FleetView;
import io.meridian.placement.domain.PodRequests;
import io.meridian.placement.domain.Resources;
import io.meridian.placement.domain.Workload;
import io.meridian.placement.domain.WorkloadDemand;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * The fleet as placement sees it, kept in memory from the compacted streams every replica reads whole on start:
 * clusters and their health from {@code fleet.clusters.v1}, capacity (node allocatable, the requests of the pods
 * bound to nodes) and the Deployments and StatefulSets of placed workloads from {@code fleet.resources.v1}, and
 * each cluster's rates from {@code fleet.cost.v1}.
 *
 * <p>Capacity is summed incrementally: each node and pod keeps only its last contribution, so an update or a deletion
 * adjusts the cluster's sums without keeping the objects. Every change answers which workloads it may affect, for
 * the reconciler to look at them again. Thread-safe: the stream consumers and the reconcilers call it concurrently.
 */
@ApplicationScoped
public class FleetViewCache {

    // 2^45: 32 TiB of memory or 35 million cores in one object; 2^18 such objects on a cluster still sum in a long.
    private static final long OBSERVED_BOUND = 1L << 45;

    private static final String GPU_SUFFIX = WorkloadDemand.GPU_SUFFIX;

    private final Clock clock;
    // Guarded by this.
    private final Map<String, ClusterState> clusters = new HashMap<>();

    FleetViewCache(Clock clock) {
        this.clock = clock;
    }

    // ------------------------------------------------------------------ what a change affects

    /** Which workloads a change may affect. */
    public sealed interface Affected {

        /** Nothing placement acts on changed. */
        record Nothing() implements Affected {}

        /** A cluster changed: any workload may move. */
        record AllWorkloads() implements Affected {}

        /** Objects of these workloads changed. */
        record Workloads(Set<String> names) implements Affected {
            public Workloads {
                names = Set.copyOf(names);
            }
        }

        Affected NOTHING = new Nothing();
        Affected ALL = new AllWorkloads();

        static Affected workload(String name) {
            return new Workloads(Set.of(name));
        }
    }

    // ------------------------------------------------------------------ the cluster stream

    /** A cluster as {@code fleet.clusters.v1} last described it. */
    public synchronized Affected cluster(ClusterSnapshot snapshot) {
        if (snapshot.phase() == ClusterPhase.Deregistered) {
            return clusterGone(snapshot.clusterId());
        }
        ClusterState state = clusters.computeIfAbsent(snapshot.clusterId(), this::unregistered);
        Registration before = state.registration;
        ClusterHealth health = health(snapshot.phase());
        Instant since = healthSince(snapshot, health);
        if (since == null) {
            // No condition tells since when: what was known stays; a change starts when inventory observed it, since
            // this consumer may read the snapshot long after (catching up after a restart), and only then now.
            since = before != null && before.health() == health
                    ? before.healthSince()
                    : snapshot.observedAt() != null ? snapshot.observedAt() : clock.instant();
        }
        Registration after = new Registration(
                snapshot.name() == null ? snapshot.clusterId() : snapshot.name(),
                SelectableLabels.of(snapshot),
                health,
                since);
        state.registration = after;
        state.unregisteredSince = null;
        return after.equals(before) ? Affected.NOTHING : Affected.ALL;
    }

    /** A cluster the resource or cost stream names before (or after) the cluster stream registers it. */
    private ClusterState unregistered(String clusterId) {
        ClusterState state = new ClusterState(clusterId);
        state.unregisteredSince = clock.instant();
        return state;
    }

    /**
     * Forgets what the streams said of clusters that have not been registered since before {@code before}: a cluster
     * that left the fleet, whose objects or rates were read after its deregistration (the streams are not ordered
     * with each other, and a replay reads them all again), would otherwise be kept forever. A registered cluster is
     * never forgotten here; its deregistration forgets it at once. Returns the ids forgotten.
     */
    public synchronized Set<String> forgetUnregistered(Instant before) {
        Set<String> forgotten = new TreeSet<>();
        clusters.values().removeIf(state -> {
            boolean stale = state.registration == null
                    && state.unregisteredSince != null
                    && state.unregisteredSince.isBefore(before);
            if (stale) {
                forgotten.add(state.clusterId);
            }
            return stale;
        });
        return forgotten;
    }

    /** The cluster left the fleet: it is forgotten with everything observed on it. */
    public synchronized Affected clusterGone(String clusterId) {
        ClusterState gone = clusters.remove(clusterId);
        return gone == null || gone.registration == null ? Affected.NOTHING : Affected.ALL;
    }

    private static ClusterHealth health(ClusterPhase phase) {
        return switch (phase) {
            case Ready -> ClusterHealth.READY;
            case Unreachable -> ClusterHealth.UNREACHABLE;
            case Pending, Connecting, Degraded, Deregistered -> ClusterHealth.NOT_READY;
        };
    }

    /**
     * Unreachable is judged by the Reachable condition, the others by Ready: each flips exactly when the health does. A
     * condition whose status does not match the health (a Ready=True left over while inventory reconnects) says
     * nothing about since when, or the grace of a cluster that just turned not Ready would count from its last
     * Ready flip, long ago.
     */
    private static Instant healthSince(ClusterSnapshot snapshot, ClusterHealth health) {
        String type = health == ClusterHealth.UNREACHABLE ? "Reachable" : "Ready";
        boolean positive = health == ClusterHealth.READY;
        return snapshot.conditions().stream()
                .filter(c -> type.equals(c.type()))
                .filter(c -> (c.status() == ConditionStatus.True) == positive)
                .map(Condition::lastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    // ------------------------------------------------------------------ the resource stream

    /** An object as inventory last observed it; kinds placement does not use are ignored. */
    public synchronized Affected observed(ObservedResource r) {
        Tracked now = switch (r.kind()) {
            case "Node" -> node(r);
            case "Pod" -> pod(r);
            case "Deployment", "StatefulSet" -> placedWorkload(r);
            default -> null;
        };
        if (now instanceof Capacity c && c.amount().equals(Resources.NONE)) {
            now = null; // an ended pod, a cordoned node: nothing to remember but that its share is gone
        }
        String key = r.key();
        ClusterState state =
                now == null ? clusters.get(r.clusterId()) : clusters.computeIfAbsent(r.clusterId(), this::unregistered);
        if (state == null) {
            return Affected.NOTHING;
        }
        Tracked before = now == null ? state.remove(key) : state.put(key, now);
        return affected(state, before, now);
    }

    /** A tombstone on {@code fleet.resources.v1}; the key is {@code clusterId/group/kind/namespace/name}. */
    public synchronized Affected deleted(String recordKey) {
        int slash = recordKey.indexOf('/');
        ClusterState state = slash <= 0 ? null : clusters.get(recordKey.substring(0, slash));
        if (state == null) {
            return Affected.NOTHING;
        }
        return affected(state, state.remove(recordKey), null);
    }

    /**
     * A completed relist of a cluster: what an older epoch confirmed last is gone, unless its kind could not be listed
     * (then it stays as it was).
     */
    public synchronized Affected resyncCompleted(ResyncMarker completed) {
        ClusterState state = clusters.get(completed.clusterId());
        if (state == null) {
            return Affected.NOTHING;
        }
        List<String> stale = new ArrayList<>();
        state.objects.forEach((key, tracked) -> {
            if (completed.removesKey(key, tracked.epoch())) {
                stale.add(key);
            }
        });
        Affected result = Affected.NOTHING;
        for (String key : stale) {
            result = merge(result, affected(state, state.remove(key), null));
        }
        return result;
    }

    private static Affected affected(ClusterState state, Tracked before, Tracked now) {
        if (before instanceof PlacedObject b && now instanceof PlacedObject n) {
            if (b.sameStatus(n)) {
                return Affected.NOTHING;
            }
            return b.workload().equals(n.workload())
                    ? Affected.workload(n.workload())
                    : new Affected.Workloads(Set.of(b.workload(), n.workload()));
        }
        if (before instanceof PlacedObject b) {
            return Affected.workload(b.workload());
        }
        if (now instanceof PlacedObject n) {
            return Affected.workload(n.workload());
        }
        // Capacity: a node coming or going changes what fits anywhere; the churn of pods is left to the resync.
        boolean nodeChanged = (before instanceof Capacity b && b.node() && !b.sameAmount(now))
                || (now instanceof Capacity n && n.node() && !n.sameAmount(before));
        return nodeChanged && state.registration != null ? Affected.ALL : Affected.NOTHING;
    }

    private static Affected merge(Affected a, Affected b) {
        if (a instanceof Affected.AllWorkloads || b instanceof Affected.AllWorkloads) {
            return Affected.ALL;
        }
        if (a instanceof Affected.Nothing) {
            return b;
        }
        if (b instanceof Affected.Nothing) {
            return a;
        }
        Set<String> names = new HashSet<>(((Affected.Workloads) a).names());
        names.addAll(((Affected.Workloads) b).names());
        return new Affected.Workloads(names);
    }

    // ------------------------------------------------------------------ the cost stream

    /** A cluster's rates as cost published them; null forgets them (a tombstone). */
    public synchronized Affected rates(String clusterId, ClusterRates rates) {
        ClusterState state =
                rates == null ? clusters.get(clusterId) : clusters.computeIfAbsent(clusterId, this::unregistered);
        if (state == null || Objects.equals(state.rates, rates)) {
            return Affected.NOTHING;
        }
        state.rates = rates;
        return state.registration == null ? Affected.NOTHING : Affected.ALL;
    }

    // ------------------------------------------------------------------ reading

    /** Every registered cluster with its health, capacity and rates. */
    public synchronized FleetView fleet() {
        List<ClusterFacts> facts = new ArrayList<>(clusters.size());
        for (ClusterState state : clusters.values()) {
            Registration reg = state.registration;
            if (reg == null) {
                continue;
            }
            facts.add(new ClusterFacts(
                    state.clusterId,
                    reg.name(),
                    reg.labels(),
                    reg.health(),
                    reg.healthSince(),
                    state.allocatable,
                    state.requested,
                    state.rates));
        }
        return FleetView.of(facts);
    }

    /**
     * A workload on one cluster as the fleet shows it: available when every expected Deployment and StatefulSet
     * ({@code Kind/name}) is there at {@code generation}, its controller saw its spec, and all its replicas are
     * available; otherwise the Kubernetes condition that says why (ProgressDeadlineExceeded wins) and since when.
     * The applied generation is not the cache's to know: the caller passes it.
     *
     * @param expected the {@code Kind/name} of the workload's Deployments and StatefulSets; none: available once
     *     applied
     */
    public synchronized ClusterObservation observation(
            String workload,
            String namespace,
            String clusterId,
            long generation,
            Collection<String> expected,
            long appliedGeneration) {
        if (expected.isEmpty()) {
            return new ClusterObservation(clusterId, appliedGeneration, appliedGeneration >= generation, null, null);
        }
        ClusterState state = clusters.get(clusterId);
        Map<String, PlacedObject> found = new HashMap<>();
        if (state != null) {
            for (String key : state.placedKeys(namespace, workload)) {
                if (state.objects.get(key) instanceof PlacedObject p) {
                    found.put(p.kind() + "/" + p.name(), p);
                }
            }
        }
        boolean available = true;
        String condition = null;
        Instant since = null;
        for (String kindName : expected) {
            PlacedObject p = found.get(kindName);
            if (p == null || p.workloadGeneration() != generation) {
                available = false; // not there yet, or still at another generation: nothing is wrong with it yet
                continue;
            }
            if (p.available()) {
                continue;
            }
            available = false;
            if (p.condition() != null && (condition == null || PROGRESS_DEADLINE_EXCEEDED.equals(p.condition()))) {
                condition = p.condition();
            }
            if (p.unavailableSince() != null
                    && (since == null || p.unavailableSince().isBefore(since))) {
                since = p.unavailableSince();
            }
        }
        return available
                ? new ClusterObservation(clusterId, appliedGeneration, true, null, null)
                : new ClusterObservation(clusterId, appliedGeneration, false, condition, since);
    }

    /**
     * The observation of a workload on every cluster it is assigned to: see {@link #observation}.
     *
     * @param applied the workload generation inventory reported applied, by cluster (absent: none)
     * @param expectedAt the {@code Kind/name} of the Deployments and StatefulSets of a generation
     */
    public Map<String, ClusterObservation> observations(
            String workload,
            String namespace,
            Map<String, Assignment> assignments,
            Map<String, Long> applied,
            LongFunction<Collection<String>> expectedAt) {
        Map<String, ClusterObservation> observed = new HashMap<>();
        assignments.forEach((clusterId, a) -> observed.put(
                clusterId,
                observation(
                        workload,
                        namespace,
                        clusterId,
                        a.generation(),
                        expectedAt.apply(a.generation()),
                        applied.getOrDefault(clusterId, 0L))));
        return observed;
    }

    /** Clusters the view holds anything of, registered or not: what {@link #forgetUnregistered} keeps in bounds. */
    synchronized Set<String> heldClusterIds() {
        return new TreeSet<>(clusters.keySet());
    }

    /** Clusters known, registered or not: for metrics and logs. */
    public synchronized int clusterCount() {
        return (int)
                clusters.values().stream().filter(c -> c.registration != null).count();
    }

    // ------------------------------------------------------------------ per cluster

    /** How a cluster is registered, reduced to what placement acts on. */
    private record Registration(String name, SelectableLabels labels, ClusterHealth health, Instant healthSince) {}

    /** One observed object's share of the cluster's state, with the resync epoch that last confirmed it. */
    private sealed interface Tracked {
        long epoch();
    }

    /** A node's allocatable ({@code node}) or a pod's requests: what it adds to the cluster's sums. */
    private record Capacity(boolean node, Resources amount, long epoch) implements Tracked {

        // What one object reports comes from a cluster, not from us: bounded, so that sums over a cluster's objects
        // can never leave the range of a long (Resources refuses to wrap) however absurd one object's figures are.
        Capacity {
            amount = Resources.bounded(amount, OBSERVED_BOUND);
        }

        boolean sameAmount(Tracked other) {
            return other instanceof Capacity c && c.node == node && c.amount.equals(amount);
        }
    }

    /** A Deployment or StatefulSet placement put there, reduced to its health at the generation it carries. */
    private record PlacedObject(
            String workload,
            String namespace,
            String kind,
            String name,
            long workloadGeneration,
            boolean available,
            String condition,
            Instant unavailableSince,
            long epoch)
            implements Tracked {

        boolean sameStatus(PlacedObject o) {
            return workload.equals(o.workload)
                    && workloadGeneration == o.workloadGeneration
                    && available == o.available
                    && Objects.equals(condition, o.condition)
                    && Objects.equals(unavailableSince, o.unavailableSince);
        }
    }

    /** One cluster: its registration, capacity sums, rates, and what its objects contribute. */
    private static final class ClusterState {
        final String clusterId;
        Registration registration;
        // Since when the streams name this cluster without a registration; null while it is registered.
        Instant unregisteredSince;
        ClusterRates rates;
        Resources allocatable = Resources.NONE;
        Resources requested = Resources.NONE;
        final Map<String, Tracked> objects = new HashMap<>();
        // An index of the objects map: the placed objects' keys by namespace/workload.
        final Map<String, Set<String>> placedByWorkload = new HashMap<>();

        ClusterState(String clusterId) {
            this.clusterId = clusterId;
        }

        Tracked put(String key, Tracked now) {
            Tracked before = objects.put(key, now);
            unaccount(key, before);
            account(key, now);
            return before;
        }

        Tracked remove(String key) {
            Tracked before = objects.remove(key);
            unaccount(key, before);
            return before;
        }

        Set<String> placedKeys(String namespace, String workload) {
            return placedByWorkload.getOrDefault(namespace + "/" + workload, Set.of());
        }

        private void account(String key, Tracked t) {
            switch (t) {
                case Capacity c when c.node() -> allocatable = allocatable.plus(c.amount());
                case Capacity c -> requested = requested.plus(c.amount());
                case PlacedObject p ->
                    placedByWorkload
                            .computeIfAbsent(p.namespace() + "/" + p.workload(), k -> new HashSet<>())
                            .add(key);
            }
        }

        private void unaccount(String key, Tracked t) {
            switch (t) {
                case null -> {}
                case Capacity c when c.node() -> allocatable = allocatable.minus(c.amount());
                case Capacity c -> requested = requested.minus(c.amount());
                case PlacedObject p -> {
                    String index = p.namespace() + "/" + p.workload();
                    Set<String> keys = placedByWorkload.get(index);
                    if (keys != null && keys.remove(key) && keys.isEmpty()) {
                        placedByWorkload.remove(index);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ reading observed objects

    /** The Kubernetes reason that wins over every other: the new pods gave up progressing. */
    static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

    /**
     * A node's allocatable CPU, memory and GPUs, when the scheduler may place pods on it: a cordoned or not-Ready
     * node offers nothing.
     */
    static Tracked node(ObservedResource r) {
        Map<String, Object> object = r.object();
        boolean cordoned = Boolean.TRUE.equals(map(object, "spec").get("unschedulable"));
        boolean notReady = "False".equals(r.status().conditions().get("Ready"));
        if (cordoned || notReady) {
            return new Capacity(true, Resources.NONE, r.resyncEpoch());
        }
        Map<String, Object> allocatable = map(map(object, "status"), "allocatable");
        long gpus = 0;
        for (Map.Entry<String, Object> e : allocatable.entrySet()) {
            if (e.getKey().endsWith(GPU_SUFFIX)) {
                gpus += Quantities.units(e.getValue()).orElse(0);
            }
        }
        return new Capacity(
                true,
                new Resources(
                        Quantities.millis(allocatable.get("cpu")).orElse(0),
                        Quantities.units(allocatable.get("memory")).orElse(0),
                        gpus),
                r.resyncEpoch());
    }

    /**
     * What a pod takes from its node, as the Kubernetes scheduler counts it ({@link PodRequests}): the app containers'
     * requests as inventory summarised them, the init containers, sidecars and overhead from the manifest; nothing once
     * it ended or while no node is bound. What a cluster reports is not refused: an unreadable quantity counts as none,
     * and each container's figures are bounded.
     */
    static Tracked pod(ObservedResource r) {
        String phase = r.status().phase();
        if (r.nodeName() == null || "Succeeded".equals(phase) || "Failed".equals(phase)) {
            return new Capacity(false, Resources.NONE, r.resyncEpoch());
        }
        Map<String, Object> spec = map(r.object(), "spec");
        Map<String, Long> gpus = new HashMap<>();
        for (Map<String, Object> c : list(spec.get("containers"))) {
            long g = gpuRequests(c);
            if (g > 0 && c.get("name") instanceof String name) {
                gpus.put(name, g);
            }
        }
        List<Resources> containers = new ArrayList<>();
        for (Container c : r.containers()) {
            containers.add(Resources.bounded(
                    new Resources(
                            c.requests().cpuMillis() == null ? 0 : c.requests().cpuMillis(),
                            c.requests().memoryBytes() == null
                                    ? 0
                                    : c.requests().memoryBytes(),
                            gpus.getOrDefault(c.name(), 0L)),
                    OBSERVED_BOUND));
        }
        List<PodRequests.InitContainer> init = new ArrayList<>();
        for (Map<String, Object> c : list(spec.get("initContainers"))) {
            init.add(new PodRequests.InitContainer(
                    observedAmounts(map(map(c, "resources"), "requests")), "Always".equals(c.get("restartPolicy"))));
        }
        return new Capacity(
                false, PodRequests.of(containers, init, observedAmounts(map(spec, "overhead"))), r.resyncEpoch());
    }

    private static Resources observedAmounts(Map<String, Object> amounts) {
        long gpus = 0;
        for (Map.Entry<String, Object> e : amounts.entrySet()) {
            if (e.getKey().endsWith(GPU_SUFFIX)) {
                gpus += Quantities.units(e.getValue()).orElse(0);
            }
        }
        return Resources.bounded(
                new Resources(
                        Quantities.millis(amounts.get("cpu")).orElse(0),
                        Quantities.units(amounts.get("memory")).orElse(0),
                        gpus),
                OBSERVED_BOUND);
    }

    private static long gpuRequests(Map<String, Object> container) {
        return observedAmounts(map(map(container, "resources"), "requests")).gpus();
    }

    /**
     * A Deployment or StatefulSet labelled with a workload: available when its controller saw the current spec
     * (observedGeneration) and every replica is available (a StatefulSet: ready); else the reason of a False
     * Available or Progressing condition, ProgressDeadlineExceeded first, since that condition's transition (or now,
     * when no condition tells). Objects of no workload are not placement's.
     */
    PlacedObject placedWorkload(ObservedResource r) {
        String workload = r.labels().get(Workload.WORKLOAD_LABEL);
        if (workload == null || workload.isBlank()) {
            return null;
        }
        Map<String, Object> object = r.object();
        Map<String, Object> metadata = map(object, "metadata");
        Map<String, Object> spec = map(object, "spec");
        Map<String, Object> status = map(object, "status");
        long workloadGeneration = parseLong(r.annotations().get(BundleRenderer.GENERATION_ANNOTATION));
        long generation = number(metadata.get("generation"), 0);
        long observedGeneration = number(status.get("observedGeneration"), 0);
        long desired = number(spec.get("replicas"), 1);
        long ready = number(status.get("StatefulSet".equals(r.kind()) ? "readyReplicas" : "availableReplicas"), 0);
        boolean available = observedGeneration >= generation && ready >= desired;
        String condition = null;
        Instant since = null;
        if (!available) {
            for (Map<String, Object> c : list(status.get("conditions"))) {
                if (!"False".equals(c.get("status"))
                        || !("Available".equals(c.get("type")) || "Progressing".equals(c.get("type")))
                        || !(c.get("reason") instanceof String reason)) {
                    continue;
                }
                if (condition == null || PROGRESS_DEADLINE_EXCEEDED.equals(reason)) {
                    condition = reason;
                    since = instant(c.get("lastTransitionTime"));
                }
            }
            if (since == null) {
                since = unavailableSince(r, workloadGeneration);
            }
        }
        return new PlacedObject(
                workload,
                r.namespace() == null ? "" : r.namespace(),
                r.kind(),
                r.name(),
                workloadGeneration,
                available,
                condition,
                since,
                r.resyncEpoch());
    }

    // An object that stays unavailable keeps the time it was first seen so; a change of generation starts anew.
    private Instant unavailableSince(ObservedResource r, long workloadGeneration) {
        ClusterState state = clusters.get(r.clusterId());
        if (state != null
                && state.objects.get(r.key()) instanceof PlacedObject before
                && !before.available()
                && before.workloadGeneration() == workloadGeneration
                && before.unavailableSince() != null) {
            return before.unavailableSince();
        }
        return clock.instant();
    }

    private static long parseLong(String text) {
        if (text == null) {
            return 0;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long number(Object value, long orElse) {
        return value instanceof Number n ? n.longValue() : orElse;
    }

    private static Instant instant(Object value) {
        if (value instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String field) {
        if (parent != null && parent.get(field) instanceof Map<?, ?> child) {
            return (Map<String, Object>) child;
        }
        return Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        if (!(value instanceof List<?> items)) {
            return List.of();
        }
        List<Map<String, Object>> maps = new ArrayList<>(items.size());
        for (Object item : items) {
            if (item instanceof Map<?, ?> m) {
                maps.add((Map<String, Object>) m);
            }
        }
        return maps;
    }
}
