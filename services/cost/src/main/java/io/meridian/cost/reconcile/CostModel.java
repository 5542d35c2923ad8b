package io.meridian.cost.reconcile;

import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.metrics.MetricsBatch;
import io.meridian.contracts.metrics.Sample;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.cost.config.CostConfig;
import io.meridian.cost.config.PriceCatalogFile;
import io.meridian.cost.domain.Allocator;
import io.meridian.cost.domain.ClusterRates;
import io.meridian.cost.domain.FleetState;
import io.meridian.cost.domain.OnPremPrices;
import io.meridian.cost.domain.PriceBook;
import io.meridian.cost.domain.PriceCatalog;
import io.meridian.cost.domain.PriceOverride;
import io.meridian.cost.domain.ResourceRates;
import io.meridian.cost.domain.SeriesStats;
import io.meridian.cost.domain.SharedCostPolicy;
import io.meridian.cost.domain.UsageLedger;
import io.meridian.cost.domain.UsageSummary;
import io.meridian.cost.domain.WindowAllocation;
import io.meridian.cost.domain.WindowInput;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The service's live view: the fleet as the resource and cluster streams describe it, usage folded into hours,
 * and the price book. Allocates any hour on demand; which hours are closed for good is the closer's business.
 * Every method is synchronized: consumers, timers and requests share it, and allocation is fast.
 */
@ApplicationScoped
@Startup
public class CostModel {

    private final FleetState fleet = new FleetState();
    private final UsageLedger usage = new UsageLedger();
    private Instant fleetSince;
    private Instant forgottenBefore = Instant.MIN;
    private final PriceCatalog catalog;
    private final OnPremPrices onPrem;
    private final SharedCostPolicy shared;
    private final Clock clock;
    private final int keepHours;
    private final Instant startedHour;
    private final Instant startedAt;
    private volatile PriceBook prices;

    CostModel(CostConfig config, Clock clock) {
        this.clock = clock;
        this.keepHours = config.windows().keepHours();
        this.startedAt = clock.instant();
        this.startedHour = UsageLedger.hourOf(startedAt);
        this.catalog = PriceCatalogFile.load(config.catalog());
        CostConfig.OnPrem o = config.onprem();
        this.onPrem = new OnPremPrices(
                o.instanceHourly(),
                new ResourceRates(o.cpuCoreHour(), o.ramGibHour(), o.gpuHour()),
                o.storageGibMonth(),
                o.defaultStorageGibMonth(),
                o.egressPerGb());
        this.shared = new SharedCostPolicy(
                Set.copyOf(config.shared().namespaces()),
                "even".equals(config.shared().split()) ? SharedCostPolicy.Split.even : SharedCostPolicy.Split.weighted);
        this.prices = new PriceBook(catalog, List.of(), onPrem);
    }

    /** The hour this replica started in. */
    public Instant startedHour() {
        return startedHour;
    }

    /** When this replica started, by the service clock. */
    public Instant startedAt() {
        return startedAt;
    }

    public PriceBook prices() {
        return prices;
    }

    public SharedCostPolicy sharedPolicy() {
        return shared;
    }

    /** Replaces the overrides in force (after a change through the API, or at startup). */
    public void overrides(List<PriceOverride> overrides) {
        prices = new PriceBook(catalog, overrides, onPrem);
    }

    public synchronized void cluster(ClusterSnapshot snapshot) {
        fleet.cluster(new FleetState.ClusterPlace(
                snapshot.clusterId(),
                snapshot.cloud() == null ? "other" : snapshot.cloud().wireName(),
                snapshot.region() != null ? snapshot.region() : snapshot.detectedRegion(),
                snapshot.labels()));
        touch(snapshot.observedAt());
    }

    public synchronized void clusterGone(String clusterId) {
        fleet.forgetCluster(clusterId);
    }

    public synchronized void observed(ObservedResource resource) {
        fleet.observed(resource);
        touch(resource.observedAt());
    }

    public synchronized void deleted(String key) {
        fleet.deleted(key, clock.instant());
    }

