package io.meridian.policy.api;

import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.policy.persistence.ViolationStore;
import io.meridian.policy.reconcile.ComplianceReconciler;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What breaks which rule where: summaries, violations with filters and paging, and per-cluster PolicyReports. */
@Path("/api/v1/compliance")
@Tag(name = "compliance")
@Produces(MediaType.APPLICATION_JSON)
public class ComplianceResource {

    static final int MAX_PAGE = 500;
    private static final Set<String> DIMENSIONS = Set.of("cluster", "policy", "category", "severity");
    private static final Set<String> SEVERITIES = Set.of("low", "medium", "high", "critical");

    private final ViolationStore violations;
    private final ComplianceReconciler reconciler;
    private final Clock clock;

    ComplianceResource(ViolationStore violations, ComplianceReconciler reconciler, Clock clock) {
        this.violations = violations;
        this.reconciler = reconciler;
        this.clock = clock;
    }

    /** One page of open violations. */
    public record ViolationPage(List<ComplianceResult> items, long total, int limit, int offset) {}

    @GET
    @Path("/summary")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Open violations counted per cluster, policy, category or severity (by=...)")
    public Uni<Map<String, Object>> summary(@QueryParam("by") @DefaultValue("cluster") String by) {
        if (!DIMENSIONS.contains(by)) {
            throw ProblemException.invalid("by", "must be one of cluster, policy, category, severity");
        }
        return violations.countBy(by).map(counts -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("by", by);
            out.put("total", counts.values().stream().mapToLong(Long::longValue).sum());
            out.put("counts", counts);
            return out;
        });
    }

    @GET
    @Path("/violations")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Open violations, filtered and paged")
    public Uni<ViolationPage> violations(
            @QueryParam("policy") String policy,
            @QueryParam("cluster") String cluster,
            @QueryParam("namespace") String namespace,
            @QueryParam("kind") String kind,
            @QueryParam("severity") String severity,
            @QueryParam("category") String category,
            @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset) {
        List<io.meridian.servicekit.Problem.FieldError> errors = new ArrayList<>();
        if (limit < 1 || limit > MAX_PAGE) {
            errors.add(new io.meridian.servicekit.Problem.FieldError("limit", "must be between 1 and " + MAX_PAGE));
        }
        if (offset < 0) {
            errors.add(new io.meridian.servicekit.Problem.FieldError("offset", "must not be negative"));
        }
        if (severity != null && !SEVERITIES.contains(severity)) {
            errors.add(new io.meridian.servicekit.Problem.FieldError(
                    "severity", "must be one of low, medium, high, critical"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        var filter = new ViolationStore.Filter(policy, cluster, namespace, kind, severity, category);
        return violations
                .page(filter, limit, offset)
                .map(page -> new ViolationPage(page.items(), page.total(), limit, offset));
    }

    @GET
    @Path("/clusters/{cluster}/report")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The cluster's compliance as a wgpolicyk8s.io/v1alpha2 ClusterPolicyReport")
    public Uni<Map<String, Object>> report(@PathParam("cluster") String cluster) {
        var filter = new ViolationStore.Filter(null, cluster, null, null, null, null);
        return violations
                .page(filter, 100_000, 0)
                .chain(page -> Uni.createFrom()
                        .completionStage(reconciler.tallies(cluster))
                        .map(tallies -> PolicyReports.clusterReport(cluster, page.items(), tallies, clock.instant())));
    }
}
