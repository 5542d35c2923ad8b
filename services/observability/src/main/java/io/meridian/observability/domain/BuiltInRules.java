package io.meridian.observability.domain;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The rules every fleet gets, with thresholds and durations from configuration. */
public final class BuiltInRules {

    /** Tunables of the built-in rules. */
    public record Settings(
            Duration clusterUnreachableFor,
            Duration nodeNotReadyFor,
            double highCpuThreshold,
            Duration highCpuFor,
            double highMemoryThreshold,
            Duration highMemoryFor,
            double crashLoopRestarts,
            Duration crashLoopFor,
            double policyViolationsThreshold,
            Duration syncFailedFor) {}

    public static final String CLUSTER_UNREACHABLE = "ClusterUnreachable";
    public static final String NODE_NOT_READY = "NodeNotReady";
    public static final String HIGH_CPU = "HighCpu";
    public static final String HIGH_MEMORY = "HighMemory";
    public static final String CRASH_LOOPING = "CrashLooping";
    public static final String POLICY_VIOLATIONS = "PolicyViolations";
    public static final String SYNC_FAILED = "SyncFailed";
    public static final String BUDGET_EXCEEDED = "BudgetExceeded";
    public static final String ROLLOUT_HALTED = "RolloutHalted";
    public static final String FAILOVER_SUPPRESSED = "FailoverSuppressed";
    public static final String WORKLOAD_DEGRADED = "WorkloadDegraded";

    /** The annotation of the placement alerts that says what to do next. */
    public static final String ACTION = "action";

    private BuiltInRules() {}

    public static List<AlertRule> of(Settings s) {
        return List.of(
                rule(
                        CLUSTER_UNREACHABLE,
                        Signal.CLUSTER_UNREACHABLE,
                        ">=",
                        1,
                        s.clusterUnreachableFor(),
                        "critical",
                        "Cluster {{ $labels.cluster }} ({{ $labels.cloud }}) is unreachable"),
                rule(
                        NODE_NOT_READY,
                        Signal.NODE_NOT_READY,
                        ">=",
                        1,
                        s.nodeNotReadyFor(),
                        "warning",
                        "Node {{ $labels.node }} of cluster {{ $labels.cluster }} is not Ready"),
                rule(
                        HIGH_CPU,
                        Signal.CLUSTER_CPU_SATURATION,
                        ">",
                        s.highCpuThreshold(),
                        s.highCpuFor(),
                        "warning",
                        "Cluster {{ $labels.cluster }} uses {{ $value }} of its allocatable CPU"),
                rule(
                        HIGH_MEMORY,
                        Signal.CLUSTER_MEMORY_SATURATION,
                        ">",
                        s.highMemoryThreshold(),
                        s.highMemoryFor(),
                        "warning",
                        "Cluster {{ $labels.cluster }} uses {{ $value }} of its allocatable memory"),
                rule(
                        CRASH_LOOPING,
                        Signal.CONTAINER_RESTARTS_INCREASE,
                        ">=",
                        s.crashLoopRestarts(),
                        s.crashLoopFor(),
                        "warning",
                        "Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} on"
                                + " {{ $labels.cluster }} restarted {{ $value }} times recently"),
                rule(
                        POLICY_VIOLATIONS,
                        Signal.CLUSTER_OPEN_VIOLATIONS,
                        ">",
                        s.policyViolationsThreshold(),
                        Duration.ZERO,
                        "warning",
                        "Cluster {{ $labels.cluster }} has {{ $value }} open policy violations"),
                rule(
                        SYNC_FAILED,
                        Signal.SYNC_FAILED_OBJECTS,
                        ">",
                        0,
                        s.syncFailedFor(),
                        "warning",
                        "{{ $value }} objects of {{ $labels.owner }} failed to apply on {{ $labels.cluster }}"),
                rule(
                        BUDGET_EXCEEDED,
                        Signal.BUDGET_SPEND_RATIO,
                        ">=",
                        1,
                        Duration.ZERO,
                        "critical",
                        "Budget {{ $labels.budget }} ({{ $labels.scope }}) is spent: {{ $value }} of its amount"),
                rule(
                        ROLLOUT_HALTED,
                        Signal.WORKLOAD_ROLLOUT_HALTED,
                        ">=",
                        1,
                        Duration.ZERO,
                        "warning",
                        "The rollout of workload {{ $labels.workload }} halted on cluster {{ $labels.cluster }}:"
                                + " {{ $labels.condition }}",
                        "Clusters not reached yet keep the previous generation. Find out why {{ $labels.workload }}"
                                + " is not available on {{ $labels.cluster }} ({{ $labels.condition }}); after"
                                + " fixing it, resume with POST /api/v1/workloads/{{ $labels.workload }}/rollout/resume,"
                                + " or roll back with POST /api/v1/workloads/{{ $labels.workload }}/rollback."),
                rule(
                        FAILOVER_SUPPRESSED,
                        Signal.WORKLOAD_FAILOVER_SUPPRESSED,
                        ">=",
                        1,
                        Duration.ZERO,
                        "critical",
                        "Failover of workload {{ $labels.workload }} from unreachable cluster {{ $labels.cluster }}"
                                + " is held back: too many clusters became unreachable at once",
                        "So many clusters vanishing together is more often Meridian's own network than the clouds,"
                                + " so nothing was moved. Check whether {{ $labels.cluster }} is really down; if it"
                                + " is, approve the failover with POST /api/v1/workloads/{{ $labels.workload }}/failover."),
                rule(
                        WORKLOAD_DEGRADED,
                        Signal.WORKLOAD_DEGRADED,
                        ">=",
                        1,
                        Duration.ZERO,
                        "warning",
                        "Workload {{ $labels.workload }} is Degraded: its placement rules on {{ $labels.condition }}"
                                + " cannot be met",
                        "See GET /api/v1/workloads/{{ $labels.workload }}/placement for the unmet rules and why each"
                                + " other cluster was not chosen; bring back or add a Ready cluster with room where"
                                + " the rules need one, or relax the workload's placement policy."));
    }

