package io.meridian.placement.domain;

import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.contracts.selector.SelectableLabels;
import io.meridian.placement.domain.PlacementDecision.ChosenCluster;
import io.meridian.placement.domain.PlacementDecision.Displacement;
import io.meridian.placement.domain.PlacementDecision.FailoverSuppression;
import io.meridian.placement.domain.PlacementDecision.RejectedCluster;
import io.meridian.placement.domain.PlacementPolicy.SpreadConstraint;
import io.meridian.placement.domain.PlacementPolicy.StaticWeight;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides where a workload runs: a pure function of the workload, the fleet, the decision in force, an operator's
 * approvals and the time, that explains every cluster it did not choose.
 *
 * <p>In order:
 *
 * <ol>
 *   <li><b>Suppression.</b> When a previously chosen cluster is Unreachable or not Ready past {@code failover.after}
 *       and more than {@code failover.maxFraction} of the previously chosen clusters (counted only when there are at
 *       least {@link FailoverPolicy#FRACTION_FLOOR}), or at least half the fleet (of at least {@link
 *       FailoverPolicy#HALF_FLEET_FLOOR} clusters), are Unreachable or not Ready (in grace or not), the previous clusters
 *       the policy still selects are kept as they are and the decision says why, until an operator approves the
 *       failover: so many losses at once more likely mean Meridian's own network (or inventory) is down.
 *   <li><b>Candidates.</b> A cluster is a candidate when the policy's selector selects it ({@code NOT_SELECTED}), it is
 *       Ready ({@code NOT_READY}), and its free capacity (allocatable minus requests; a previously chosen cluster gets
 *       its own share back, so a running workload does not evict itself) fits its share ({@code NO_CAPACITY}, with the
 *       numbers), and its bundle has room for the workload's objects beside the other workloads there ({@code
 *       BUNDLE_FULL}, with the bytes used and the limit; a workload already there is judged by what it renders, see
 *       {@link BundleBudget}). A previously chosen cluster Unreachable or not Ready for
 *       less than {@code failover.after} stays a candidate (grace), unless the workload itself was unhealthy there
 *       for {@code failover.unhealthyAfter}, which was its grace. A cluster the workload failed over from waits for
 *       its failback ({@code NOT_READY}): {@code stableFor} Ready with an automatic failback, an operator's release
 *       with a manual one.
 *   <li><b>Order.</b> Sticky first: clusters coming back from a failback, then the previously chosen clusters (their
 *       failover replacements after the others), then the rest, each group by the policy's preference; previous
 *       clusters win ties. Under a changed policy only the failbacks come first and the rest is ranked afresh.
 *   <li><b>Choice.</b> As many clusters as {@code clusters.max} allows (a divided workload also at most one per
 *       replica), a place held for each cluster Ready again whose automatic failback is due later (a cluster that
 *       does not run the workload yet does not take it, {@code MAX_CLUSTERS}, so that a returning cloud moves the
 *       workload once, back where it was): first, for each spread rule, the first cluster in that order with a value
 *       not yet covered until the rule's minimum; then the order. A candidate left out is {@code SPREAD} when a
 *       spread pick took its place;
 *       {@code MAX_CLUSTERS} when a first placement would choose it but the clusters already running the workload
 *       keep their places, when a failback takes its place back, or when the count is full under a preference other
 *       than cheapest; {@code COST_RANK} when it ranked below the chosen under the cheapest preference, or got no
 *       replica of a divided total. Explanations quote the ranking a first placement sees (ties by cluster id), so
 *       that they read the same from one decision to the next.
 *   <li><b>Shares.</b> Duplicated: each chosen cluster runs the manifests' replicas. Divided: the total is split by
 *       static weights (first matching weight, default 1) or by free CPU, by the largest remainder (ties by cluster
 *       id), no cluster above what fits; what fits nowhere is reported. A by-capacity split is kept as it was while the
 *       chosen set and the total do not change and it still fits, since free capacity moves all the time.
 *   <li><b>Failover and failback.</b> A previously chosen cluster dropped because it is Unreachable or not Ready past
 *       grace is recorded as a {@link Displacement} with the clusters chosen in its place and its cause; it comes back
 *       (and a replacement makes room if the count requires it) after {@code stableFor} Ready, or when an operator
 *       releases it. A cluster left because the workload was unhealthy there comes back only by an operator.
 * </ol>
 *
 * <p>The <b>score</b> of a chosen cluster is in [0, 1], higher is better, and says how it fares under the policy's
 * preference among all candidates: for {@code cheapest}, the cheapest candidate's monthly price divided by this
 * cluster's (1 for the cheapest, 0 without rates); for {@code mostFreeCapacity}, its free CPU divided by the largest
 * free CPU; for a label order of n values, {@code (n - position) / n} (1 for the first value, 0 without the label). It
 * is rounded to three decimals; monthly costs are rounded to cents.
 */
public final class PlacementScheduler {

    /** Decides where {@code request}'s workload runs now. */
    public PlacementDecision schedule(SchedulingRequest request) {
        return new Run(request).decide();
    }

    /** A cluster that may be chosen, and what the ranking needs to know about it. */
    private record Candidate(
            ClusterFacts facts,
            Resources free,
            boolean previous,
            boolean returning,
            boolean grace,
            double price,
            int labelIndex) {

        String id() {
            return facts.clusterId();
        }

        boolean sticky() {
            return previous || returning;
        }

        boolean priced() {
            return !Double.isNaN(price);
        }
    }

