package io.meridian.placement.reconcile;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the fleet view has read the fleet streams as far as they went at start: before that the reconciler does
 * not decide, and the placement explanation would show clusters missing.
 */
@Readiness
@ApplicationScoped
public class PlacementReadiness implements HealthCheck {

    private final FleetViewCatchUp catchUp;

    PlacementReadiness(FleetViewCatchUp catchUp) {
        this.catchUp = catchUp;
    }

    @Override
    public HealthCheckResponse call() {
        boolean caughtUp = catchUp.caughtUp();
        return HealthCheckResponse.named("placement-fleet-view")
                .status(caughtUp)
                .withData("caughtUp", caughtUp)
                .withData("reading", String.join(",", catchUp.pending()))
                .build();
    }
}
