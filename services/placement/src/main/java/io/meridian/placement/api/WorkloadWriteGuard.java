package io.meridian.placement.api;

import io.meridian.contracts.selector.Production;
import io.meridian.placement.domain.FieldProblem;
import io.meridian.placement.domain.Workload;
import io.meridian.placement.persistence.WorkloadStore;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may change a workload, by what the change does to clusters: a workload ends in writes to every cluster it is
 * placed on, so one whose selector can reach production clusters ({@link Production}), before or after the change, is a
 * fleet-admin's to create, change, roll back, delete, or move (resume, failover, failback), as identity holds prod
 * grants and inventory holds prod relabelling for fleet-admins. An operator keeps every workload that stays off prod.
 */
public final class WorkloadWriteGuard implements WorkloadStore.WriteGuard {

    static final URI FLEET_ADMIN_REQUIRED = URI.create("https://meridian.io/problems/fleet-admin-required");

    private final boolean fleetAdmin;

    private WorkloadWriteGuard(boolean fleetAdmin) {
        this.fleetAdmin = fleetAdmin;
    }

    /** The guard for the caller of the current request. */
    public static WorkloadWriteGuard forCaller(SecurityIdentity identity) {
        return new WorkloadWriteGuard(identity.hasRole(Roles.ADMIN));
    }

    /** The caller as audit records and a workload's bookkeeping name it. */
    static String actor(SecurityIdentity identity) {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    /**
     * Refuses with 403, naming the field, when the caller is not a fleet-admin and {@code current} (null: none yet) or
     * {@code next} (null: a delete) can reach production clusters.
     */
    @Override
    public void check(Workload current, Workload next) {
        if (fleetAdmin) {
            return;
        }
        List<FieldProblem> problems = new ArrayList<>();
        if (current != null && Production.reachableBy(current.placement().clusterSelector())) {
            problems.add(new FieldProblem(
                    "name",
                    "workload '" + current.name() + "' can run on production clusters now (its clusterSelector"
                            + " does not rule out environment prod): only a fleet-admin may change, roll back,"
                            + " move or delete it"));
        }
        if (next != null && Production.reachableBy(next.placement().clusterSelector())) {
            problems.add(new FieldProblem(
                    "placement.clusterSelector",
                    "can select production clusters: only a fleet-admin may place a workload there. Ask one, or"
                            + " rule prod out for both the registered environment and the environment label, e.g."
                            + " {\"environments\": [\"staging\"], \"labelSelector\": \"environment!=prod\"}"));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(new Problem(
                    FLEET_ADMIN_REQUIRED,
                    "Forbidden",
                    403,
                    "Only a fleet-admin may change what runs on production clusters: "
                            + String.join(
                                    "; ",
                                    problems.stream().map(FieldProblem::message).toList()),
                    null,
                    FieldProblems.errors(problems)));
        }
    }
}
