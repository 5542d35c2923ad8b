package io.meridian.placement.reconcile;

import io.meridian.eventing.catchup.FleetViewCatchUp;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the fleet view has read the fleet streams as far as they went at start (before that the reconciler does
 * not decide, and the placement explanation would show clusters missing) and the consumer group has assigned this
 * replica its share of workloads (before that no workload is reconciled on fleet events here: a rolling restart that
 * took the old replica away on this one's readiness would leave failover to nobody).
 */
@Readiness
@ApplicationScoped
public class PlacementReadiness implements HealthCheck {

    private final FleetViewCatchUp catchUp;
    private final WorkloadOwnership ownership;

    PlacementReadiness(FleetViewCatchUp catchUp, WorkloadOwnership ownership) {
        this.catchUp = catchUp;
        this.ownership = ownership;
    }

    @Override
    public HealthCheckResponse call() {
        boolean caughtUp = catchUp.caughtUp();
        boolean joined = ownership.hasJoined();
        return HealthCheckResponse.named("placement-fleet-view")
                .status(caughtUp && joined)
                .withData("caughtUp", caughtUp)
                .withData("reading", String.join(",", catchUp.pending()))
                .withData("workloadOwnerAssigned", joined)
                .withData("ownedPartitions", ownership.partitions().toString())
                .build();
    }
}
