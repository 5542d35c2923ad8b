package io.meridian.inventory.registry;

import io.meridian.contracts.selector.Production;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which registry changes only a fleet-admin may make. Grants and policies reach clusters by environment and
 * labels, and a grant that reaches {@code prod} needs a second fleet-admin's approval: so moving a cluster into or
 * out of prod, or relabelling a prod cluster, would move approved or unapproved access with it. Those changes are
 * a fleet-admin's; everything else about a cluster stays an operator's.
 */
public final class ProdGuard {

    private ProdGuard() {}

    /** Registered as {@code prod}, or labelled so that a selector would take it for prod ({@link Production}). */
    public static boolean isProd(String environment, Map<String, String> labels) {
        return Production.isProd(environment, labels);
    }

    /**
     * The fields of a change that only a fleet-admin may make, each saying why; empty when an operator may.
     *
     * @param newEnvironment the environment asked for, null to leave it as it is
     * @param newLabels the whole new label set, null to leave the labels as they are
     */
    public static List<FieldProblem> adminOnly(
            String environment, Map<String, String> labels, String newEnvironment, Map<String, String> newLabels) {
        boolean environmentChanges = newEnvironment != null && !newEnvironment.equals(environment);
        boolean labelsChange = newLabels != null && !newLabels.equals(Objects.requireNonNullElse(labels, Map.of()));
        boolean prodBefore = isProd(environment, labels);
        boolean prodAfter =
                isProd(environmentChanges ? newEnvironment : environment, labelsChange ? newLabels : labels);
        List<FieldProblem> problems = new ArrayList<>();
        if (!prodBefore && !prodAfter) {
            return problems;
        }
        String who = ": only a fleet-admin may do that; ask one to make this change";
        if (environmentChanges) {
            problems.add(new FieldProblem(
                    "environment",
                    (prodBefore && prodAfter
                                    ? "changes the environment of a prod cluster"
                                    : prodBefore ? "moves the cluster out of prod" : "moves the cluster into prod")
                            + who));
        }
        if (labelsChange) {
            problems.add(new FieldProblem(
                    "labels",
                    (prodBefore
                                    ? "changes the labels of a prod cluster"
                                    : "would make the cluster prod (label environment or meridian.io/environment)")
                            + who));
        }
        return problems;
    }
}
