package io.meridian.cost.reconcile;

import io.meridian.cost.config.CostConfig;
import io.meridian.cost.domain.ClusterRates;
import io.meridian.cost.persistence.PriceOverrides;
import io.meridian.cost.persistence.PublishedRates;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Keeps every cluster's rates on {@code fleet.cost.v1} equal to what its nodes and the prices in force say: level-
 * triggered, it compares the rates of the fleet as the model knows it with what was last published, publishes those
 * that changed (a node added or removed, another instance type, a price override) or that were published longer ago
 * than the republish interval, and tombstones the rates of clusters that are no longer registered.
 */
@ApplicationScoped
public class RatesPublisher {

    private static final Logger LOG = Logger.getLogger(RatesPublisher.class);

    private final CostModel model;
    private final PublishedRates published;
    private final PriceOverrides overrides;
    private final CostConfig config;
    private final Clock clock;

    RatesPublisher(
            CostModel model, PublishedRates published, PriceOverrides overrides, CostConfig config, Clock clock) {
        this.model = model;
        this.published = published;
        this.overrides = overrides;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(
            every = "${meridian.cost.rates.publish-every:30s}",
            delayed = "15s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        // Overrides changed through another replica reach this one here.
        return overrides
                .all()
                .invoke(model::overrides)
                .chain(this::publishDue)
                .onFailure()
                .invoke(e -> LOG.warnf(e, "publishing cluster rates failed; the next tick tries again"))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Publishes what changed or is due again and withdraws what is gone; returns how many records this call wrote. */
    public Uni<Integer> publishDue() {
        Instant now = clock.instant();
        // Until the replayed topics have rebuilt the fleet, a registered cluster could look gone and lose its rates.
        if (now.isBefore(model.startedAt().plus(config.windows().startupSettle()))) {
            return Uni.createFrom().item(0);
        }
        CostModel.FleetRates fleet = model.rates();
        Instant republishBefore = now.minus(config.rates().republishAfter());
        return published.all().chain(last -> {
            List<Uni<Boolean>> writes = new ArrayList<>();
            for (ClusterRates rates : fleet.rates().values()) {
                PublishedRates.Published before = last.get(rates.clusterId());
                if (before == null
                        || !before.rates().equals(rates)
                        || before.publishedAt().isBefore(republishBefore)) {
                    writes.add(published.publish(rates, now, republishBefore).invoke(done -> {
                        if (done) {
                            LOG.infof(
                                    "rates of cluster %s published: %s %.6f per core-hour, %.6f per GiB-hour,"
                                            + " %.6f per GPU-hour, spot share %.2f, %d nodes",
                                    rates.clusterId(),
                                    rates.currency(),
                                    rates.cpuCoreHour(),
                                    rates.memoryGibHour(),
                                    rates.gpuHour(),
                                    rates.spotShare(),
                                    rates.nodeCount());
                        }
                    }));
                }
            }
            // Only a deregistration withdraws rates: a registered cluster whose nodes are not (yet) known keeps them.
            for (Map.Entry<String, PublishedRates.Published> entry : last.entrySet()) {
                String clusterId = entry.getKey();
                if (!fleet.registered().contains(clusterId)) {
                    writes.add(published.withdraw(clusterId).invoke(done -> {
                        if (done) {
                            LOG.infof("rates of deregistered cluster %s withdrawn", clusterId);
                        }
                    }));
                }
            }
            return Multi.createFrom()
                    .iterable(writes)
                    .onItem()
                    .transformToUniAndConcatenate(write -> write)
                    .collect()
                    .asList()
                    .map(done ->
                            (int) done.stream().filter(Boolean::booleanValue).count());
        });
    }
}