    /**
     * The clusters one pass picked, those of them picked for a spread rule (and for which), the first {@code limit} of
     * the order it went through (the clusters it would have picked without spread rules), and the clusters it would
     * have picked but for the places held for clusters coming back soon.
     */
    private record Selection(
            Set<Candidate> picks,
            Map<Candidate, SpreadConstraint> spreadPicks,
            Set<Candidate> baseline,
            Set<Candidate> heldOut) {

        /** Whether {@code c} would have been picked but for the spread picks that took places outside the order. */
        boolean lostPlaceToSpread(Candidate c) {
            return baseline.contains(c) && !picks.contains(c);
        }

        List<Candidate> tookPlaces() {
            return spreadPicks.keySet().stream()
                    .filter(c -> !baseline.contains(c))
                    .toList();
        }
    }

    /** The state of one scheduling run, so that the steps share it without long parameter lists. */
    private static final class Run {

        private final SchedulingRequest request;
        private final Workload workload;
        private final PlacementPolicy policy;
        private final FailoverPolicy failover;
        private final WorkloadDemand demand;
        private final PlacementMode mode;
        private final Instant now;
        private final PlacementDecision previous;
        private final Map<String, Integer> previousShares = new LinkedHashMap<>();
        private final boolean policyChanged;
        private final int total;

        private final Map<String, RejectedCluster> rejected = new TreeMap<>();
        private final List<Candidate> candidates = new ArrayList<>();
        private final Map<String, Instant> lost = new TreeMap<>();
        private final Map<String, Displacement> waiting = new TreeMap<>();
        private final Map<String, Displacement> returning = new TreeMap<>();
        /** Clusters Ready again whose automatic failback is due later: each holds its place until then. */
        private final Map<String, Displacement> comingBack = new TreeMap<>();

        private final List<Instant> reviews = new ArrayList<>();
        /** The policy's preference; ties go to previously chosen clusters, then to the smaller id. */
        private Comparator<Candidate> byPreference;
        /**
         * The policy's preference, ties to the smaller id only: the ranking a first placement sees, which the
         * explanations quote so that they read the same from one decision to the next.
         */
        private Comparator<Candidate> byRank;

        Run(SchedulingRequest request) {
            this.request = request;
            this.workload = request.workload();
            this.policy = workload.placement();
            this.failover = workload.failover();
            this.demand = WorkloadDemand.of(workload);
            this.mode = policy.mode();
            this.now = request.now();
            this.previous = request.previous();
            if (previous != null) {
                previous.chosen().forEach(c -> previousShares.put(c.clusterId(), c.replicas()));
            }
            this.policyChanged = request.policyChanged();
            // A divided policy without a total divides what the manifests ask for.
            this.total = policy.replicas() > 0 ? policy.replicas() : demand.replicas();
        }

        PlacementDecision decide() {
            FailoverSuppression suppression = suppression();
            carryDisplacements();
            evaluate();
            if (suppression != null) {
                return held(suppression);
            }
            byRank = preferenceMetric().thenComparing(Candidate::id);
            byPreference = preferenceMetric().thenComparing(c -> !c.sticky()).thenComparing(Candidate::id);
            int limit = clusterLimit();
            Selection actual = select(selectionOrder(), limit, comingBack.size());
            // What a first placement would choose: the explanations compare with it, so that a cluster left out says
            // the same thing whether or not the others were kept for stickiness.
            Selection fresh = previous == null && returning.isEmpty()
                    ? actual
                    : select(candidates.stream().sorted(byRank).toList(), limit, 0);
            Map<String, Integer> shares = new LinkedHashMap<>();
            int unplaced = share(List.copyOf(actual.picks()), shares);
            // A duplicated workload scaled to zero still gets its other objects; a divided share of zero is no share.
            List<Candidate> chosen = actual.picks().stream()
                    .filter(c -> mode == PlacementMode.DUPLICATED || shares.getOrDefault(c.id(), 0) > 0)
                    .sorted(Comparator.comparing(Candidate::id))
                    .toList();
            explainLeftOut(actual, fresh, limit, chosen);
            return decision(chosen, shares, unmet(chosen, limit, unplaced));
        }

        // ------------------------------------------------------------------ suppression

        private FailoverSuppression suppression() {
            if (previous == null
                    || request.failoverApproved()
                    || previous.chosen().isEmpty()) {
                return null;
            }
            // A chosen cluster that is not Ready (inventory reconnecting, Degraded) counts like an Unreachable one:
            // an inventory restart turns every cluster Connecting at once, which must not empty the workload.
            List<String> unreachable = new ArrayList<>();
            boolean pastGrace = false;
            for (ChosenCluster chosen : previous.chosen()) {
                ClusterFacts c = request.fleet().get(chosen.clusterId());
                if (c != null && c.health() != ClusterHealth.READY) {
                    unreachable.add(c.clusterId());
                    pastGrace |= unhealthyPastThreshold(c.clusterId())
                            || !now.isBefore(lostSince(c).plus(failover.after()));
                }
            }
            if (!pastGrace) {
                return null; // nothing would move yet
            }
            int workloadClusters = previous.chosen().size();
            long fleetUnreachable = request.fleet().clusters().values().stream()
                    .filter(c -> c.health() != ClusterHealth.READY)
                    .count();
            int fleetSize = request.fleet().clusters().size();
            List<String> reasons = new ArrayList<>();
            // Below the floor a fraction says nothing: losing 1 of 2 clusters is an ordinary outage, not a cut network.
            if (workloadClusters >= FailoverPolicy.FRACTION_FLOOR
                    && unreachable.size() > failover.maxFraction() * workloadClusters + 1e-9) {
                reasons.add(unreachable.size() + " of the workload's " + workloadClusters
                        + " clusters are Unreachable or not Ready, more than failover.maxFraction "
                        + fraction(failover.maxFraction()));
            }
            if (fleetSize >= FailoverPolicy.HALF_FLEET_FLOOR && fleetUnreachable * 2 >= fleetSize) {
                reasons.add(fleetUnreachable + " of the fleet's " + fleetSize + " clusters are Unreachable or not"
                        + " Ready, at least half");
            }
            if (reasons.isEmpty()) {
                return null;
            }
            String reason = String.join("; ", reasons)
                    + ": more likely Meridian's own network than the clouds, so nothing moves until an operator"
                    + " approves the failover";
            Instant since =
                    previous.suppressed() != null ? previous.suppressed().since() : now;
            return new FailoverSuppression(unreachable.stream().sorted().toList(), reason, since);
        }

