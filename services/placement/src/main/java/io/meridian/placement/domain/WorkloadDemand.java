package io.meridian.placement.domain;

import io.meridian.contracts.resource.Quantities;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * What a workload asks of a cluster, read from its Deployments and StatefulSets as the Kubernetes scheduler would
 * count their pods.
 *
 * @param perReplica the requests of one pod of every Deployment and StatefulSet together: what one replica of a
 *     {@link PlacementMode#DIVIDED} share costs, since a share sets the replicas of each of them
 * @param replicas the largest replica count of the manifests (1 when they set none): what a
 *     {@link PlacementMode#DUPLICATED} cluster runs
 * @param duplicated the requests of the manifests exactly as written (each pod template times its own replicas):
 *     what a duplicated cluster must fit; equal to {@code perReplica x replicas} for a workload of one pod template
 */
public record WorkloadDemand(Resources perReplica, int replicas, Resources duplicated) {

    /** Extended-resource names counted as GPUs end with this ({@code nvidia.com/gpu}, {@code amd.com/gpu}). */
    public static final String GPU_SUFFIX = "/gpu";

    public WorkloadDemand {
        Objects.requireNonNull(perReplica, "perReplica");
        Objects.requireNonNull(duplicated, "duplicated");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative, got " + replicas);
        }
    }

    /** A workload of one pod template: duplicated is {@code perReplica x replicas}. */
    public WorkloadDemand(Resources perReplica, int replicas) {
        this(perReplica, replicas, perReplica.times(replicas));
    }

    /**
     * The demand of a workload's manifests: for each Deployment and StatefulSet, the pod's requests (a container's
     * limit stands for an unset request, as Kubernetes defaults it; init containers count by the larger of their own
     * peak and the app containers, sidecar init containers ({@code restartPolicy: Always}) run alongside both; the
     * pod's {@code overhead} adds), and its {@code spec.replicas} (default 1). Other kinds ask for nothing.
     *
     * @throws IllegalArgumentException naming the manifest and the field when a quantity or replica count is invalid
     */
    public static WorkloadDemand of(Workload workload) {
        Resources perReplica = Resources.NONE;
        Resources duplicated = Resources.NONE;
        int replicas = 0;
        boolean anyTemplate = false;
        for (Map<String, Object> manifest : workload.manifests()) {
            Object kind = manifest.get("kind");
            if (!"Deployment".equals(kind) && !"StatefulSet".equals(kind)) {
                continue;
            }
            String where = kind + "/" + name(manifest);
            Map<String, Object> spec = map(manifest.get("spec"));
            int count = replicas(spec.get("replicas"), where);
            Resources pod = podRequests(map(map(spec.get("template")).get("spec")), where);
            perReplica = perReplica.plus(pod);
            duplicated = duplicated.plus(pod.times(count));
            replicas = Math.max(replicas, count);
            anyTemplate = true;
        }
        return new WorkloadDemand(perReplica, anyTemplate ? replicas : 1, duplicated);
    }

    /** What {@code replicas} of a divided share ask for: that many pods of every pod template. */
    public Resources divided(int replicas) {
        return perReplica.times(replicas);
    }

    /** What one cluster's share asks for under {@code mode}. */
    public Resources share(PlacementMode mode, int replicas) {
        return mode == PlacementMode.DUPLICATED ? duplicated : divided(replicas);
    }

    private static Resources podRequests(Map<String, Object> podSpec, String where) {
        List<Resources> containers = list(podSpec.get("containers")).stream()
                .map(c -> containerRequests(c, where))
                .toList();
        List<PodRequests.InitContainer> init = list(podSpec.get("initContainers")).stream()
                .map(c -> new PodRequests.InitContainer(
                        containerRequests(c, where), "Always".equals(c.get("restartPolicy"))))
                .toList();
        Resources overhead = podSpec.get("overhead") instanceof Map<?, ?> o
                ? resources(stringKeys(o), Map.of(), where + " overhead")
                : Resources.NONE;
        return PodRequests.of(containers, init, overhead);
    }

    private static Resources containerRequests(Map<String, Object> container, String where) {
        Map<String, Object> resources = map(container.get("resources"));
        return resources(
                map(resources.get("requests")),
                map(resources.get("limits")),
                where + " container '" + container.get("name") + "'");
    }

    private static Resources resources(Map<String, Object> requests, Map<String, Object> limits, String where) {
        long cpu = amount(requestOrLimit(requests, limits, "cpu"), true, where, "cpu");
        long memory = amount(requestOrLimit(requests, limits, "memory"), false, where, "memory");
        long gpus = 0;
        for (String key : gpuKeys(requests, limits)) {
            gpus += amount(requestOrLimit(requests, limits, key), false, where, key);
        }
        return new Resources(cpu, memory, gpus);
    }

    private static long amount(Object raw, boolean millis, String where, String key) {
        if (raw == null) {
            return 0;
        }
        OptionalLong value = millis ? Quantities.millis(raw) : Quantities.units(raw);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(where + " resources " + key + ": '" + raw
                    + "' is not a Kubernetes quantity (a number with an optional suffix such as m, Mi, Gi, G)");
        }
        if (value.getAsLong() < 0) {
            throw new IllegalArgumentException(where + " resources " + key + ": '" + raw + "' must not be negative");
        }
        return value.getAsLong();
    }

    private static List<String> gpuKeys(Map<String, Object> requests, Map<String, Object> limits) {
        TreeSet<String> keys = new TreeSet<>();
        requests.keySet().stream().filter(k -> k.endsWith(GPU_SUFFIX)).forEach(keys::add);
        limits.keySet().stream().filter(k -> k.endsWith(GPU_SUFFIX)).forEach(keys::add);
        return List.copyOf(keys);
    }

    // A container that sets only a limit gets a request equal to it: Kubernetes defaults it so, and GPUs are
    // usually written that way.
    private static Object requestOrLimit(Map<String, Object> requests, Map<String, Object> limits, String key) {
        Object request = requests.get(key);
        return request != null ? request : limits.get(key);
    }

    private static int replicas(Object raw, String where) {
        if (raw == null) {
            return 1;
        }
        if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            long value = n.longValue();
            if (value >= 0 && value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw new IllegalArgumentException(where + " spec.replicas: must be a whole number of at least 0, got " + raw);
    }

    private static Object name(Map<String, Object> manifest) {
        return map(manifest.get("metadata")).get("name");
    }

    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? stringKeys(m) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static List<Map<String, Object>> list(Object value) {
        if (!(value instanceof List<?> items)) {
            return List.of();
        }
        return items.stream()
                .filter(Map.class::isInstance)
                .map(item -> stringKeys((Map<?, ?>) item))
                .toList();
    }
}
