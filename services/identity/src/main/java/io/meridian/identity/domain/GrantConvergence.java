package io.meridian.identity.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * How far a grant has reached the fleet: applied on {@code applied} of {@code clusters} clusters, with the failures
 * inventory reported for the grant's objects.
 */
public record GrantConvergence(int clusters, int applied, List<Failure> failures) {

    /** One object of the grant that a cluster refused, and why. */
    public record Failure(String cluster, String object, String reason) {}

    /** The last sync report of identity's bundle on a cluster; failures by {@code Kind/namespace/name}. */
    public record ClusterSync(long generationWanted, long generationApplied, Map<String, String> failures) {}

    public GrantConvergence {
        failures = List.copyOf(failures);
    }

    /**
     * @param reaching clusters the grant reaches today
     * @param declared the generation identity last declared per cluster
     * @param synced the last sync report per cluster
     */
    public static GrantConvergence of(
            Grant grant,
            Collection<FleetCluster> reaching,
            Map<String, Long> declared,
            Map<String, ClusterSync> synced,
            RoleTemplate template) {
        int applied = 0;
        List<Failure> failures = new ArrayList<>();
        String binding = RoleBindingPlanner.bindingName(grant.id());
        for (FleetCluster cluster : reaching) {
            Long generation = declared.get(cluster.id());
            ClusterSync sync = synced.get(cluster.id());
            if (generation == null || sync == null) {
                continue;
            }
            List<Failure> own = new ArrayList<>();
            if (sync.generationWanted() >= generation) {
                sync.failures().forEach((object, reason) -> {
                    String name = object.substring(object.lastIndexOf('/') + 1);
                    if (name.equals(binding) || (template != null && name.equals(template.clusterRoleName()))) {
                        own.add(new Failure(cluster.id(), object, reason));
                    }
                });
            }
            if (sync.generationApplied() >= generation || (sync.generationWanted() >= generation && own.isEmpty())) {
                applied++;
            }
            failures.addAll(own);
        }
        return new GrantConvergence(reaching.size(), applied, failures);
    }

    public boolean complete() {
        return clusters > 0 && applied == clusters;
    }
}
