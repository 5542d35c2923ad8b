package io.meridian.policy.reconcile;

import io.meridian.eventing.catchup.FleetViewCatchUp;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the compliance view has read the clusters and the objects as far as their topics went when they were
 * assigned: before that this replica writes no violation and declares no enforcement bundle (a partial view would
 * close violations and prune admission policies), and a replica stuck there says what it is still reading.
 */
@Readiness
@ApplicationScoped
public class ComplianceReadiness implements HealthCheck {

    private final FleetViewCatchUp catchUp;

    ComplianceReadiness(FleetViewCatchUp catchUp) {
        this.catchUp = catchUp;
    }

    @Override
    public HealthCheckResponse call() {
        boolean caughtUp = catchUp.caughtUp();
        return HealthCheckResponse.named("policy-compliance-view")
                .status(caughtUp)
                .withData("caughtUp", caughtUp)
                .withData("reading", String.join(",", catchUp.pending()))
                .build();
    }
}
