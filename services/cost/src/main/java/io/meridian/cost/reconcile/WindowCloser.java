package io.meridian.cost.reconcile;

import io.meridian.contracts.cost.CostSummary;
import io.meridian.cost.config.CostConfig;
import io.meridian.cost.domain.CostSummaries;
import io.meridian.cost.domain.UsageLedger;
import io.meridian.cost.domain.WindowAllocation;
import io.meridian.cost.persistence.AllocationStore;
import io.meridian.cost.persistence.PriceOverrides;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Allocates each ended hour once it is past the grace for late samples, and persists it with its cost summaries.
 * The window row's insert decides, so a repeated tick or a second replica never publishes a window twice.
 */
@ApplicationScoped
public class WindowCloser {

    private static final Logger LOG = Logger.getLogger(WindowCloser.class);
    static final List<String> SUMMARY_LABELS = List.of("team");

    private final CostModel model;
    private final AllocationStore store;
    private final PriceOverrides overrides;
    private final CostGauges gauges;
    private final CostConfig config;
    private final Clock clock;

    WindowCloser(
            CostModel model,
            AllocationStore store,
            PriceOverrides overrides,
            CostGauges gauges,
            CostConfig config,
            Clock clock) {
        this.model = model;
        this.store = store;
        this.overrides = overrides;
        this.gauges = gauges;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(
            every = "${meridian.cost.windows.close-every:30s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        // Overrides changed through another replica reach this one here.
        return overrides
                .all()
                .invoke(model::overrides)
                .chain(this::closeDue)
                .onFailure()
                .invoke(e -> LOG.warnf(e, "closing windows failed; the next tick tries again"))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Closes every ended hour not closed yet; returns how many this call persisted. */
    public Uni<Integer> closeDue() {
        Instant now = clock.instant();
        if (now.isBefore(model.startedAt().plus(config.windows().startupSettle()))) {
            return Uni.createFrom().item(0); // the fleet is still being read back from the topics
        }
        Instant cutoff = now.minus(config.windows().closeGrace());
        List<Instant> due = model.knownHours().stream()
                .filter(h -> !h.plus(UsageLedger.HOUR).isAfter(cutoff))
                .toList();
        if (due.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        AtomicInteger closed = new AtomicInteger();
        return store.persistedWindows(due.getFirst(), due.getLast().plus(UsageLedger.HOUR))
                .chain(persisted -> Multi.createFrom()
                        .iterable(
                                due.stream().filter(h -> !persisted.contains(h)).toList())
                        .onItem()
                        .transformToUniAndConcatenate(hour -> close(hour).invoke(saved -> {
                            if (saved) {
                                closed.incrementAndGet();
                            }
                        }))
                        .collect()
                        .asList())
                .invoke(() -> model.forgetBefore(
                        now.minus(java.time.Duration.ofHours(config.windows().keepHours()))))
                .map(x -> closed.get());
    }

    private Uni<Boolean> close(Instant hour) {
        Instant monthStart = YearMonth.from(hour.atZone(ZoneOffset.UTC))
                .atDay(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        return store.crossCloudGB(monthStart, hour).chain(prior -> {
            WindowAllocation window = model.allocate(hour, prior);
            List<CostSummary> summaries =
                    CostSummaries.of(window, model.prices().currency(), SUMMARY_LABELS);
            return store.saveWindow(window, summaries).invoke(saved -> {
                if (saved) {
                    gauges.closed(window);
                    LOG.infof(
                            "window %s allocated: %d clusters, assets %.4f %s, %d summaries",
                            hour,
                            window.assets().size(),
                            window.assetTotal(),
                            model.prices().currency(),
                            summaries.size());
                }
            });
        });
    }

    /** Prior cross-cloud GB of the month for the open window, as the closed windows recorded it. */
    public Uni<Map<String, Double>> priorEgress(Instant hour) {
        Instant monthStart = YearMonth.from(hour.atZone(ZoneOffset.UTC))
                .atDay(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        return store.crossCloudGB(monthStart, hour);
    }
}
