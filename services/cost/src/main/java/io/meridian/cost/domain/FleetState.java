package io.meridian.cost.domain;

import io.meridian.contracts.resource.Container;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.Quantities;
import io.meridian.contracts.resource.ResyncMarker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What cost needs of the fleet, kept from the observed-resources and cluster streams: per cluster its cloud and
 * region, nodes, pods, claims, volumes and namespace labels, trimmed to small facts. Pods deleted recently are kept
 * a while so that the window they ran in still pays for them. Not thread-safe; the caller serialises access.
 */
public final class FleetState {

    /** The place of a cluster, from its registration. */
    public record ClusterPlace(String clusterId, String cloud, String region, Map<String, String> labels) {}

    /** A pod trimmed to what costing needs. */
    public record PodFacts(
            String namespace,
            String name,
            String node,
            String phase,
            String workloadKind,
            String workloadName,
            Map<String, String> labels,
            List<ContainerSpec> containers,
            List<String> claims,
            long resyncEpoch) {}

    /** A container's requests: CPU in cores, memory in bytes, GPUs. */
    public record ContainerSpec(String name, double cpuCores, double ramBytes, double gpus) {}

    private record Deleted(PodFacts pod, Instant at) {}

    private static final class ClusterFacts {
        ClusterPlace place;
        final Map<String, NodeFacts> nodes = new HashMap<>();
        final Map<String, PodFacts> pods = new HashMap<>();
        final Map<String, WindowInput.ClaimInput> claims = new HashMap<>();
        final Map<String, WindowInput.VolumeInput> volumes = new HashMap<>();
        final Map<String, Map<String, String>> namespaces = new HashMap<>();
        final Map<String, Long> epochs = new HashMap<>();
        final List<Deleted> deleted = new ArrayList<>();
    }

    private static final Duration KEEP_DELETED = Duration.ofHours(3);

    private final Map<String, ClusterFacts> clusters = new HashMap<>();

    /** Records a cluster's registration or change. */
    public void cluster(ClusterPlace place) {
        facts(place.clusterId()).place = place;
    }

    /** Forgets a deregistered cluster. */
    public void forgetCluster(String clusterId) {
        clusters.remove(clusterId);
    }

    /** Records an observed object; kinds cost does not use are ignored. */
    public void observed(ObservedResource r) {
        ClusterFacts c = facts(r.clusterId());
        String key = r.key();
        c.epochs.put(key, r.resyncEpoch());
        switch (r.kind()) {
            case "Node" -> c.nodes.put(key, node(r));
            case "Pod" -> c.pods.put(key, pod(r));
            case "PersistentVolumeClaim" -> {
                if (r.storage() != null) {
                    c.claims.put(
                            key,
                            new WindowInput.ClaimInput(
                                    r.namespace(), r.name(), r.storage().storageClass(), requested(r)));
                }
            }
            case "PersistentVolume" -> {
                if (r.storage() != null && r.storage().capacityBytes() != null) {
                    c.volumes.put(
                            key,
                            new WindowInput.VolumeInput(
                                    r.name(),
                                    r.storage().storageClass(),
                                    r.storage().capacityBytes()));
                }
            }
            case "Namespace" -> c.namespaces.put(key, r.labels());
            default -> c.epochs.remove(key);
        }
    }

    /** Records a deletion by record key ({@code clusterId/group/kind/namespace/name}). */
    public void deleted(String key, Instant at) {
        String clusterId = key.substring(0, Math.max(0, key.indexOf('/')));
        ClusterFacts c = clusters.get(clusterId);
        if (c == null) {
            return;
        }
        remove(c, key, at);
    }

    /**
     * After a completed resync of epoch N, objects last confirmed by an older epoch are gone, except those of a kind
     * the resync could not list.
     */
    public void resyncCompleted(ResyncMarker completed, Instant at) {
        ClusterFacts c = clusters.get(completed.clusterId());
        if (c == null) {
            return;
        }
        List<String> stale = c.epochs.entrySet().stream()
                .filter(e -> completed.removesKey(e.getKey(), e.getValue()))
                .map(Map.Entry::getKey)
                .toList();
        stale.forEach(key -> remove(c, key, at));
    }

