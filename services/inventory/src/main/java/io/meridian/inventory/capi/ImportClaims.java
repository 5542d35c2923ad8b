package io.meridian.inventory.capi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Which Cluster API {@code Cluster} of one management cluster each imported name stands for.
 *
 * <p>A CAPI Cluster is unique by namespace and name, a Meridian cluster by name alone (a DNS label, the cluster's id
 * everywhere), so two namespaces may claim one name. Imported names stay the CAPI names, so that existing imports
 * keep their ids, and a claim on a name that is already taken is refused instead:
 *
 * <ul>
 *   <li>an import belongs to the namespace it was imported from (its {@code meridian.io/capi-namespace} label): only
 *       the Cluster of that namespace updates it (labels, kubeconfig); when that Cluster is gone the import is
 *       deregistered, and a Cluster of the same name elsewhere can only come in afterwards as a new registration;
 *   <li>a name no import holds yet is imported only when exactly one Cluster claims it;
 *   <li>only namespaces the allow-list admits count at all ({@code meridian.inventory.capi.namespaces}).
 * </ul>
 *
 * Every refused claim is reported, so that someone renames one of the Clusters.
 */
public final class ImportClaims {

    /** The Clusters to register or update, by name, and why the other claims were refused. */
    public record Resolution(Map<String, ImportedCluster> imports, List<String> refusals) {

        public Resolution {
            imports = Map.copyOf(imports);
            refusals = List.copyOf(refusals);
        }
    }

    private ImportClaims() {}

    /**
     * @param found the CAPI Clusters of the management cluster that could be imported (with a kubeconfig, not being
     *     deleted)
     * @param heldBy for every name this management cluster already imported, the namespace it came from (null when
     *     the registration does not say, as for imports older than this rule)
     * @param allowedNamespace whether a namespace of the management cluster may be imported from
     */
    public static Resolution resolve(
            Collection<ImportedCluster> found, Map<String, String> heldBy, Predicate<String> allowedNamespace) {
        Map<String, List<ImportedCluster>> claims = new TreeMap<>();
        for (ImportedCluster cluster : found) {
            if (allowedNamespace.test(cluster.namespace())) {
                claims.computeIfAbsent(cluster.name(), n -> new ArrayList<>()).add(cluster);
            }
        }
        Map<String, ImportedCluster> imports = new LinkedHashMap<>();
        List<String> refusals = new ArrayList<>();
        claims.forEach((name, claimants) -> {
            claimants.sort(Comparator.comparing(ImportedCluster::namespace));
            String holder = heldBy.get(name);
            if (holder != null) {
                for (ImportedCluster claimant : claimants) {
                    if (claimant.namespace().equals(holder)) {
                        imports.put(name, claimant);
                    } else {
                        refusals.add(
                                "CAPI cluster " + claimant.namespace() + "/" + name + " is not imported: the name '"
                                        + name + "' belongs to the import from namespace " + holder
                                        + "; cluster names are unique in the fleet, rename one of them");
                    }
                }
            } else if (claimants.size() == 1) {
                imports.put(name, claimants.getFirst());
            } else {
                refusals.add("CAPI clusters named '" + name + "' in namespaces "
                        + String.join(
                                ", ",
                                claimants.stream()
                                        .map(ImportedCluster::namespace)
                                        .toList())
                        + " are not imported: cluster names are unique in the fleet, rename all but one of them");
            }
        });
        return new Resolution(imports, refusals);
    }

    /** The allow-list as a predicate: empty admits every namespace. */
    public static Predicate<String> allowList(Set<String> namespaces) {
        return namespaces.isEmpty() ? namespace -> true : namespaces::contains;
    }
}
