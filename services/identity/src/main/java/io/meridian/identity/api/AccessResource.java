package io.meridian.identity.api;

import io.meridian.identity.domain.AccessReview;
import io.meridian.identity.persistence.FleetView;
import io.meridian.identity.persistence.GrantQueries;
import io.meridian.identity.persistence.ObservedRbacStore;
import io.meridian.identity.reconcile.BundleDeclarations;
import io.meridian.servicekit.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Access review: who can do what where, from grants and from the RBAC observed on clusters. */
@Path("/api/v1/access")
@Tag(name = "access")
@Produces(MediaType.APPLICATION_JSON)
public class AccessResource {

    /** The entries of a review, and how many came from grants and from observation. */
    public record AccessPage(List<AccessReview.Entry> items, int total) {}

    /** Risky unmanaged bindings. */
    public record FindingPage(List<AccessReview.Finding> items, int total) {}

    /** A cluster as identity knows it, the grants that reach it and the bundle generation declared for it. */
    public record ClusterAccess(
            String id,
            String cloud,
            String region,
            String environment,
            java.util.Map<String, String> labels,
            boolean prod,
            List<String> grants,
            Long generation) {}

    private final FleetView fleet;
    private final GrantQueries grants;
    private final ObservedRbacStore observed;
    private final AccessReview review;

    AccessResource(FleetView fleet, GrantQueries grants, ObservedRbacStore observed, BundleDeclarations bundles) {
        this.fleet = fleet;
        this.grants = grants;
        this.observed = observed;
        this.review = new AccessReview(bundles.planner().subjects());
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Who can do what where",
            description = "subject: group/payments, user/alice, a plain name, or a Kubernetes subject name;"
                    + " namespace also shows cluster-wide access.")
    public Uni<AccessPage> review(
            @QueryParam("subject") String subject,
            @QueryParam("cluster") String cluster,
            @QueryParam("namespace") String namespace) {
        AccessReview.Query query = new AccessReview.Query(blank(subject), blank(cluster), blank(namespace));
        return fleet.snapshot()
                .chain(snapshot -> grants.all()
                        .chain(all -> observed.all(query.cluster())
                                .map(rbac ->
                                        review.entries(query, snapshot.clusters(), all, snapshot.templates(), rbac))))
                .map(entries -> new AccessPage(entries, entries.size()));
    }

    @GET
    @Path("/clusters")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "The fleet as identity knows it: per cluster, the grants that reach it and its bundle generation")
    public Uni<List<ClusterAccess>> clusters() {
        return fleet.snapshot()
                .chain(snapshot -> grants.all()
                        .map(all -> snapshot.clusters().stream()
                                .map(c -> new ClusterAccess(
                                        c.id(),
                                        c.cloud(),
                                        c.region(),
                                        c.environment(),
                                        c.labels(),
                                        c.isProd(),
                                        all.stream()
                                                .filter(g -> g.reaches(c)
                                                        && g.approvalHolds(snapshot.templates()
                                                                .get(g.role())))
                                                .map(g -> g.id())
                                                .toList(),
                                        snapshot.declared().get(c.id())))
                                .toList()));
    }

    @GET
    @Path("/findings")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Risky bindings Meridian does not manage, per cluster",
            description = "cluster-admin, system:masters, wildcards, reading secrets, pods exec/attach/portforward,"
                    + " nodes/proxy, serviceaccounts/token, admission configuration writes, certificate approval or"
                    + " signing, escalate/bind/impersonate.")
    public Uni<FindingPage> findings(@QueryParam("cluster") String cluster) {
        return observed.all(blank(cluster))
                .map(rbac -> review.findings(blank(cluster), rbac))
                .map(found -> new FindingPage(found, found.size()));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