    public static boolean isBuiltIn(String name) {
        return List.of(
                        CLUSTER_UNREACHABLE,
                        NODE_NOT_READY,
                        HIGH_CPU,
                        HIGH_MEMORY,
                        CRASH_LOOPING,
                        POLICY_VIOLATIONS,
                        SYNC_FAILED,
                        BUDGET_EXCEEDED,
                        ROLLOUT_HALTED,
                        FAILOVER_SUPPRESSED,
                        WORKLOAD_DEGRADED)
                .contains(name);
    }

    /** ClusterUnreachable silences what follows from it: the node and usage alerts of the same cluster. */
    public static List<InhibitionRule> inhibitions() {
        return List.of(new InhibitionRule(
                "unreachable-cluster-inhibits-its-node-alerts",
                List.of(LabelMatcher.of("alertname", LabelMatcher.Op.EQ, CLUSTER_UNREACHABLE)),
                List.of(LabelMatcher.of(
                        "alertname",
                        LabelMatcher.Op.RE,
                        String.join("|", NODE_NOT_READY, HIGH_CPU, HIGH_MEMORY, CRASH_LOOPING))),
                List.of("cluster")));
    }

    private static AlertRule rule(
            String name,
            Signal signal,
            String op,
            double threshold,
            Duration forDuration,
            String severity,
            String summary) {
        return rule(name, signal, op, threshold, forDuration, severity, summary, null);
    }

    /** A built-in rule; {@code action}, when given, is the template of the annotation that says what to do next. */
    private static AlertRule rule(
            String name,
            Signal signal,
            String op,
            double threshold,
            Duration forDuration,
            String severity,
            String summary,
            String action) {
        RuleSpec spec = new RuleSpec(
                name,
                new RuleSpec.ConditionSpec(signal.wireName(), null, null, null, null, null, null),
                op,
                threshold,
                forDuration.toString(),
                severity,
                Map.of(),
                summary,
                action == null ? null : Map.of(ACTION, action));
        RuleCompiler.Result result = RuleCompiler.compile(spec, true);
        if (!result.valid()) {
            throw new IllegalStateException("built-in rule " + name + " is invalid: " + result.problems());
        }
        return result.rule();
    }
}
