package io.meridian.placement.messaging;

import io.meridian.contracts.cost.ClusterRatesPublished;
import io.meridian.contracts.fleet.FleetStreams;
import io.meridian.contracts.fleet.RatesEvent;
import io.meridian.eventing.catchup.FleetViewCatchUp;
import io.meridian.eventing.inbound.SkippedFleetEvents;
import io.meridian.placement.domain.ClusterRates;
import io.meridian.placement.reconcile.FleetViewCache;
import io.meridian.placement.reconcile.PlacementReconciler;
import io.smallrye.common.annotation.NonBlocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Each cluster's rates from {@code fleet.cost.v1}, which prices a workload's share for {@code prefer: cheapest} and
 * the cost in every explanation. The topic also carries cost summaries and budget events: they are not placement's
 * and pass unremarked; a newer producer's type under a rates key is counted and skipped; an unreadable record goes to
 * {@code fleet.cost.v1.dlq}.
 */
public class CostRatesConsumer {

    private final FleetViewCache fleet;
    private final FleetViewCatchUp catchUp;
    private final PlacementReconciler reconciler;
    private final SkippedFleetEvents skipped;

    CostRatesConsumer(
            FleetViewCache fleet,
            FleetViewCatchUp catchUp,
            PlacementReconciler reconciler,
            SkippedFleetEvents skipped) {
        this.fleet = fleet;
        this.catchUp = catchUp;
        this.reconciler = reconciler;
        this.skipped = skipped;
    }

    @Incoming("cost")
    @NonBlocking
    public void onCost(ConsumerRecord<String, byte[]> record) {
        try {
            reconciler.wake(
                    switch (FleetStreams.ratesEvent(record)) {
                        case RatesEvent.Published p -> fleet.rates(p.rates().clusterId(), rates(p.rates()));
                        case RatesEvent.Withdrawn w -> fleet.rates(w.clusterId(), null);
                        case RatesEvent.Unrelated ignored -> FleetViewCache.Affected.NOTHING;
                        case RatesEvent.Skipped s -> {
                            skipped.count(record, s);
                            yield FleetViewCache.Affected.NOTHING;
                        }
                    });
        } finally {
            catchUp.read(record.topic(), record.partition(), record.offset());
        }
    }

    static ClusterRates rates(ClusterRatesPublished p) {
        return new ClusterRates(p.currency(), p.cpuCoreHour(), p.memoryGibHour(), p.gpuHour(), p.spotShare());
    }
}
