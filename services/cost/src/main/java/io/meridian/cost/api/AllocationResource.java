package io.meridian.cost.api;

import io.meridian.cost.domain.Aggregation;
import io.meridian.cost.domain.CostTotals;
import io.meridian.cost.domain.TimeWindow;
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
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Cost allocation over a window, grouped by cloud, cluster, namespace, workload or a label. */
@Path("/api/v1/allocation")
@Tag(name = "allocation")
@Produces(MediaType.APPLICATION_JSON)
public class AllocationResource {

    private final CostQueries queries;
    private final Clock clock;

    AllocationResource(CostQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Allocated cost of a window: closed hours as persisted, the current hour up to now")
    public Uni<AllocationReport> allocation(
            @Parameter(description = "6h, 7d, today, yesterday, month, or <start>,<end> (RFC 3339)")
                    @QueryParam("window")
                    @DefaultValue("24h")
                    String window,
            @Parameter(description = "cloud, cluster, namespace, workload or label:<key>")
                    @QueryParam("aggregate")
                    @DefaultValue("cluster")
                    String aggregate) {
        TimeWindow parsed = TimeWindow.parse(window, clock.instant())
                .orElseThrow(() -> ProblemException.invalid(
                        "window",
                        "must be <n>h, <n>d, today, yesterday, month or <start>,<end> as RFC 3339 instants,"
                                + " at most " + TimeWindow.LONGEST.toDays() + " days"));
        Aggregation by = Aggregation.parse(aggregate)
                .orElseThrow(() -> ProblemException.invalid(
                        "aggregate", "must be cloud, cluster, namespace, workload or label:<key>"));
        return queries.allocation(parsed, by).map(result -> {
            List<AllocationReport.Item> items = new ArrayList<>();
            CostTotals total = CostTotals.ZERO;
            for (var e : result.groups().entrySet()) {
                items.add(new AllocationReport.Item(e.getKey(), e.getValue()));
                total = total.plus(e.getValue());
            }
            items.sort((a, b) -> Double.compare(b.cost().totalCost(), a.cost().totalCost()));
            return new AllocationReport(
                    parsed.start(),
                    parsed.end(),
                    by.text(),
                    queries.currency(),
                    items,
                    total,
                    result.assetTotal(),
                    result.closedWindows(),
                    result.openWindows());
        });
    }
}