        /** The previous clusters unchanged, the others with the reason they had or why they cannot run it. */
        private PlacementDecision held(FailoverSuppression suppression) {
            List<ChosenCluster> chosen = new ArrayList<>();
            Set<String> chosenIds = new HashSet<>();
            for (ChosenCluster kept : previous.chosen()) {
                ClusterFacts c = request.fleet().get(kept.clusterId());
                if (c == null || !policy.clusterSelector().matches(c.labels())) {
                    continue; // deregistered, or the policy no longer wants it: a suppression holds only what is wanted
                }
                int replicas = mode == PlacementMode.DUPLICATED ? demand.replicas() : kept.replicas();
                double cost = c != null && c.rates() != null
                        ? money(c.rates().monthly(demand.share(mode, replicas)))
                        : kept.monthlyCost();
                chosen.add(new ChosenCluster(kept.clusterId(), kept.name(), replicas, kept.score(), cost));
                chosenIds.add(kept.clusterId());
            }
            chosen.sort(Comparator.comparing(ChosenCluster::clusterId));
            Map<String, RejectedCluster> before = new HashMap<>();
            previous.rejected().forEach(r -> before.put(r.clusterId(), r));
            List<RejectedCluster> out = new ArrayList<>();
            for (ClusterFacts c : request.fleet().clusters().values()) {
                if (chosenIds.contains(c.clusterId())) {
                    continue;
                }
                RejectedCluster own = rejected.get(c.clusterId());
                RejectedCluster earlier = before.get(c.clusterId());
                if (own != null) {
                    out.add(own);
                } else if (earlier != null && isRanking(earlier.reason())) {
                    out.add(earlier);
                } else {
                    out.add(new RejectedCluster(
                            c.clusterId(),
                            c.name(),
                            Rejection.MAX_CLUSTERS,
                            "failover suppressed: the workload stays on its clusters until an operator approves"));
                }
            }
            List<Displacement> displaced = new ArrayList<>(waiting.values());
            displaced.addAll(returning.values());
            displaced.sort(Comparator.comparing(Displacement::clusterId));
            return new PlacementDecision(
                    workload.name(),
                    workload.generation(),
                    chosen,
                    out,
                    previous.unmetSpread(),
                    suppression,
                    displaced,
                    money(chosen.stream()
                            .mapToDouble(ChosenCluster::monthlyCost)
                            .sum()),
                    now,
                    null);
        }

        private static boolean isRanking(Rejection reason) {
            return reason == Rejection.SPREAD || reason == Rejection.MAX_CLUSTERS || reason == Rejection.COST_RANK;
        }

        // ------------------------------------------------------------------ candidates

        private void carryDisplacements() {
            if (previous == null) {
                return;
            }
            for (Displacement d : previous.displaced()) {
                ClusterFacts c = request.fleet().get(d.clusterId());
                if (c == null || previousShares.containsKey(d.clusterId())) {
                    continue; // deregistered, or already back: nothing to come back to
                }
                if (!policy.clusterSelector().matches(c.labels())) {
                    continue; // the policy no longer wants it there
                }
                Instant readyAgain = null;
                if (c.health() == ClusterHealth.READY) {
                    // Ready since the health's own time; without one, since it was first seen Ready again.
                    readyAgain = c.healthSince() != null
                            ? c.healthSince()
                            : d.readyAgainSince() != null ? d.readyAgainSince() : now;
                    if (d.lostAt() != null && readyAgain.isBefore(d.lostAt())) {
                        readyAgain = d.lostAt();
                    }
                }
                Displacement carried =
                        new Displacement(d.clusterId(), d.lostAt(), readyAgain, d.replacedBy(), d.cause());
                // Ready again says nothing about a workload that was unhealthy on a Ready cluster: only an operator
                // knows it was fixed, else the share would bounce between failover and failback.
                boolean automatic = failover.failback() == FailoverPolicy.Failback.AUTOMATIC
                        && d.cause() == Displacement.Cause.CLUSTER_LOST;
                boolean due = readyAgain != null
                        && (automatic
                                ? !now.isBefore(readyAgain.plus(failover.stableFor()))
                                : request.failbackApproved().contains(d.clusterId()));
                if (due) {
                    returning.put(d.clusterId(), carried);
                } else {
                    waiting.put(d.clusterId(), carried);
                    if (automatic && readyAgain != null) {
                        reviews.add(readyAgain.plus(failover.stableFor()));
                        comingBack.put(d.clusterId(), carried);
                    }
                }
            }
        }

