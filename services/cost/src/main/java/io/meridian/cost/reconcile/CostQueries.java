package io.meridian.cost.reconcile;

import io.meridian.cost.domain.Aggregation;
import io.meridian.cost.domain.Allocation;
import io.meridian.cost.domain.BudgetScopes;
import io.meridian.cost.domain.CostTotals;
import io.meridian.cost.domain.TimeWindow;
import io.meridian.cost.domain.UsageLedger;
import io.meridian.cost.domain.WindowAllocation;
import io.meridian.cost.persistence.AllocationStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers cost questions over a window: closed hours from the database, hours not closed yet (the current one, or
 * one within its grace) allocated on demand from the live model.
 */
@ApplicationScoped
public class CostQueries {

    /** Groups, what the assets cost, and how many windows were closed or computed on demand. */
    public record Result(Map<String, CostTotals> groups, double assetTotal, int closedWindows, int openWindows) {}

    private final CostModel model;
    private final AllocationStore store;
    private final WindowCloser closer;

    CostQueries(CostModel model, AllocationStore store, WindowCloser closer) {
        this.model = model;
        this.store = store;
        this.closer = closer;
    }

    public String currency() {
        return model.prices().currency();
    }

    public Uni<Result> allocation(TimeWindow window, Aggregation by) {
        return store.persistedWindows(window.start(), window.end())
                .chain(persisted -> store.aggregate(window.start(), window.end(), by)
                        .chain(groups -> store.assetTotal(window.start(), window.end())
                                .chain(assets -> openWindows(window, persisted).map(open -> {
                                    Map<String, CostTotals> merged = new TreeMap<>(groups);
                                    double assetTotal = assets;
                                    for (WindowAllocation w : open) {
                                        Aggregation.aggregate(w.allocations(), by)
                                                .forEach((k, v) -> merged.merge(k, v, CostTotals::plus));
                                        assetTotal += w.assetTotal();
                                    }
                                    return new Result(merged, assetTotal, persisted.size(), open.size());
                                }))));
    }

    /** The hours of the window the model knows of and the database does not hold yet, allocated now. */
    public Uni<List<WindowAllocation>> openWindows(TimeWindow window, java.util.Set<Instant> persisted) {
        List<Instant> hours = model.knownHours().stream()
                .filter(h -> !h.isBefore(window.start()) && h.isBefore(window.end()) && !persisted.contains(h))
                .toList();
        return Multi.createFrom()
                .iterable(hours)
                .onItem()
                .transformToUniAndConcatenate(h -> closer.priorEgress(h).map(prior -> model.allocate(h, prior)))
                .collect()
                .asList();
    }

    /** Every window of the last {@code hours} hours the model still holds, closed or not, allocated from memory. */
    public Uni<List<WindowAllocation>> recentWindows(Instant now, int hours) {
        Instant from = UsageLedger.hourOf(now).minus(java.time.Duration.ofHours(hours - 1L));
        return openWindows(new TimeWindow(from, UsageLedger.hourOf(now).plus(UsageLedger.HOUR)), java.util.Set.of());
    }

    /** Since when there is cost data from {@code from} on: the first closed window, else the first hour in memory. */
    public Uni<Instant> dataSince(Instant from) {
        return store.firstWindow(from).map(first -> {
            Instant inMemory = model.knownHours().stream()
                    .filter(h -> !h.isBefore(from))
                    .findFirst()
                    .orElse(null);
            if (first.isPresent() && (inMemory == null || first.get().isBefore(inMemory))) {
                return first.get();
            }
            return inMemory == null ? from : inMemory;
        });
    }

    /** What a budget scope spent in {@code [from, now]}: closed hours from the database plus the open ones. */
    public Uni<Double> spend(String scope, TimeWindow window) {
        return store.persistedWindows(window.start(), window.end())
                .chain(persisted -> store.spend(scope, window.start(), window.end())
                        .chain(closed -> openWindows(window, persisted).map(open -> {
                            double total = closed;
                            for (WindowAllocation w : open) {
                                for (Allocation a : w.allocations()) {
                                    if (BudgetScopes.contains(scope, a)) {
                                        total += a.totalCost();
                                    }
                                }
                            }
                            return total;
                        })));
    }
}
