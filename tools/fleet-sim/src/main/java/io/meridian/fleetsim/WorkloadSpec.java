package io.meridian.fleetsim;

/**
 * One workload a simulated cluster runs, before it is turned into Kubernetes objects.
 *
 * @param serviceType ClusterIP, LoadBalancer, None (headless) or null for no Service
 * @param storageGi size of the per-replica volume of a StatefulSet; 0 for none
 * @param limits whether containers declare limits (some legacy workloads do not, as policies should find)
 * @param meshed whether pods carry an Istio sidecar
 */
record WorkloadSpec(
        String namespace,
        String name,
        Kind kind,
        String image,
        int replicas,
        int cpuMillis,
        int memoryMi,
        int port,
        String serviceType,
        int storageGi,
        boolean limits,
        boolean meshed) {

    /** The controller that owns the pods. */
    enum Kind {
        DEPLOYMENT,
        STATEFULSET,
        DAEMONSET
    }

    WorkloadSpec withReplicas(int n) {
        return new WorkloadSpec(
                namespace, name, kind, image, n, cpuMillis, memoryMi, port, serviceType, storageGi, limits, meshed);
    }

    /** Objects this workload becomes on a cluster with {@code nodes} nodes. */
    int objectCount(int nodes) {
        int service = serviceType == null ? 0 : 1;
        return switch (kind) {
            case DEPLOYMENT -> 2 + service + replicas;
            case STATEFULSET -> 1 + service + replicas * (storageGi > 0 ? 3 : 1);
            case DAEMONSET -> 1 + service + nodes;
        };
    }
}