        private void evaluate() {
            ClusterSelector selector = policy.clusterSelector();
            for (ClusterFacts c : request.fleet().clusters().values()) {
                String id = c.clusterId();
                boolean wasChosen = previousShares.containsKey(id);
                if (!selector.matches(c.labels())) {
                    reject(c, Rejection.NOT_SELECTED, "does not match the cluster selector '" + selector + "'");
                    continue;
                }
                Displacement waits = waiting.get(id);
                if (waits != null && c.health() == ClusterHealth.READY) {
                    reject(c, Rejection.NOT_READY, failbackWait(waits));
                    continue;
                }
                boolean grace = false;
                if (c.health() != ClusterHealth.READY) {
                    // Unreachable or not Ready alike: a chosen cluster keeps its share for failover.after.
                    Instant graceEnds = lostSince(c).plus(failover.after());
                    if (wasChosen && now.isBefore(graceEnds) && !unhealthyPastThreshold(id)) {
                        grace = true;
                        reviews.add(graceEnds);
                    } else if (wasChosen) {
                        lost.put(id, lostSince(c));
                        continue; // explained once the replacements are known
                    } else {
                        reject(c, Rejection.NOT_READY, healthText(c) + " since " + since(c));
                        continue;
                    }
                }
                Resources free = c.free();
                if (wasChosen) {
                    free = free.plus(demand.share(mode, previousShares.get(id)));
                }
                if (!grace) {
                    int replicas = mode == PlacementMode.DUPLICATED ? demand.replicas() : 1;
                    Resources need = demand.share(mode, 1);
                    if (!need.fitsIn(free)) {
                        reject(c, Rejection.NO_CAPACITY, capacity(need, replicas, free));
                        continue;
                    }
                }
                // A cluster in grace keeps what it has: its bundle already carries the workload.
                if (!grace && !request.bundleBudget().fits(id)) {
                    reject(c, Rejection.BUNDLE_FULL, bundleFull(id));
                    continue;
                }
                candidates.add(
                        new Candidate(c, free, wasChosen, returning.containsKey(id), grace, price(c), labelIndex(c)));
            }
        }

        private String bundleFull(String clusterId) {
            BundleBudget budget = request.bundleBudget();
            long used = budget.used(clusterId);
            BundleBudget.Rendered rendered = budget.rendered().get(clusterId);
            String what = rendered != null
                    ? "; this workload holds " + budget.held(clusterId) + " there and would take " + rendered.bytes()
                            + ", so it would hold " + (used + rendered.bytes())
                    : "; with this workload's " + budget.workloadBytes() + " it would hold "
                            + (used + budget.workloadBytes());
            return "its bundle holds " + used + " bytes of other workloads" + what + " bytes, over the limit of "
                    + budget.limitBytes() + " (one bundle per cluster travels as one Kafka record)";
        }

        /**
         * Whether the workload itself has been unavailable on the cluster for {@code failover.unhealthyAfter}: that
         * was its grace, so {@code failover.after} (meant for a cluster that may come back) does not add another.
         */
        private boolean unhealthyPastThreshold(String clusterId) {
            return request.workloadUnhealthy().contains(clusterId);
        }

        private String failbackWait(Displacement d) {
            String back = "Ready again since " + d.readyAgainSince() + " after the workload failed over from it";
            if (d.cause() == Displacement.Cause.WORKLOAD_UNHEALTHY) {
                return back + " because the workload was unhealthy there; it waits for an operator to release it";
            }
            if (failover.failback() == FailoverPolicy.Failback.AUTOMATIC) {
                return back + "; its share comes back at " + d.readyAgainSince().plus(failover.stableFor())
                        + " (failback after stableFor " + duration(failover.stableFor()) + ")";
            }
            return back + "; failback is manual: it waits for an operator to release it";
        }

        private static String healthText(ClusterFacts c) {
            return c.health() == ClusterHealth.UNREACHABLE ? "Unreachable" : "not Ready";
        }

        // A cluster whose health carries no time is treated as lost long ago: the grace period cannot be counted.
        private static Instant lostSince(ClusterFacts c) {
            return c.healthSince() == null ? Instant.EPOCH : c.healthSince();
        }

        private static String since(ClusterFacts c) {
            return c.healthSince() == null ? "an unknown time" : c.healthSince().toString();
        }

        private double price(ClusterFacts c) {
            return c.rates() == null ? Double.NaN : c.rates().monthly(demand.share(mode, 1));
        }

        private int labelIndex(ClusterFacts c) {
            if (!(policy.prefer() instanceof Preference.LabelOrder order)) {
                return 0;
            }
            String value = c.labels().get(labelKey(order.label()));
            int at = value == null ? -1 : order.order().indexOf(value); // List.of() refuses to look for null
            return at < 0 ? order.order().size() : at;
        }

        private void reject(ClusterFacts c, Rejection reason, String detail) {
            rejected.put(c.clusterId(), new RejectedCluster(c.clusterId(), c.name(), reason, detail));
        }

        // ------------------------------------------------------------------ order and choice

        private Comparator<Candidate> preferenceMetric() {
            return switch (policy.prefer()) {
                case Preference.Cheapest ignored ->
                    Comparator.comparing((Candidate c) -> !c.priced())
                            .thenComparingDouble(c -> c.priced() ? c.price() : 0);
                case Preference.MostFreeCapacity ignored ->
                    Comparator.comparingLong((Candidate c) -> -c.free().cpuMillis())
                            .thenComparingLong(c -> -c.free().memoryBytes());
                case Preference.LabelOrder ignored -> Comparator.comparingInt(Candidate::labelIndex);
            };
        }

