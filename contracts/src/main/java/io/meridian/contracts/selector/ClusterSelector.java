package io.meridian.contracts.selector;

import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.selector.LabelSelector.Operator;
import io.meridian.contracts.selector.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which clusters something applies to, with one meaning in every service: a label selector over the cluster's
 * {@link SelectableLabels}, and, when not empty, sets of clouds, environments and regions the cluster must be in.
 * A set is the same as an In requirement on {@code meridian.io/cloud}, {@code meridian.io/environment} or {@code
 * meridian.io/region} ({@link #asLabelSelector}); an empty selector selects the whole fleet.
 */
public record ClusterSelector(
        LabelSelector labelSelector, Set<String> clouds, Set<String> environments, Set<String> regions) {

    /** The whole fleet. */
    public static final ClusterSelector ALL =
            new ClusterSelector(LabelSelector.EVERYTHING, Set.of(), Set.of(), Set.of());

    public ClusterSelector {
        labelSelector = labelSelector == null ? LabelSelector.EVERYTHING : labelSelector;
        clouds = clouds == null ? Set.of() : Set.copyOf(clouds);
        environments = environments == null ? Set.of() : Set.copyOf(environments);
        regions = regions == null ? Set.of() : Set.copyOf(regions);
    }

    /** The clusters a label selector selects, in any cloud, environment and region. */
    public static ClusterSelector of(LabelSelector labelSelector) {
        return new ClusterSelector(labelSelector, Set.of(), Set.of(), Set.of());
    }

    /**
     * Reads the {@code kubectl -l} string form ({@link LabelSelector#parse}); clouds, environments and regions are
     * written there as requirements on the well-known labels.
     *
     * @throws InvalidSelectorException naming the requirement that cannot be read and why
     */
    public static ClusterSelector parse(String text) {
        return of(LabelSelector.parse(text));
    }

    /** This selector limited to {@code clouds} (wire names; null or empty: any cloud). */
    public ClusterSelector withClouds(Collection<String> clouds) {
        return new ClusterSelector(labelSelector, Set.copyOf(orEmpty(clouds)), environments, regions);
    }

    /** This selector limited to {@code environments} (null or empty: any environment). */
    public ClusterSelector withEnvironments(Collection<String> environments) {
        return new ClusterSelector(labelSelector, clouds, Set.copyOf(orEmpty(environments)), regions);
    }

    /** This selector limited to {@code regions} (null or empty: any region). */
    public ClusterSelector withRegions(Collection<String> regions) {
        return new ClusterSelector(labelSelector, clouds, environments, Set.copyOf(orEmpty(regions)));
    }

    private static Collection<String> orEmpty(Collection<String> values) {
        return values == null ? List.of() : values;
    }

    /** Whether this selects every cluster. */
    public boolean selectsAll() {
        return labelSelector.isEmpty() && clouds.isEmpty() && environments.isEmpty() && regions.isEmpty();
    }

    /** Whether a cluster with these selectable labels is selected. */
    public boolean matches(SelectableLabels cluster) {
        return within(clouds, cluster.get(SelectableLabels.CLOUD))
                && within(environments, cluster.get(SelectableLabels.ENVIRONMENT))
                && within(regions, cluster.get(SelectableLabels.REGION))
                && labelSelector.matches(cluster.asMap());
    }

    // A cluster without the fact (no region registered) is outside every non-empty set, as with an In requirement.
    private static boolean within(Set<String> allowed, String value) {
        return allowed.isEmpty() || (value != null && allowed.contains(value));
    }

    /** Whether the cluster of a {@code fleet.clusters.v1} snapshot is selected. */
    public boolean matches(ClusterSnapshot cluster) {
        return matches(SelectableLabels.of(cluster));
    }

    /** The same selection as one label selector over the selectable labels: each set becomes an In requirement. */
    public LabelSelector asLabelSelector() {
        List<Requirement> expressions = new ArrayList<>(labelSelector.matchExpressions());
        addIn(expressions, SelectableLabels.CLOUD, clouds);
        addIn(expressions, SelectableLabels.ENVIRONMENT, environments);
        addIn(expressions, SelectableLabels.REGION, regions);
        return new LabelSelector(labelSelector.matchLabels(), expressions);
    }

    private static void addIn(List<Requirement> expressions, String key, Set<String> values) {
        if (!values.isEmpty()) {
            expressions.add(
                    new Requirement(key, Operator.IN, values.stream().sorted().toList()));
        }
    }

    /** The string form of {@link #asLabelSelector}, which {@link #parse} reads back to the same selection. */
    @Override
    public String toString() {
        return asLabelSelector().toString();
    }
}
