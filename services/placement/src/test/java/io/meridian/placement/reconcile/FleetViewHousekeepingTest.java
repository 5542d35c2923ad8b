package io.meridian.placement.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.eventing.catchup.FleetViewCatchUp;
import io.meridian.placement.config.PlacementConfig;
import jakarta.enterprise.event.Event;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetViewHousekeepingTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(10);

    private final FleetViewCache cache = new FleetViewCache(Clock.fixed(T0, ZoneOffset.UTC));
    private final List<ClustersHeld> announced = new ArrayList<>();

    @Test
    void everyRunAnnouncesTheClustersStillHeldSoAMemoryRefilledMeanwhileIsCleanedUp() {
        cache.cluster(FleetViewCacheTest.cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, T0));
        cache.cluster(FleetViewCacheTest.cluster("aws-2", Cloud.AWS, ClusterPhase.Ready, T0));
        cache.clusterGone("aws-2");
        // Its node, read after its deregistration: the view holds aws-2 until the TTL has passed.
        cache.observed(FleetViewCacheTest.node("aws-2", "n1", "4", "16Gi", null, 1));

        housekeeping(T0.plusSeconds(60), true).forgetUnregisteredClusters();
        assertThat(announced).extracting(ClustersHeld::clusterIds).containsExactly(java.util.Set.of("aws-1", "aws-2"));

        FleetViewHousekeeping later = housekeeping(T0.plus(TTL).plusSeconds(1), true);
        later.forgetUnregisteredClusters();
        // Nothing more to forget, and still announced: a reconcile in flight may have put aws-2 back somewhere.
        later.forgetUnregisteredClusters();
        assertThat(announced.subList(1, 3))
                .extracting(ClustersHeld::clusterIds)
                .containsOnly(java.util.Set.of("aws-1"));
    }

    @Test
    void nothingIsAnnouncedBeforeTheViewCaughtUp() {
        cache.cluster(FleetViewCacheTest.cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, T0));
        housekeeping(T0.plus(TTL).plusSeconds(1), false).forgetUnregisteredClusters();
        assertThat(announced).isEmpty();
    }

    private FleetViewHousekeeping housekeeping(Instant now, boolean caughtUp) {
        FleetViewCatchUp catchUp = caughtUp
                ? WorkloadOwnershipTest.caughtUp()
                : new FleetViewCatchUp(WorkloadOwnershipTest.PLACEMENT_STREAMS);
        return new FleetViewHousekeeping(cache, catchUp, config(), Clock.fixed(now, ZoneOffset.UTC), recorder());
    }

    private static PlacementConfig config() {
        return (PlacementConfig) Proxy.newProxyInstance(
                PlacementConfig.class.getClassLoader(), new Class<?>[] {PlacementConfig.class}, (p, method, args) -> {
                    if (method.getName().equals("unregisteredClusterTtl")) {
                        return TTL;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @SuppressWarnings("unchecked")
    private Event<ClustersHeld> recorder() {
        return (Event<ClustersHeld>) Proxy.newProxyInstance(
                Event.class.getClassLoader(), new Class<?>[] {Event.class}, (p, method, args) -> {
                    if (method.getName().equals("fire")) {
                        announced.add((ClustersHeld) args[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