        private List<Candidate> selectionOrder() {
            Set<String> replacements = new HashSet<>();
            returning.values().forEach(d -> replacements.addAll(d.replacedBy()));
            return candidates.stream()
                    .sorted(Comparator.comparingInt((Candidate c) -> group(c, replacements))
                            .thenComparing(byPreference))
                    .toList();
        }

        private int group(Candidate c, Set<String> replacements) {
            if (c.returning()) {
                return 0;
            }
            if (policyChanged) {
                return 1;
            }
            if (c.previous()) {
                return replacements.contains(c.id()) ? 2 : 1;
            }
            return 3;
        }

        private int clusterLimit() {
            int limit = Math.min(policy.clusters().max(), candidates.size());
            if (mode == PlacementMode.DIVIDED) {
                limit = Math.min(limit, total);
            }
            return Math.max(0, limit);
        }

        /**
         * Spread first, then the order, up to {@code limit} clusters. {@code held} places are kept for clusters that
         * come back by an automatic failback later: a cluster that runs nothing of the workload yet may take only the
         * places that are left once the sticky clusters and those are counted. Else, when a whole cloud returns, a
         * cluster of it that was never chosen would take the place (a free place, or one a spread rule asks for) the
         * moment it is Ready, and give it up again when the cluster that left comes back after {@code stableFor}: the
         * workload would move twice for one failback.
         */
        private Selection select(List<Candidate> order, int limit, int held) {
            long sticky = order.stream().filter(Candidate::sticky).count();
            int[] newcomerPlaces = {(int) Math.max(0, limit - Math.min(limit, sticky) - held)};
            Set<Candidate> heldOut = new LinkedHashSet<>();
            java.util.function.Predicate<Candidate> mayTake = c -> {
                if (held == 0 || c.sticky()) {
                    return true;
                }
                if (newcomerPlaces[0] > 0) {
                    newcomerPlaces[0]--;
                    return true;
                }
                heldOut.add(c);
                return false;
            };
            Set<Candidate> picks = new LinkedHashSet<>();
            Map<Candidate, SpreadConstraint> spreadPicks = new LinkedHashMap<>();
            pickForSpread(order, limit, picks, spreadPicks, mayTake);
            for (Candidate c : order) {
                if (picks.size() >= limit) {
                    break;
                }
                if (!picks.contains(c) && mayTake.test(c)) {
                    picks.add(c);
                }
            }
            heldOut.removeAll(picks);
            return new Selection(picks, spreadPicks, new HashSet<>(order.subList(0, limit)), heldOut);
        }

        private void pickForSpread(
                List<Candidate> order,
                int limit,
                Set<Candidate> picks,
                Map<Candidate, SpreadConstraint> spreadPicks,
                java.util.function.Predicate<Candidate> mayTake) {
            for (SpreadConstraint rule : policy.spread()) {
                String key = labelKey(rule.by());
                Set<String> covered = new HashSet<>();
                picks.forEach(p -> addIfPresent(covered, p.facts().labels().get(key)));
                for (Candidate c : order) {
                    if (covered.size() >= rule.min() || picks.size() >= limit) {
                        break;
                    }
                    String value = c.facts().labels().get(key);
                    if (value != null && !covered.contains(value) && !picks.contains(c) && mayTake.test(c)) {
                        picks.add(c);
                        covered.add(value);
                        spreadPicks.put(c, rule);
                    }
                }
            }
        }

        private static void addIfPresent(Set<String> values, String value) {
            if (value != null) {
                values.add(value);
            }
        }

        // ------------------------------------------------------------------ shares

        /** Fills {@code shares} for the picks and returns the replicas of a divided total that fit nowhere. */
        private int share(List<Candidate> picks, Map<String, Integer> shares) {
            if (mode == PlacementMode.DUPLICATED) {
                picks.forEach(c -> shares.put(c.id(), demand.replicas()));
                return 0;
            }
            Map<String, Integer> caps = new HashMap<>();
            for (Candidate c : picks) {
                caps.put(c.id(), c.grace() ? previousShares.get(c.id()) : fits(c.free()));
            }
            if (keepsPreviousSplit(picks, caps)) {
                picks.forEach(c -> shares.put(c.id(), previousShares.get(c.id())));
                return 0;
            }
            Map<String, Long> weights = new LinkedHashMap<>();
            boolean byCapacity = policy.divideBy() == DivideBy.CAPACITY;
            boolean anyCapacity = picks.stream().anyMatch(c -> c.free().cpuMillis() > 0);
            for (Candidate c : picks) {
                long weight = byCapacity ? (anyCapacity ? c.free().cpuMillis() : 1) : staticWeight(c.facts());
                weights.put(c.id(), Math.max(0, weight));
            }
            // Largest remainder, then clip whoever got more than fits and split the rest again among the others.
            Set<String> capped = new HashSet<>();
            while (true) {
                int left =
                        total - capped.stream().mapToInt(id -> shares.get(id)).sum();
                Map<String, Long> open = new LinkedHashMap<>();
                weights.forEach((id, w) -> {
                    if (!capped.contains(id)) {
                        open.put(id, w);
                    }
                });
                shares.putAll(largestRemainder(left, open));
                List<String> over = open.keySet().stream()
                        .filter(id -> shares.get(id) > caps.get(id))
                        .toList();
                if (over.isEmpty()) {
                    break;
                }
                over.forEach(id -> {
                    shares.put(id, caps.get(id));
                    capped.add(id);
                });
            }
            return total - shares.values().stream().mapToInt(Integer::intValue).sum();
        }

