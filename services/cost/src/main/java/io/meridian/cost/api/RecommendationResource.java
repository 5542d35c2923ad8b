package io.meridian.cost.api;

import io.meridian.cost.config.CostConfig;
import io.meridian.cost.domain.Recommendation;
import io.meridian.cost.domain.RecommendationRules;
import io.meridian.cost.domain.Recommender;
import io.meridian.cost.reconcile.CostModel;
import io.meridian.cost.reconcile.CostQueries;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What to change to pay less, with estimated monthly savings. */
@Path("/api/v1/recommendations")
@Tag(name = "recommendations")
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationResource {

    private final CostModel model;
    private final CostQueries queries;
    private final CostConfig config;
    private final Clock clock;

    RecommendationResource(CostModel model, CostQueries queries, CostConfig config, Clock clock) {
        this.model = model;
        this.queries = queries;
        this.config = config;
        this.clock = clock;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Right-sizing, cheaper cloud, co-location, idle workloads and underused nodes")
    public Uni<RecommendationReport> recommendations(
            @QueryParam("hours") @DefaultValue("24") int hours, @QueryParam("kind") String kind) {
        if (hours < 1 || hours > config.windows().keepHours()) {
            throw ProblemException.invalid(
                    "hours", "must be between 1 and " + config.windows().keepHours());
        }
        Set<String> kinds = Set.of("rightsize", "cheaper-cloud", "colocate", "idle-workload", "underused-node");
        if (kind != null && !kinds.contains(kind)) {
            throw ProblemException.invalid("kind", "must be one of " + String.join(", ", kinds));
        }
        Instant now = clock.instant();
        CostConfig.Recommendations r = config.recommendations();
        RecommendationRules rules = new RecommendationRules(
                r.cpuTargetUtilization(),
                r.ramTargetUtilization(),
                r.percentile(),
                r.cpuFloorMillis() / 1000.0,
                r.ramFloorMib() * 1024.0 * 1024.0,
                r.minMonthlySavings(),
                r.chattyMonthlyEgress(),
                r.idleCpuCores(),
                r.underusedNodeUtilization(),
                r.portableLabel(),
                model.sharedPolicy().namespaces());
        return queries.recentWindows(now, hours).map(windows -> {
            CostModel.UsageView usage = model.usageOfRecentHours(hours);
            List<Recommendation> items = new Recommender(model.prices(), rules)
                    .recommend(windows, usage.containers(), usage.nodes()).stream()
                            .filter(i -> kind == null || i.kind().equals(kind))
                            .toList();
            return new RecommendationReport(
                    now,
                    hours,
                    model.prices().currency(),
                    items.stream().mapToDouble(Recommendation::monthlySavings).sum(),
                    items);
        });
    }
}
