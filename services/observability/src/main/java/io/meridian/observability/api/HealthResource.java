package io.meridian.observability.api;

import io.meridian.observability.domain.FleetHealth;
import io.meridian.observability.domain.HealthAssessor;
import io.meridian.observability.persistence.AlertStore;
import io.meridian.servicekit.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The fleet's health: one summary, per cloud and per cluster. */
@Path("/api/v1/health")
@Tag(name = "health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    private final HealthAssessor health;
    private final AlertStore alerts;
    private final Clock clock;

    HealthResource(HealthAssessor health, AlertStore alerts, Clock clock) {
        this.health = health;
        this.alerts = alerts;
        this.clock = clock;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Fleet health from inventory status, node readiness, crash loops and saturation;"
                    + " optionally only one cloud or cluster")
    public Uni<FleetHealth> get(@QueryParam("cloud") String cloud, @QueryParam("cluster") String cluster) {
        return alerts.countFiring().map(firing -> {
            FleetHealth all = health.assess(clock.instant(), firing.intValue());
            if (cloud == null && cluster == null) {
                return all;
            }
            return new FleetHealth(
                    all.at(),
                    all.summary(),
                    all.clouds().stream()
                            .filter(c -> cloud == null || c.cloud().equals(cloud))
                            .toList(),
                    all.clusters().stream()
                            .filter(c -> cloud == null || c.cloud().equals(cloud))
                            .filter(c -> cluster == null || c.cluster().equals(cluster))
                            .toList());
        });
    }
}
