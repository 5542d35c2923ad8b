package io.meridian.placement.reconcile;

import io.meridian.eventing.catchup.FleetViewCatchUp;
import io.meridian.placement.config.PlacementConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keeps the in-memory {@link FleetViewCache} from growing forever: what the streams said of a cluster that is not
 * registered (it left the fleet, and its objects or rates came after its deregistration) is forgotten once it stayed
 * so for {@code meridian.placement.unregistered-cluster-ttl}. Only once the view caught up: while the streams are
 * read after a start, a cluster's objects may precede its registration. The other per-cluster memories hear which
 * clusters remain at every run ({@link ClustersHeld}).
 */
@ApplicationScoped
public class FleetViewHousekeeping {

    private static final Logger LOG = Logger.getLogger(FleetViewHousekeeping.class);

    private final FleetViewCache fleet;
    private final FleetViewCatchUp catchUp;
    private final PlacementConfig config;
    private final Clock clock;
    private final Event<ClustersHeld> held;

    FleetViewHousekeeping(
            FleetViewCache fleet,
            FleetViewCatchUp catchUp,
            PlacementConfig config,
            Clock clock,
            Event<ClustersHeld> held) {
        this.fleet = fleet;
        this.catchUp = catchUp;
        this.config = config;
        this.clock = clock;
        this.held = held;
    }

    @Scheduled(
            every = "${meridian.placement.resync-period:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetUnregisteredClusters() {
        if (!catchUp.caughtUp()) {
            return;
        }
        Set<String> gone = fleet.forgetUnregistered(clock.instant().minus(config.unregisteredClusterTtl()));
        if (!gone.isEmpty()) {
            LOG.infof("fleet view: forgot %d clusters that are not registered: %s", gone.size(), gone);
        }
        held.fire(new ClustersHeld(fleet.heldClusterIds()));
    }
}
