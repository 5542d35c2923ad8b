package io.meridian.cost;

import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.metrics.Sample;
import io.meridian.contracts.resource.Container;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResourceAmounts;
import io.meridian.contracts.resource.StatusSummary;
import io.meridian.contracts.resource.Storage;
import io.meridian.contracts.resource.WorkloadRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Contract records shaped like inventory's and observability's, for feeding the service in tests. */
final class FleetEvents {

    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

    private FleetEvents() {}

    static ClusterSnapshot cluster(String name, Cloud cloud, String region) {
        return new ClusterSnapshot(
                name,
                name,
                null,
                cloud,
                region,
                "prod",
                Map.of(),
                "https://" + name,
                null,
                ClusterPhase.Ready,
                List.of(),
                "v1.31.3",
                1,
                3_920,
                14L << 30,
                cloud,
                region,
                List.of(),
                1,
                AT);
    }

    static ObservedResource node(String cluster, String name, String type, String region, Map<String, String> extra) {
        Map<String, String> labels = new java.util.HashMap<>(extra);
        labels.put("node.kubernetes.io/instance-type", type);
        labels.put("topology.kubernetes.io/region", region);
        labels.put("topology.kubernetes.io/zone", region + "-a");
        Map<String, Object> object =
                Map.of("status", Map.of("capacity", Map.of("cpu", "4", "memory", "16Gi", "pods", "110")));
        return resource(cluster, "Node", null, name, labels, null, null, List.of(), null, null, object);
    }

    static ObservedResource namespace(String cluster, String name, Map<String, String> labels) {
        return resource(cluster, "Namespace", null, name, labels, null, null, List.of(), null, null, Map.of());
    }

    static ObservedResource pod(
            String cluster,
            String ns,
            String name,
            String node,
            String workload,
            long cpuMillis,
            long memMiB,
            Map<String, String> labels,
            String claim) {
        Map<String, Object> spec = claim == null
                ? Map.of()
                : Map.of(
                        "volumes",
                        List.of(Map.of("name", "data", "persistentVolumeClaim", Map.of("claimName", claim))));
        return resource(
                cluster,
                "Pod",
                ns,
                name,
                labels,
                new WorkloadRef("Deployment", workload),
                node,
                List.of(new Container(workload, "img:1", new ResourceAmounts(cpuMillis, memMiB << 20), null)),
                null,
                "Running",
                Map.of("spec", spec));
    }

    static ObservedResource claim(String cluster, String ns, String name, String storageClass, long gib) {
        return resource(
                cluster,
                "PersistentVolumeClaim",
                ns,
                name,
                Map.of(),
                null,
                null,
                List.of(),
                new Storage(storageClass, gib << 30, List.of("ReadWriteOnce")),
                "Bound",
                Map.of());
    }

    static ObservedResource volume(String cluster, String name, String storageClass, long gib) {
        return resource(
                cluster,
                "PersistentVolume",
                null,
                name,
                Map.of(),
                null,
                null,
                List.of(),
                new Storage(storageClass, gib << 30, List.of("ReadWriteOnce")),
                "Bound",
                Map.of());
    }

    static Sample sample(String metric, Map<String, String> labels, double value, Instant at) {
        return new Sample(metric, labels, value, at);
    }

    private static ObservedResource resource(
            String cluster,
            String kind,
            String ns,
            String name,
            Map<String, String> labels,
            WorkloadRef owner,
            String node,
            List<Container> containers,
            Storage storage,
            String phase,
            Map<String, Object> object) {
        return new ObservedResource(
                cluster,
                "",
                "v1",
                kind,
                ns,
                name,
                java.util
                        .UUID
                        .nameUUIDFromBytes((cluster + kind + ns + name).getBytes())
                        .toString(),
                "1",
                labels,
                Map.of(),
                owner,
                node,
                containers,
                null,
                storage,
                new StatusSummary(phase, null, null, null, null, Map.of()),
                AT,
                1,
                object);
    }
}