    public synchronized void resyncCompleted(io.meridian.contracts.resource.ResyncMarker completed) {
        fleet.resyncCompleted(completed, clock.instant());
    }

    public synchronized void metrics(MetricsBatch batch) {
        for (Sample s : batch.samples()) {
            usage.record(batch.clusterId(), batch.scrapedAt(), s.metric(), s.labels(), s.value(), s.timestamp());
        }
        touch(batch.scrapedAt());
    }

    /**
     * Notes since when the fleet is known, by the observation times of what was read: every hour since is allocated,
     * with or without usage. Never before this replica started: hours it did not see are not made up from the fleet
     * as it is now (hours with usage samples, which the metrics topic keeps for two days, are allocated from those).
     */
    private void touch(Instant observedAt) {
        if (fleet.clusterIds().isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Instant at = observedAt == null || observedAt.isAfter(now) ? now : observedAt;
        Instant earliest = now.minus(Duration.ofHours(keepHours));
        earliest = earliest.isBefore(startedHour) ? startedHour : earliest;
        Instant hour = UsageLedger.hourOf(at.isBefore(earliest) ? earliest : at);
        if (fleetSince == null || hour.isBefore(fleetSince)) {
            fleetSince = hour;
        }
    }

    /** Hours that hold usage, and every hour since the fleet was first known, up to the current one, in order. */
    public synchronized TreeSet<Instant> knownHours() {
        TreeSet<Instant> hours = usage.hours();
        if (fleetSince != null) {
            Instant current = UsageLedger.hourOf(clock.instant());
            Instant from = fleetSince.isBefore(forgottenBefore) ? UsageLedger.hourOf(forgottenBefore) : fleetSince;
            for (Instant h = from; !h.isAfter(current); h = h.plus(UsageLedger.HOUR)) {
                hours.add(h);
            }
        }
        hours.removeIf(h -> h.isBefore(forgottenBefore));
        return hours;
    }

    public synchronized List<String> clusterIds() {
        return fleet.clusterIds();
    }

    /** The registered clusters and the rates of those whose nodes are known, at the prices in force, at once. */
    public synchronized FleetRates rates() {
        PriceBook book = prices;
        Map<String, ClusterRates> rates = new java.util.TreeMap<>();
        List<String> registered = fleet.clusterIds();
        for (String id : registered) {
            FleetState.ClusterPlace place = fleet.place(id);
            ClusterRates.of(id, place.cloud(), place.region(), fleet.nodes(id), book)
                    .ifPresent(r -> rates.put(id, r));
        }
        return new FleetRates(Set.copyOf(registered), rates);
    }

    /**
     * The clusters registered now and the rates of each that has nodes of known capacity; a registered cluster without
     * rates is one whose nodes are not known (yet).
     */
    public record FleetRates(Set<String> registered, Map<String, ClusterRates> rates) {
        public FleetRates {
            registered = Set.copyOf(registered);
            rates = Map.copyOf(rates);
        }
    }

    public synchronized String cloudOf(String clusterId) {
        FleetState.ClusterPlace place = fleet.place(clusterId);
        return place == null ? null : place.cloud();
    }

    /**
     * Allocates the hour starting at {@code hourStart}: whole when it has ended, up to now when it is the current one.
     *
     * @param priorEgressGB per cluster, GB already sent to other clouds this month (for the volume tiers)
     */
    public synchronized WindowAllocation allocate(Instant hourStart, Map<String, Double> priorEgressGB) {
        Instant now = clock.instant();
        Instant hourEnd = hourStart.plus(UsageLedger.HOUR);
        Instant end = now.isBefore(hourEnd) ? now : hourEnd;
        if (!end.isAfter(hourStart)) {
            end = hourStart.plusMillis(1);
        }
        Duration elapsed = Duration.between(hourStart, end);
        List<WindowInput.ClusterInput> clusters = new ArrayList<>();
        List<WindowInput.Traffic> traffic = new ArrayList<>();
        for (String id : fleet.clusterIds()) {
            UsageLedger.HourUsage hour = usage.usage(id, hourStart);
            WindowInput.ClusterInput input =
                    fleet.input(id, hourStart, elapsed, hour, priorEgressGB.getOrDefault(id, 0.0));
            if (input != null) {
                clusters.add(input);
            }
            if (hour != null) {
                hour.traffic()
                        .forEach((flow, bytes) -> traffic.add(new WindowInput.Traffic(
                                flow.get(0), flow.get(1), flow.get(2), flow.get(3), flow.get(4), flow.get(5), bytes)));
            }
        }
        return new Allocator(prices, shared).allocate(new WindowInput(hourStart, end, clusters, traffic));
    }

    /** Per container and per node, the usage of the recent hours (the current one included). */
    public synchronized UsageView usageOfRecentHours(int hours) {
        Instant current = UsageLedger.hourOf(clock.instant());
        List<UsageSummary.Container> containers = new ArrayList<>();
        List<UsageSummary.Node> nodes = new ArrayList<>();
        for (String id : fleet.clusterIds()) {
            FleetState.ClusterPlace place = fleet.place(id);
            List<UsageLedger.HourUsage> recent = new ArrayList<>();
            for (int i = 0; i < hours; i++) {
                UsageLedger.HourUsage h = usage.usage(id, current.minus(Duration.ofHours(i)));
                if (h != null) {
                    recent.add(h);
                }
            }
            Map<String, io.meridian.cost.domain.NodePrice> priced = new java.util.HashMap<>();
            for (io.meridian.cost.domain.NodeFacts n : fleet.nodes(id)) {
                io.meridian.cost.domain.NodePrice price = prices.node(place.cloud(), place.region(), n);
                priced.put(n.name(), price);
                SeriesStats cpu = new SeriesStats();
                SeriesStats ram = new SeriesStats();
                for (UsageLedger.HourUsage h : recent) {
                    if (h.nodeCpu().get(n.name()) != null) {
                        cpu.addAll(h.nodeCpu().get(n.name()));
                    }
                    if (h.nodeRam().get(n.name()) != null) {
                        ram.addAll(h.nodeRam().get(n.name()));
                    }
                }
                nodes.add(new UsageSummary.Node(
                        id, n.name(), price, cpu.mean(), ram.mean(), Math.min(cpu.count(), ram.count())));
            }
            for (FleetState.PodFacts p : fleet.pods(id, current.minus(Duration.ofHours(hours)))) {
                io.meridian.cost.domain.NodePrice node = priced.get(p.node());
                if (node == null) {
                    continue;
                }
                for (FleetState.ContainerSpec spec : p.containers()) {
                    SeriesStats cpu = new SeriesStats();
                    SeriesStats ram = new SeriesStats();
                    for (UsageLedger.HourUsage h : recent) {
                        SeriesStats c = h.containerCpu(p.namespace(), p.name(), spec.name());
                        SeriesStats r = h.containerRam(p.namespace(), p.name(), spec.name());
                        if (c != null) {
                            cpu.addAll(c);
                        }
                        if (r != null) {
                            ram.addAll(r);
                        }
                    }
                    containers.add(new UsageSummary.Container(
                            id,
                            place.cloud(),
                            p.namespace(),
                            p.name(),
                            spec.name(),
                            p.workloadKind(),
                            p.workloadName(),
                            p.labels(),
                            spec.cpuCores(),
                            spec.ramBytes(),
                            cpu,
                            ram,
                            node.rates()));
                }
            }
        }
        return new UsageView(containers, nodes);
    }

    /** Recent usage per container and node. */
    public record UsageView(List<UsageSummary.Container> containers, List<UsageSummary.Node> nodes) {}

    /** Forgets hours and deleted pods older than the cutoff. */
    public synchronized void forgetBefore(Instant cutoff) {
        usage.forgetBefore(cutoff);
        forgottenBefore = cutoff.isAfter(forgottenBefore) ? cutoff : forgottenBefore;
        fleet.forgetDeletedBefore(cutoff.minus(FleetState.keepDeleted()));
    }
}