    public List<String> clusterIds() {
        return clusters.entrySet().stream()
                .filter(e -> e.getValue().place != null)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    public ClusterPlace place(String clusterId) {
        ClusterFacts c = clusters.get(clusterId);
        return c == null ? null : c.place;
    }

    public List<NodeFacts> nodes(String clusterId) {
        ClusterFacts c = clusters.get(clusterId);
        return c == null ? List.of() : List.copyOf(c.nodes.values());
    }

    /** The pods that may have run in {@code [start, end)}: present ones, and ones deleted after {@code start}. */
    public List<PodFacts> pods(String clusterId, Instant start) {
        ClusterFacts c = clusters.get(clusterId);
        if (c == null) {
            return List.of();
        }
        List<PodFacts> out = new ArrayList<>(c.pods.values());
        java.util.Set<String> present = new java.util.HashSet<>();
        out.forEach(p -> present.add(p.namespace() + "/" + p.name()));
        for (Deleted d : c.deleted) {
            // A pod deleted and created again under its name (a StatefulSet's) counts once.
            if (d.at().isAfter(start)
                    && present.add(d.pod().namespace() + "/" + d.pod().name())) {
                out.add(d.pod());
            }
        }
        return out;
    }

    /**
     * The allocation input of one cluster for one window, with the usage the ledger holds for that hour.
     *
     * @param elapsed the part of the window that has passed (the whole window once it is closed)
     */
    public WindowInput.ClusterInput input(
            String clusterId, Instant start, Duration elapsed, UsageLedger.HourUsage usage, double priorEgressGB) {
        ClusterFacts c = clusters.get(clusterId);
        if (c == null || c.place == null) {
            return null;
        }
        List<WindowInput.PodInput> pods = new ArrayList<>();
        Map<String, Instant> deletedAt = new HashMap<>();
        c.deleted.forEach(d -> deletedAt.put(d.pod().namespace() + "/" + d.pod().name(), d.at()));
        for (PodFacts p : pods(clusterId, start)) {
            if (p.node() == null || "Succeeded".equals(p.phase()) || "Failed".equals(p.phase())) {
                continue;
            }
            double fraction;
            if (usage != null && usage.scrapes() > 0) {
                fraction = usage.runningFraction(p.namespace(), p.name());
            } else {
                Instant gone = deletedAt.get(p.namespace() + "/" + p.name());
                fraction = gone == null
                        ? 1.0
                        : Math.min(1.0, Duration.between(start, gone).toMillis() / (double) elapsed.toMillis());
            }
            if (fraction <= 0) {
                continue;
            }
            List<WindowInput.ContainerInput> containers =
                    new ArrayList<>(p.containers().size());
            for (ContainerSpec spec : p.containers()) {
                SeriesStats cpu = usage == null ? null : usage.containerCpu(p.namespace(), p.name(), spec.name());
                SeriesStats ram = usage == null ? null : usage.containerRam(p.namespace(), p.name(), spec.name());
                containers.add(new WindowInput.ContainerInput(
                        spec.name(),
                        spec.cpuCores(),
                        spec.ramBytes(),
                        spec.gpus(),
                        cpu == null ? Double.NaN : cpu.mean(),
                        ram == null ? Double.NaN : ram.mean()));
            }
            pods.add(new WindowInput.PodInput(
                    p.namespace(),
                    p.name(),
                    p.node(),
                    p.workloadKind(),
                    p.workloadName(),
                    p.labels(),
                    containers,
                    fraction,
                    p.claims()));
        }
        Map<String, Map<String, String>> namespaces = new HashMap<>();
        c.namespaces.forEach((key, labels) -> namespaces.put(key.substring(key.lastIndexOf('/') + 1), labels));
        return new WindowInput.ClusterInput(
                clusterId,
                c.place.cloud(),
                c.place.region(),
                List.copyOf(c.nodes.values()),
                pods,
                List.copyOf(c.claims.values()),
                List.copyOf(c.volumes.values()),
                namespaces,
                priorEgressGB);
    }

    /** Drops deleted pods kept for windows long closed. */
    public void forgetDeletedBefore(Instant cutoff) {
        clusters.values().forEach(c -> c.deleted.removeIf(d -> d.at().isBefore(cutoff)));
    }

    public static Duration keepDeleted() {
        return KEEP_DELETED;
    }

    private void remove(ClusterFacts c, String key, Instant at) {
        c.epochs.remove(key);
        c.nodes.remove(key);
        PodFacts pod = c.pods.remove(key);
        if (pod != null) {
            c.deleted.add(new Deleted(pod, at));
        }
        c.claims.remove(key);
        c.volumes.remove(key);
        c.namespaces.remove(key);
    }

    private ClusterFacts facts(String clusterId) {
        return clusters.computeIfAbsent(clusterId, k -> new ClusterFacts());
    }

    private static NodeFacts node(ObservedResource r) {
        Map<String, String> labels = r.labels();
        Map<String, Object> capacity = map(map(r.object(), "status"), "capacity");
        return new NodeFacts(
                r.name(),
                first(labels, "node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type"),
                first(labels, "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region"),
                first(labels, "topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"),
                positive(Quantities.parse(capacity.get("cpu"))),
                positive(Quantities.parse(capacity.get("memory"))) / Quantities.GIB,
                positive(Quantities.parse(capacity.get("nvidia.com/gpu"))),
                labels);
    }

    private static PodFacts pod(ObservedResource r) {
        Map<String, Object> spec = map(r.object(), "spec");
        Map<String, Double> gpus = new HashMap<>();
        if (spec.get("containers") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> container && container.get("name") instanceof String name) {
                    Map<String, Object> requests = map(map(cast(container), "resources"), "requests");
                    double gpu = positive(Quantities.parse(requests.get("nvidia.com/gpu")));
                    if (gpu > 0) {
                        gpus.put(name, gpu);
                    }
                }
            }
        }
        List<String> claims = new ArrayList<>();
        if (spec.get("volumes") instanceof List<?> volumes) {
            for (Object o : volumes) {
                if (o instanceof Map<?, ?> volume
                        && volume.get("persistentVolumeClaim") instanceof Map<?, ?> pvc
                        && pvc.get("claimName") instanceof String claim) {
                    claims.add(claim);
                }
            }
        }
        List<ContainerSpec> containers = new ArrayList<>(r.containers().size());
        for (Container c : r.containers()) {
            containers.add(new ContainerSpec(
                    c.name(),
                    c.requests().cpuMillis() == null ? 0 : c.requests().cpuMillis() / 1000.0,
                    c.requests().memoryBytes() == null ? 0 : c.requests().memoryBytes(),
                    gpus.getOrDefault(c.name(), 0.0)));
        }
        return new PodFacts(
                r.namespace(),
                r.name(),
                r.nodeName(),
                r.status().phase(),
                r.owner() == null ? "Pod" : r.owner().kind(),
                r.owner() == null ? r.name() : r.owner().name(),
                r.labels(),
                containers,
                claims,
                r.resyncEpoch());
    }

    private static double requested(ObservedResource r) {
        Map<String, Object> requests = map(map(map(r.object(), "spec"), "resources"), "requests");
        double fromSpec = Quantities.parse(requests.get("storage"));
        if (Double.isFinite(fromSpec) && fromSpec > 0) {
            return fromSpec;
        }
        return r.storage().capacityBytes() == null ? 0 : r.storage().capacityBytes();
    }

    private static String first(Map<String, String> labels, String... keys) {
        for (String key : keys) {
            String value = labels.get(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static double positive(double value) {
        return Double.isFinite(value) && value > 0 ? value : 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> map(Map<String, Object> parent, String field) {
        if (parent != null && parent.get(field) instanceof Map<?, ?> child) {
            return cast(child);
        }
        return Map.of();
    }

    @Override
    public String toString() {
        return "FleetState" + Objects.toString(clusterIds());
    }
}
