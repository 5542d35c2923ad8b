package io.meridian.fleetsim;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** How the kubelet reports a pod that runs, one whose image cannot be pulled, and one that keeps crashing. */
final class PodStates {

    private PodStates() {}

    /** Why a workload's pods never become ready. */
    enum Breakage {
        /** The image reference contains {@code :broken}: the pull fails, the pod stays Pending. */
        IMAGE_PULL,
        /** Marked broken through the control API: the container starts and crashes, again and again. */
        CRASH_LOOP
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Reports {@code pod} as not ready for {@code breakage}; changes only what differs (times on a flip). */
    static void unready(Pod pod, Breakage breakage, Instant now) {
        String stamp = ClusterContents.iso(now);
        var status = pod.getStatus();
        status.setPhase(breakage == Breakage.IMAGE_PULL ? "Pending" : "Running");
        String unready =
                pod.getSpec().getContainers().stream().map(c -> c.getName()).collect(Collectors.joining(" ", "[", "]"));
        for (PodCondition c : status.getConditions()) {
            if ("Ready".equals(c.getType()) || "ContainersReady".equals(c.getType())) {
                flip(c, "False", stamp);
                c.setReason("ContainersNotReady");
                c.setMessage("containers with unready status: " + unready);
            }
        }
        for (ContainerStatus cs : status.getContainerStatuses()) {
            cs.setReady(false);
            cs.setStarted(false);
            if (breakage == Breakage.IMAGE_PULL) {
                cs.setImageID("");
                cs.setContainerID(null);
                cs.setState(new ContainerStateBuilder()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"" + cs.getImage() + "\"")
                        .endWaiting()
                        .build());
            } else {
                cs.setRestartCount(Math.max(5, cs.getRestartCount() == null ? 0 : cs.getRestartCount()));
                cs.setLastState(new ContainerStateBuilder()
                        .withNewTerminated()
                        .withExitCode(1)
                        .withReason("Error")
                        .withStartedAt(stamp)
                        .withFinishedAt(stamp)
                        .endTerminated()
                        .build());
                cs.setState(new ContainerStateBuilder()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .withMessage("back-off 5m0s restarting failed container=" + cs.getName() + " pod="
                                + pod.getMetadata().getName() + "_"
                                + pod.getMetadata().getNamespace() + "("
                                + pod.getMetadata().getUid() + ")")
                        .endWaiting()
                        .build());
            }
        }
    }

    /** Reports {@code pod} as running and ready again, e.g. once a crash loop is fixed. */
    static void ready(Pod pod, Instant now) {
        String stamp = ClusterContents.iso(now);
        var status = pod.getStatus();
        status.setPhase("Running");
        for (PodCondition c : status.getConditions()) {
            if ("Ready".equals(c.getType()) || "ContainersReady".equals(c.getType())) {
                flip(c, "True", stamp);
                c.setReason(null);
                c.setMessage(null);
            }
        }
        for (ContainerStatus cs : status.getContainerStatuses()) {
            cs.setReady(true);
            cs.setStarted(true);
            cs.setState(new ContainerStateBuilder()
                    .withNewRunning()
                    .withStartedAt(stamp)
                    .endRunning()
                    .build());
        }
    }

    private static void flip(PodCondition c, String to, String stamp) {
        if (!to.equals(c.getStatus())) {
            c.setStatus(to);
            c.setLastTransitionTime(stamp);
        }
    }

    static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).toList();
    }
}
