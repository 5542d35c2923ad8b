package io.meridian.placement.domain;

import java.util.List;

/**
 * What one pod takes from its node, as the Kubernetes scheduler counts it: the one place of that arithmetic, for a
 * workload's manifests ({@link WorkloadDemand}) and for the pods a cluster reports (the fleet view's capacity).
 *
 * <p>The app containers' requests add up. An init container runs before them, alone with the sidecars started before
 * it, so the pod needs the larger of the init containers' peak and the app containers; a sidecar init container
 * ({@code restartPolicy: Always}, KEP-753) starts before the init containers after it and keeps running, so it adds to
 * each later init container's peak and to the app containers. The pod's {@code overhead} (its RuntimeClass) adds.
 */
public final class PodRequests {

    /** One init container's requests, in the order of the pod's {@code initContainers}. */
    public record InitContainer(Resources requests, boolean sidecar) {}

    private PodRequests() {}

    /**
     * @param containers the requests of each app container
     * @param initContainers the requests of each init container, in order
     * @param overhead the pod's {@code overhead}; {@link Resources#NONE} when it has none
     */
    public static Resources of(List<Resources> containers, List<InitContainer> initContainers, Resources overhead) {
        Resources app = Resources.NONE;
        for (Resources c : containers) {
            app = app.plus(c);
        }
        Resources sidecars = Resources.NONE;
        Resources initPeak = Resources.NONE;
        for (InitContainer c : initContainers) {
            if (c.sidecar()) {
                sidecars = sidecars.plus(c.requests());
            } else {
                initPeak = max(initPeak, sidecars.plus(c.requests()));
            }
        }
        return max(app.plus(sidecars), initPeak).plus(overhead);
    }

    /** Each of CPU, memory and GPUs at the larger of the two. */
    public static Resources max(Resources a, Resources b) {
        return new Resources(
                Math.max(a.cpuMillis(), b.cpuMillis()),
                Math.max(a.memoryBytes(), b.memoryBytes()),
                Math.max(a.gpus(), b.gpus()));
    }
}