        // Free capacity changes with every pod anyone starts: a split by capacity is kept while the chosen clusters
        // and the total are the same and it still fits, so replicas do not wander without a reason.
        private boolean keepsPreviousSplit(List<Candidate> picks, Map<String, Integer> caps) {
            if (policy.divideBy() != DivideBy.CAPACITY || policyChanged || previous == null) {
                return false;
            }
            Set<String> ids = picks.stream().map(Candidate::id).collect(Collectors.toSet());
            if (!ids.equals(previousShares.keySet())
                    || previousShares.values().stream()
                                    .mapToInt(Integer::intValue)
                                    .sum()
                            != total) {
                return false;
            }
            return picks.stream().allMatch(c -> {
                int share = previousShares.get(c.id());
                return share > 0 && share <= caps.get(c.id());
            });
        }

        private int fits(Resources free) {
            Resources one = demand.perReplica();
            long n = Integer.MAX_VALUE;
            if (one.cpuMillis() > 0) {
                n = Math.min(n, free.cpuMillis() / one.cpuMillis());
            }
            if (one.memoryBytes() > 0) {
                n = Math.min(n, free.memoryBytes() / one.memoryBytes());
            }
            if (one.gpus() > 0) {
                n = Math.min(n, free.gpus() / one.gpus());
            }
            return (int) n;
        }

        private long staticWeight(ClusterFacts c) {
            for (StaticWeight w : policy.weights()) {
                if (w.clusters() != null && w.clusters().matches(c.labels())) {
                    return w.weight();
                }
            }
            return 1;
        }

        // ------------------------------------------------------------------ explanations

        private void explainLeftOut(Selection actual, Selection fresh, int limit, List<Candidate> chosen) {
            Set<Candidate> chosenSet = new HashSet<>(chosen);
            List<Candidate> ranked = candidates.stream().sorted(byRank).toList();
            for (Candidate c : candidates) {
                if (chosenSet.contains(c)) {
                    continue;
                }
                if (actual.picks().contains(c)) {
                    reject(
                            c.facts(),
                            Rejection.COST_RANK,
                            "gets 0 of the " + total + " replicas " + splitRule(c) + "; " + rank(c, ranked));
                } else if (actual.heldOut().contains(c)) {
                    reject(c.facts(), Rejection.MAX_CLUSTERS, heldFor());
                } else if (actual.lostPlaceToSpread(c)) {
                    reject(c.facts(), Rejection.SPREAD, spreadTook(actual, limit));
                } else if (fresh.picks().contains(c) || !fresh.lostPlaceToSpread(c)) {
                    explainCount(c, ranked, chosen, limit, fresh.picks().contains(c));
                } else {
                    reject(c.facts(), Rejection.SPREAD, spreadTook(fresh, limit));
                }
            }
            List<String> replacements = replacements(chosen);
            lost.forEach((id, at) -> {
                ClusterFacts c = request.fleet().get(id);
                String health = healthText(c) + " since " + since(c) + ", longer than failover.after "
                        + duration(failover.after());
                String moved = replacements.isEmpty()
                        ? "its share is gone; the other chosen clusters keep running the workload"
                        : "its share moved to " + String.join(", ", replacements);
                reject(c, Rejection.NOT_READY, health + ": " + moved);
            });
        }

        private String heldFor() {
            List<String> back = comingBack.values().stream()
                    .map(d -> d.clusterId() + " (at " + d.readyAgainSince().plus(failover.stableFor()) + ")")
                    .toList();
            return "its place is held for " + String.join(", ", back) + ", coming back by an automatic failback after"
                    + " stableFor " + duration(failover.stableFor())
                    + ": the workload moves once, back where it was, not here first";
        }

        private String splitRule(Candidate c) {
            return policy.divideBy() == DivideBy.CAPACITY
                    ? "split in proportion to free CPU (" + cpu(c.free().cpuMillis()) + " free)"
                    : "split by weight (its weight: " + staticWeight(c.facts()) + ")";
        }

        private String spreadTook(Selection selection, int limit) {
            List<String> parts = new ArrayList<>();
            for (Candidate took : selection.tookPlaces()) {
                SpreadConstraint rule = selection.spreadPicks().get(took);
                parts.add(took.id() + " (" + rule.by() + " "
                        + took.facts().labels().get(labelKey(rule.by())) + ")");
            }
            return "its place went to " + String.join(", ", parts) + " to meet the spread rules ("
                    + policy.spread().stream()
                            .map(r -> r.by() + " >= " + r.min())
                            .collect(Collectors.joining(", "))
                    + "); " + limitText(limit);
        }

