package io.meridian.inventory.persistence;

import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.Condition;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the connection reconciler observed about a cluster. Conditions carry no times here: the
 * registry keeps a condition's {@code lastTransitionTime} unless its status flips.
 */
public record ObservedStatus(
        ClusterPhase phase,
        List<ConditionState> conditions,
        String kubernetesVersion,
        int nodeCount,
        long allocatableCpuMillis,
        long allocatableMemoryBytes,
        Cloud detectedCloud,
        String detectedRegion,
        List<String> warnings) {

    /** A condition without its transition time. */
    public record ConditionState(
            String type, io.meridian.contracts.cluster.ConditionStatus status, String reason, String message) {}

    public ObservedStatus {
        conditions = List.copyOf(conditions);
        warnings = List.copyOf(warnings);
    }

    /** True when writing this would change nothing a consumer sees. */
    boolean sameAs(ClusterStatusEntity current) {
        return phase.name().equals(current.phase)
                && Objects.equals(kubernetesVersion, current.kubernetesVersion)
                && nodeCount == current.nodeCount
                && allocatableCpuMillis == current.allocatableCpuMillis
                && allocatableMemoryBytes == current.allocatableMemoryBytes
                && Objects.equals(detectedCloud == null ? null : detectedCloud.wireName(), current.detectedCloud)
                && Objects.equals(detectedRegion, current.detectedRegion)
                && warnings.equals(current.warningList())
                && conditions.equals(states(current.conditionList()));
    }

    void applyTo(ClusterStatusEntity status, OffsetDateTime now) {
        List<Condition> merged = new ArrayList<>();
        for (ConditionState c : conditions) {
            Condition previous = status.conditionList().stream()
                    .filter(p -> p.type().equals(c.type()))
                    .findFirst()
                    .orElse(null);
            boolean flipped = previous == null || previous.status() != c.status();
            merged.add(new Condition(
                    c.type(),
                    c.status(),
                    c.reason(),
                    c.message(),
                    flipped ? now.toInstant() : previous.lastTransitionTime()));
        }
        status.phase = phase.name();
        status.conditions = new ClusterStatusEntity.Conditions(merged);
        status.kubernetesVersion = kubernetesVersion;
        status.nodeCount = nodeCount;
        status.allocatableCpuMillis = allocatableCpuMillis;
        status.allocatableMemoryBytes = allocatableMemoryBytes;
        status.detectedCloud = detectedCloud == null ? null : detectedCloud.wireName();
        status.detectedRegion = detectedRegion;
        status.warnings = new ClusterStatusEntity.Warnings(warnings);
        status.observedAt = now;
    }

    private static List<ConditionState> states(List<Condition> conditions) {
        if (conditions == null) {
            return List.of();
        }
        return conditions.stream()
                .map(c -> new ConditionState(c.type(), c.status(), c.reason(), c.message()))
                .toList();
    }
}
