package io.meridian.placement.domain;

import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.contracts.selector.LabelSelector;
import io.meridian.contracts.selector.LabelSyntax;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything a workload must satisfy before it is stored: its name and namespace, its manifests and overrides
 * ({@link ManifestRules}), the numbers of its placement, rollout and failover, and the fleet's selector syntax. Each
 * problem names the field as the API spells it.
 */
public final class WorkloadRules {

    /** Namespaces no workload goes to: the cluster's own machinery lives there (inventory refuses them too). */
    public static final Set<String> SYSTEM_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");

    /** The cluster facts a spread rule may name besides any cluster label key. */
    public static final Set<String> SPREAD_FACTS = Set.of("cloud", "region", "environment");

    private WorkloadRules() {}

    /** A workload as it would be stored (manifests normalized), and every problem of it; stored only when none. */
    public record Checked(Workload workload, List<FieldProblem> problems) {

        public Checked {
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Checks {@code workload} and returns it with its manifests as {@link ManifestRules#check} stores them. */
    public static Checked check(Workload workload) {
        List<FieldProblem> problems = new ArrayList<>();
        if (!LabelSyntax.isDnsLabel(workload.name())) {
            problems.add(new FieldProblem(
                    "name",
                    "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or"
                            + " digit, at most 63 (it is the value of the label " + Workload.WORKLOAD_LABEL + ")"));
        }
        if (!LabelSyntax.isDnsLabel(workload.namespace())) {
            problems.add(new FieldProblem(
                    "namespace", "must be a DNS label: lower-case letters, digits and '-', at most 63"));
        } else if (SYSTEM_NAMESPACES.contains(workload.namespace())) {
            problems.add(new FieldProblem(
                    "namespace",
                    "'" + workload.namespace() + "' belongs to the cluster itself; use a namespace of" + " your own"));
        }
        if (workload.manifests().isEmpty()) {
            problems.add(new FieldProblem("manifests", "must hold at least one manifest"));
        }
        ManifestRules.Checked manifests =
                ManifestRules.check(workload.name(), workload.namespace(), workload.manifests());
        problems.addAll(manifests.problems());
        problems.addAll(ManifestRules.checkOverrides(
                workload.name(), workload.namespace(), manifests.manifests(), workload.overrides()));
        for (int i = 0; i < workload.overrides().size(); i++) {
            selector(workload.overrides().get(i).clusters(), "overrides[" + i + "].clusters", problems);
        }
        placement(workload.placement(), problems);
        rollout(workload.rollout(), problems);
        failover(workload.failover(), problems);
        Workload normalized = new Workload(
                workload.name(),
                workload.namespace(),
                workload.generation(),
                manifests.manifests(),
                workload.placement(),
                workload.rollout(),
                workload.failover(),
                workload.overrides());
        if (problems.isEmpty()) {
            demand(normalized, problems);
        }
        return new Checked(normalized, problems);
    }

    /**
     * What the scheduler will read of each pod template, read now: a quantity it cannot parse or a replica count
     * beyond an int would otherwise be stored and then fail every reconcile. One manifest at a time, so the problem
     * names it by index.
     */
    private static void demand(Workload workload, List<FieldProblem> problems) {
        List<java.util.Map<String, Object>> manifests = workload.manifests();
        for (int i = 0; i < manifests.size(); i++) {
            if (!BundleRenderer.POD_TEMPLATE_KINDS.contains(manifests.get(i).get("kind"))) {
                continue;
            }
            Workload one = new Workload(
                    workload.name(),
                    workload.namespace(),
                    workload.generation(),
                    List.of(manifests.get(i)),
                    workload.placement(),
                    workload.rollout(),
                    workload.failover(),
                    List.of());
            try {
                WorkloadDemand.of(one);
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("manifests[" + i + "]", e.getMessage()));
            }
        }
    }

    private static void placement(PlacementPolicy p, List<FieldProblem> problems) {
        selector(p.clusterSelector(), "placement.clusterSelector", problems);
        if (p.mode() == PlacementMode.DIVIDED && p.replicas() < 1) {
            problems.add(new FieldProblem(
                    "placement.replicas",
                    "a Divided workload needs the total replica count to split over its clusters, at least 1"));
        }
        for (int i = 0; i < p.weights().size(); i++) {
            PlacementPolicy.StaticWeight weight = p.weights().get(i);
            selector(weight.clusters(), "placement.weights[" + i + "].clusters", problems);
            if (weight.weight() < 0) {
                problems.add(new FieldProblem("placement.weights[" + i + "].weight", "must be >= 0"));
            }
        }
        PlacementPolicy.ClusterRange range = p.clusters();
        if (range.min() < 1) {
            problems.add(new FieldProblem("placement.clusters.min", "must be at least 1"));
        }
        if (range.max() < range.min()) {
            problems.add(new FieldProblem("placement.clusters.max", "must be >= min (" + range.min() + ")"));
        }
        for (int i = 0; i < p.spread().size(); i++) {
            PlacementPolicy.SpreadConstraint spread = p.spread().get(i);
            String at = "placement.spread[" + i + "]";
            if (spread.by() == null || spread.by().isBlank()) {
                problems.add(
                        new FieldProblem(at + ".by", "is required: cloud, region, environment or a cluster label key"));
            } else if (!SPREAD_FACTS.contains(spread.by())) {
                String keyProblem = LabelSyntax.keyProblem(spread.by());
                if (keyProblem != null) {
                    problems.add(new FieldProblem(
                            at + ".by", "must be cloud, region, environment or a cluster label key: " + keyProblem));
                }
            }
            if (spread.min() < 1) {
                problems.add(new FieldProblem(at + ".min", "must be at least 1"));
            } else if (spread.min() > range.max()) {
                problems.add(new FieldProblem(
                        at + ".min",
                        "asks for " + spread.min() + " distinct values, but placement.clusters.max allows "
                                + range.max() + " clusters"));
            }
        }
        if (p.prefer() instanceof Preference.LabelOrder order) {
            String keyProblem = LabelSyntax.keyProblem(order.label());
            if (keyProblem != null) {
                problems.add(new FieldProblem("placement.prefer.label", keyProblem));
            }
            if (order.order().isEmpty()) {
                problems.add(new FieldProblem(
                        "placement.prefer.order", "must list at least one value, the preferred first"));
            }
        }
    }

    private static void rollout(RolloutStrategy r, List<FieldProblem> problems) {
        if (r.canary() < 0) {
            problems.add(new FieldProblem("rollout.canary", "must be >= 0 (0: no canary wave)"));
        }
        RolloutStrategy.MaxInFlight inFlight = r.maxInFlight();
        if (inFlight == null) {
            problems.add(new FieldProblem("rollout.maxInFlight", "is required: a cluster count or a percentage"));
        } else if (inFlight.percent() && (inFlight.value() < 1 || inFlight.value() > 100)) {
            problems.add(new FieldProblem("rollout.maxInFlight", "must be a percentage from 1% to 100%"));
        } else if (!inFlight.percent() && inFlight.value() < 1) {
            problems.add(new FieldProblem("rollout.maxInFlight", "must be at least 1 cluster"));
        }
        notNegative(r.pause(), "rollout.pause", problems);
        positive(r.healthTimeout(), "rollout.healthTimeout", problems);
    }

    private static void failover(FailoverPolicy f, List<FieldProblem> problems) {
        positive(f.after(), "failover.after", problems);
        positive(f.unhealthyAfter(), "failover.unhealthyAfter", problems);
        if (!(f.maxFraction() > 0 && f.maxFraction() <= 1)) {
            problems.add(new FieldProblem(
                    "failover.maxFraction",
                    "must be more than 0 and at most 1 (the share of the workload's"
                            + " clusters that may vanish at once before failover waits for an operator)"));
        }
        if (f.failback() == null) {
            problems.add(new FieldProblem("failover.failback", "must be Automatic or Manual"));
        }
        notNegative(f.stableFor(), "failover.stableFor", problems);
    }

    private static void positive(Duration d, String field, List<FieldProblem> problems) {
        if (d == null || d.isNegative() || d.isZero()) {
            problems.add(new FieldProblem(field, "must be a duration above zero, e.g. 30s, 5m or PT5M"));
        }
    }

    private static void notNegative(Duration d, String field, List<FieldProblem> problems) {
        if (d == null || d.isNegative()) {
            problems.add(new FieldProblem(field, "must be a duration of zero or more, e.g. 0s, 30s or PT30S"));
        }
    }

    /**
     * The fleet selector's own structural checks plus label syntax and cloud names, so that a selector placement
     * stores selects the same clusters in every service.
     */
    static void selector(ClusterSelector selector, String path, List<FieldProblem> problems) {
        if (selector == null) {
            return;
        }
        LabelSelector labels = selector.labelSelector();
        String at = path + ".labelSelector";
        labels.problems(at).forEach(p -> problems.add(new FieldProblem(p.field(), p.message())));
        labels.matchLabels().forEach((key, value) -> {
            String problem = LabelSyntax.keyProblem(key);
            if (problem == null) {
                problem = LabelSyntax.valueProblem(value);
            }
            if (problem != null) {
                problems.add(new FieldProblem(at + ".matchLabels[" + key + "]", problem));
            }
        });
        for (int i = 0; i < labels.matchExpressions().size(); i++) {
            LabelSelector.Requirement requirement = labels.matchExpressions().get(i);
            String r = at + ".matchExpressions[" + i + "]";
            if (requirement.key() != null && !requirement.key().isBlank()) {
                String problem = LabelSyntax.keyProblem(requirement.key());
                if (problem != null) {
                    problems.add(new FieldProblem(r + ".key", problem));
                }
            }
            for (int j = 0; j < requirement.values().size(); j++) {
                String problem = LabelSyntax.valueProblem(requirement.values().get(j));
                if (problem != null) {
                    problems.add(new FieldProblem(r + ".values[" + j + "]", problem));
                }
            }
        }
        selector.clouds().stream().sorted().forEach(cloud -> {
            if (Cloud.fromWire(cloud).isEmpty()) {
                problems.add(new FieldProblem(
                        path + ".clouds", "'" + cloud + "' is not a cloud: one of " + Cloud.wireNames()));
            }
        });
        for (String field : List.of("environments", "regions")) {
            Set<String> values = field.equals("environments") ? selector.environments() : selector.regions();
            values.stream().sorted().forEach(value -> {
                String problem = LabelSyntax.valueProblem(value);
                if (problem != null) {
                    problems.add(new FieldProblem(path + "." + field, "'" + value + "': " + problem));
                }
            });
        }
    }
}