        private void explainCount(
                Candidate c, List<Candidate> ranked, List<Candidate> chosen, int limit, boolean freshWouldPick) {
            List<String> cameBack = returning.values().stream()
                    .filter(d -> d.replacedBy().contains(c.id()))
                    .map(Displacement::clusterId)
                    .toList();
            if (c.previous() && !cameBack.isEmpty()) {
                reject(
                        c.facts(),
                        Rejection.MAX_CLUSTERS,
                        limitText(limit) + ": " + String.join(", ", cameBack) + " came back (failback) and " + c.id()
                                + ", chosen in its place during the failover, makes room");
                return;
            }
            if (freshWouldPick) {
                List<String> kept = chosen.stream()
                        .filter(Candidate::sticky)
                        .map(Candidate::id)
                        .toList();
                reject(
                        c.facts(),
                        Rejection.MAX_CLUSTERS,
                        limitText(limit) + ", taken by the clusters that already run the workload ("
                                + String.join(", ", kept) + "); a first placement would choose it (" + rank(c, ranked)
                                + "), but a placement moves only for a reason");
            } else if (policy.prefer() instanceof Preference.Cheapest) {
                reject(c.facts(), Rejection.COST_RANK, rank(c, ranked) + "; " + limitText(limit));
            } else {
                reject(c.facts(), Rejection.MAX_CLUSTERS, limitText(limit) + "; " + rank(c, ranked));
            }
        }

        private String limitText(int limit) {
            if (mode == PlacementMode.DIVIDED
                    && limit == total
                    && total < policy.clusters().max()) {
                return total + " replica" + plural(total) + " to divide fill at most " + total + " cluster"
                        + plural(total);
            }
            return "max " + policy.clusters().max() + " cluster"
                    + plural(policy.clusters().max());
        }

        private String rank(Candidate c, List<Candidate> ranked) {
            String position = "ranked " + (ranked.indexOf(c) + 1) + " of " + ranked.size();
            return switch (policy.prefer()) {
                case Preference.Cheapest ignored ->
                    c.priced()
                            ? position + " by monthly price: " + amount(c.price()) + " "
                                    + c.facts().rates().currency() + "/month"
                                    + (mode == PlacementMode.DIVIDED ? " per replica" : "")
                            : position + " by monthly price: no rates yet, after every priced cluster";
                case Preference.MostFreeCapacity ignored ->
                    position + " by free capacity: " + resources(c.free()) + " free";
                case Preference.LabelOrder order -> {
                    String value = c.facts().labels().get(labelKey(order.label()));
                    yield position + " by label " + order.label() + " " + order.order() + ": "
                            + (value == null ? "not set" : value);
                }
            };
        }

        private List<String> replacements(List<Candidate> chosen) {
            return chosen.stream()
                    .filter(c -> !c.previous() && !c.returning())
                    .map(Candidate::id)
                    .toList();
        }

        private List<String> unmet(List<Candidate> chosen, int limit, int unplaced) {
            List<String> unmet = new ArrayList<>();
            int min = policy.clusters().min();
            if (chosen.size() < min) {
                String why;
                if (candidates.size() < min) {
                    why = candidates.size() + " eligible";
                } else if (policy.clusters().max() < min) {
                    why = "max " + policy.clusters().max();
                } else if (mode == PlacementMode.DIVIDED && total < min) {
                    why = total + " replica" + plural(total) + " to divide";
                } else {
                    why = chosen.size() + " got a share";
                }
                unmet.add("clusters: needs at least " + min + " cluster" + plural(min) + ", " + why);
            }
            for (SpreadConstraint rule : policy.spread()) {
                String key = labelKey(rule.by());
                Set<String> covered = new TreeSet<>();
                chosen.forEach(c -> addIfPresent(covered, c.facts().labels().get(key)));
                if (covered.size() >= rule.min()) {
                    continue;
                }
                Set<String> eligible = new TreeSet<>();
                candidates.forEach(
                        c -> addIfPresent(eligible, c.facts().labels().get(key)));
                String why;
                if (eligible.isEmpty()) {
                    why = "no eligible cluster has a " + rule.by();
                } else if (eligible.size() < rule.min()) {
                    why = "only " + String.join(", ", eligible) + (eligible.size() == 1 ? " is" : " are") + " eligible";
                } else {
                    why = limitText(limit);
                }
                unmet.add(rule.by() + ": " + covered.size() + " of " + rule.min() + " (" + why + ")");
            }
            if (unplaced > 0) {
                unmet.add("replicas: " + (total - unplaced) + " of " + total
                        + " fit in the free capacity of the chosen clusters");
            }
            return unmet;
        }

        // ------------------------------------------------------------------ the decision

        private PlacementDecision decision(List<Candidate> chosen, Map<String, Integer> shares, List<String> unmet) {
            List<ChosenCluster> out = new ArrayList<>();
            for (Candidate c : chosen) {
                int replicas = shares.get(c.id());
                double cost =
                        c.facts().rates() == null ? 0 : money(c.facts().rates().monthly(demand.share(mode, replicas)));
                out.add(new ChosenCluster(c.id(), c.facts().name(), replicas, score(c), cost));
            }
            Set<String> chosenIds = chosen.stream().map(Candidate::id).collect(Collectors.toSet());
            Map<String, Displacement> displaced = new TreeMap<>(waiting);
            List<String> replacements = replacements(chosen);
            lost.forEach((id, at) -> displaced.put(id, new Displacement(id, at, null, replacements, cause(id))));
            returning.forEach((id, d) -> {
                if (!chosenIds.contains(id)) {
                    displaced.put(id, d); // could not come back (no capacity): it stays owed
                }
            });
            Instant nextReview = reviews.stream().min(Comparator.naturalOrder()).orElse(null);
            return new PlacementDecision(
                    workload.name(),
                    workload.generation(),
                    out,
                    List.copyOf(rejected.values()),
                    unmet,
                    null,
                    List.copyOf(displaced.values()),
                    money(out.stream().mapToDouble(ChosenCluster::monthlyCost).sum()),
                    now,
                    nextReview);
        }

        private Displacement.Cause cause(String clusterId) {
            return request.workloadUnhealthy().contains(clusterId)
                    ? Displacement.Cause.WORKLOAD_UNHEALTHY
                    : Displacement.Cause.CLUSTER_LOST;
        }

        private double score(Candidate c) {
            double score = switch (policy.prefer()) {
                case Preference.Cheapest ignored -> {
                    double cheapest = candidates.stream()
                            .filter(Candidate::priced)
                            .mapToDouble(Candidate::price)
                            .min()
                            .orElse(Double.NaN);
                    if (!c.priced()) {
                        yield 0;
                    }
                    yield c.price() <= 0 ? 1 : cheapest / c.price();
                }
                case Preference.MostFreeCapacity ignored -> {
                    long most = candidates.stream()
                            .mapToLong(k -> k.free().cpuMillis())
                            .max()
                            .orElse(0);
                    yield most <= 0 ? 1 : (double) c.free().cpuMillis() / most;
                }
                case Preference.LabelOrder order -> {
                    int n = order.order().size();
                    yield n == 0 ? 0 : (double) (n - c.labelIndex()) / n;
                }
            };
            return Math.round(score * 1000) / 1000.0;
        }
    }

    // ---------------------------------------------------------------------- shared pure helpers

    /**
     * Splits {@code total} over {@code weights} (by id, in any order) by the largest remainder method: each gets the
     * whole part of its quota, the replicas left go to the largest fractional parts, ties to the smaller id. Zero
     * weights get nothing; when every weight is zero, nobody gets anything.
     */
    static Map<String, Integer> largestRemainder(int total, Map<String, Long> weights) {
        Map<String, Integer> shares = new TreeMap<>();
        long sum = weights.values().stream().mapToLong(Long::longValue).sum();
        if (sum <= 0 || total <= 0) {
            weights.keySet().forEach(id -> shares.put(id, 0));
            return shares;
        }
        Map<String, Long> remainders = new HashMap<>();
        int given = 0;
        for (Map.Entry<String, Long> e : weights.entrySet()) {
            long product = (long) total * e.getValue();
            int whole = (int) (product / sum);
            shares.put(e.getKey(), whole);
            remainders.put(e.getKey(), product % sum);
            given += whole;
        }
        List<String> byRemainder = weights.keySet().stream()
                .filter(id -> weights.get(id) > 0)
                .sorted(Comparator.comparingLong((String id) -> -remainders.get(id))
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        for (int i = 0; i < total - given; i++) {
            String id = byRemainder.get(i);
            shares.merge(id, 1, Integer::sum);
        }
        return shares;
    }

    /** The label a spread rule or label order names: {@code cloud}, {@code region}, {@code environment} or a key. */
    static String labelKey(String by) {
        return switch (by) {
            case "cloud" -> SelectableLabels.CLOUD;
            case "region" -> SelectableLabels.REGION;
            case "environment" -> SelectableLabels.ENVIRONMENT;
            case "cluster" -> SelectableLabels.CLUSTER;
            default -> by;
        };
    }

    private static String capacity(Resources need, int replicas, Resources free) {
        boolean gpus = need.gpus() > 0;
        return "needs " + resources(need, gpus) + " for " + replicas + " replica" + plural(replicas) + ", "
                + resources(free, gpus) + " free";
    }

    private static String resources(Resources r) {
        return resources(r, r.gpus() > 0);
    }

    private static String resources(Resources r, boolean gpus) {
        String text = cpu(r.cpuMillis()) + " CPU " + memory(r.memoryBytes());
        return gpus ? text + " " + r.gpus() + " GPU" : text;
    }

    /** Millicores as cores: 2000 is "2", 1500 "1.5", 250 "0.25". */
    static String cpu(long millis) {
        return BigDecimal.valueOf(millis).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    /** Bytes in the largest binary unit that keeps them readable: "4Gi", "1.5Gi", "512Mi", "12". */
    static String memory(long bytes) {
        long[] units = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
        String[] names = {"Ti", "Gi", "Mi", "Ki"};
        for (int u = 0; u < units.length; u++) {
            if (Math.abs(bytes) >= units[u]) {
                return BigDecimal.valueOf(bytes)
                                .divide(BigDecimal.valueOf(units[u]), 2, RoundingMode.HALF_UP)
                                .stripTrailingZeros()
                                .toPlainString()
                        + names[u];
            }
        }
        return Long.toString(bytes);
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }

    private static double money(double amount) {
        return Math.round(amount * 100) / 100.0;
    }

    private static String amount(double amount) {
        return String.format(Locale.ROOT, "%.2f", amount);
    }

    /** 30s, 5m, 1h30m. */
    static String duration(Duration d) {
        long seconds = d.toSeconds();
        StringBuilder out = new StringBuilder();
        if (seconds >= 3600) {
            out.append(seconds / 3600).append('h');
            seconds %= 3600;
        }
        if (seconds >= 60) {
            out.append(seconds / 60).append('m');
            seconds %= 60;
        }
        if (seconds > 0 || out.isEmpty()) {
            out.append(seconds).append('s');
        }
        return out.toString();
    }

    /** 1/3, 1/2, 0.4: a small fraction as people write it. */
    static String fraction(double value) {
        for (int denominator = 2; denominator <= 10; denominator++) {
            double numerator = value * denominator;
            if (Math.abs(numerator - Math.rint(numerator)) < 1e-6 && Math.rint(numerator) < denominator) {
                return (long) Math.rint(numerator) + "/" + denominator;
            }
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
