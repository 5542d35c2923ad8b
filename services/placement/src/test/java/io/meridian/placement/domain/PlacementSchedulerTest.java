package io.meridian.placement.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.contracts.selector.SelectableLabels;
import io.meridian.placement.domain.PlacementDecision.ChosenCluster;
import io.meridian.placement.domain.PlacementDecision.Displacement;
import io.meridian.placement.domain.PlacementPolicy.ClusterRange;
import io.meridian.placement.domain.PlacementPolicy.SpreadConstraint;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The scheduler over several decisions in a row, where each decision is the next one's previous. */
class PlacementSchedulerTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private final PlacementScheduler scheduler = new PlacementScheduler();

    @Test
    void aLostClusterFailsOverAfterTheGraceAndComesBackAfterStableFor() {
        Workload workload = workload(policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 3, List.of()));
        Map<String, ClusterFacts> fleet = fleet("aws-1", "aws-2", "azure-1", "gcp-1");
        fleet.put("aws-2", priced(fleet.get("aws-2"), 0.060)); // the dearest: not chosen while the others are fine

        PlacementDecision first = schedule(workload, fleet, null, T0);
        assertThat(ids(first)).containsExactly("aws-1", "azure-1", "gcp-1");

        // aws-1 goes away: within failover.after nothing moves, and the decision names when to look again.
        fleet.put("aws-1", health(fleet.get("aws-1"), ClusterHealth.UNREACHABLE, T0.plusSeconds(60)));
        PlacementDecision inGrace = schedule(workload, fleet, first, T0.plusSeconds(80));
        assertThat(ids(inGrace)).containsExactly("aws-1", "azure-1", "gcp-1");
        assertThat(inGrace.nextReviewAt()).isEqualTo(T0.plusSeconds(90));

        PlacementDecision failedOver = schedule(workload, fleet, inGrace, T0.plusSeconds(90));
        assertThat(ids(failedOver)).containsExactly("aws-2", "azure-1", "gcp-1");
        assertThat(failedOver.displaced())
                .containsExactly(new Displacement("aws-1", T0.plusSeconds(60), null, List.of("aws-2")));

        // Back and Ready: it waits stableFor (5 min) from the moment it was Ready again, remembered in between.
        Instant back = T0.plusSeconds(600);
        fleet.put("aws-1", health(fleet.get("aws-1"), ClusterHealth.READY, back));
        PlacementDecision waiting = schedule(workload, fleet, failedOver, back.plusSeconds(10));
        assertThat(ids(waiting)).containsExactly("aws-2", "azure-1", "gcp-1");
        assertThat(waiting.displaced())
                .singleElement()
                .satisfies(d -> assertThat(d.readyAgainSince()).isEqualTo(back));
        assertThat(waiting.nextReviewAt()).isEqualTo(back.plus(Duration.ofMinutes(5)));
        PlacementDecision stillWaiting = schedule(workload, fleet, waiting, back.plusSeconds(299));
        assertThat(ids(stillWaiting)).containsExactly("aws-2", "azure-1", "gcp-1");

        PlacementDecision failedBack = schedule(workload, fleet, stillWaiting, back.plusSeconds(300));
        assertThat(ids(failedBack)).containsExactly("aws-1", "azure-1", "gcp-1");
        assertThat(failedBack.displaced()).isEmpty();
        assertThat(failedBack.nextReviewAt()).isNull();
    }

    @Test
    void aSuppressedFailoverHoldsUntilApprovedAndKeepsWhenItStarted() {
        Workload workload = workload(policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 3, List.of()));
        Map<String, ClusterFacts> fleet = fleet("a-1", "a-2", "a-3", "b-1", "b-2", "b-3", "c-1");
        PlacementDecision first = schedule(workload, fleet, null, T0);
        assertThat(ids(first)).containsExactly("a-1", "a-2", "a-3");

        fleet.put("a-1", health(fleet.get("a-1"), ClusterHealth.UNREACHABLE, T0));
        fleet.put("a-2", health(fleet.get("a-2"), ClusterHealth.UNREACHABLE, T0));
        PlacementDecision held = schedule(workload, fleet, first, T0.plusSeconds(60));
        PlacementDecision stillHeld = schedule(workload, fleet, held, T0.plusSeconds(120));

        assertThat(ids(stillHeld)).containsExactly("a-1", "a-2", "a-3");
        assertThat(stillHeld.suppressed().unreachableClusters()).containsExactly("a-1", "a-2");
        assertThat(stillHeld.suppressed().since()).isEqualTo(T0.plusSeconds(60));

        PlacementDecision approved = scheduler.schedule(new SchedulingRequest(
                workload, FleetView.of(fleet.values()), stillHeld, true, Set.of(), T0.plusSeconds(180)));
        assertThat(approved.suppressed()).isNull();
        assertThat(ids(approved)).containsExactly("a-3", "b-1", "b-2");
        assertThat(approved.displaced()).extracting(Displacement::clusterId).containsExactly("a-1", "a-2");
    }

    @Test
    void aDecisionFedBackAsPreviousMovesNothing() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            Map<String, ClusterFacts> fleet = new LinkedHashMap<>();
            String[] clouds = {"aws", "azure", "gcp", "onprem"};
            for (int i = 0; i < 12; i++) {
                String cloud = clouds[random.nextInt(clouds.length)];
                ClusterFacts c = cluster(cloud + "-" + i, cloud, "r" + random.nextInt(3));
                c = priced(c, 0.03 + random.nextInt(30) / 1000.0);
                c = withRequested(c, new Resources(random.nextInt(16_000), random.nextLong(60L << 30), 0));
                fleet.put(c.clusterId(), c);
            }
            boolean divided = random.nextBoolean();
            Workload workload = workload(policy(
                    divided ? PlacementMode.DIVIDED : PlacementMode.DUPLICATED,
                    1 + random.nextInt(12),
                    random.nextBoolean() ? DivideBy.CAPACITY : DivideBy.WEIGHTS,
                    1 + random.nextInt(5),
                    List.of(new SpreadConstraint("cloud", 1 + random.nextInt(3)))));

            PlacementDecision first = schedule(workload, fleet, null, T0);
            // The workload now runs where it was placed: its pods are part of those clusters' requests.
            WorkloadDemand demand = WorkloadDemand.of(workload);
            for (ChosenCluster chosen : first.chosen()) {
                ClusterFacts c = fleet.get(chosen.clusterId());
                Resources share = demand.share(workload.placement().mode(), chosen.replicas());
                fleet.put(c.clusterId(), withRequested(c, c.requested().plus(share)));
            }
            PlacementDecision again = schedule(workload, fleet, first, T0.plusSeconds(60));

            assertThat(again.chosen()).as("round %d", round).isEqualTo(first.chosen());
            assertThat(again.rejected()).as("round %d", round).isEqualTo(first.rejected());
        }
    }

    @Test
    void aDividedShareMovesToTheOtherClustersWhenItsClusterIsLost() {
        Workload workload = workload(policy(PlacementMode.DIVIDED, 9, DivideBy.WEIGHTS, 3, List.of()));
        Map<String, ClusterFacts> fleet = fleet("aws-1", "azure-1", "gcp-1");
        PlacementDecision first = schedule(workload, fleet, null, T0);
        assertThat(first.chosen()).extracting(ChosenCluster::replicas).containsExactly(3, 3, 3);

        fleet.put("gcp-1", health(fleet.get("gcp-1"), ClusterHealth.NOT_READY, T0.plusSeconds(5)));
        PlacementDecision inGrace = schedule(workload, fleet, first, T0.plusSeconds(10));
        assertThat(inGrace.chosen()).isEqualTo(first.chosen());
        PlacementDecision after = schedule(workload, fleet, inGrace, T0.plusSeconds(35));

        assertThat(after.chosen()).extracting(ChosenCluster::clusterId).containsExactly("aws-1", "azure-1");
        // 9 over two equal weights: 4.5 each, the odd replica to the smaller id.
        assertThat(after.chosen()).extracting(ChosenCluster::replicas).containsExactly(5, 4);
    }

    @Test
    void anInventoryRestartThatTurnsEveryClusterNotReadyMovesNothing() {
        Workload workload = workload(policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 2, List.of()));
        Map<String, ClusterFacts> fleet = fleet("aws-1", "azure-1", "gcp-1", "onprem-1");
        PlacementDecision first = schedule(workload, fleet, null, T0);
        assertThat(ids(first)).containsExactly("aws-1", "azure-1");

        // Inventory restarts: every cluster is Connecting (not Ready) at once.
        fleet.replaceAll((id, c) -> health(c, ClusterHealth.NOT_READY, T0.plusSeconds(100)));
        PlacementDecision inGrace = schedule(workload, fleet, first, T0.plusSeconds(110));
        assertThat(ids(inGrace)).containsExactly("aws-1", "azure-1");
        assertThat(inGrace.displaced()).isEmpty();
        assertThat(inGrace.nextReviewAt()).isEqualTo(T0.plusSeconds(130));

        // Past failover.after the whole fleet is still down: a suppression, not an empty placement.
        PlacementDecision held = schedule(workload, fleet, inGrace, T0.plusSeconds(130));
        assertThat(ids(held)).containsExactly("aws-1", "azure-1");
        assertThat(held.suppressed()).isNotNull();
        assertThat(held.suppressed().unreachableClusters()).containsExactly("aws-1", "azure-1");
        assertThat(held.suppressed().reason()).contains("4 of the fleet's 4 clusters are Unreachable or not Ready");
        assertThat(held.displaced()).isEmpty();
    }

    @Test
    void aSuppressionHoldsOnlyTheClustersThePolicyStillSelects() {
        Workload wide = workload(policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 3, List.of()));
        Map<String, ClusterFacts> fleet = fleet("a-1", "a-2", "b-1", "b-2", "c-1");
        PlacementDecision first = schedule(wide, fleet, null, T0);
        assertThat(ids(first)).containsExactly("a-1", "a-2", "b-1");
        fleet.put("a-1", health(fleet.get("a-1"), ClusterHealth.UNREACHABLE, T0));
        fleet.put("a-2", health(fleet.get("a-2"), ClusterHealth.UNREACHABLE, T0));

        // The policy is narrowed off cloud b while the failover is held back.
        Workload narrowed = workload(new PlacementPolicy(
                ClusterSelector.ALL.withClouds(List.of("a")),
                PlacementMode.DUPLICATED,
                0,
                DivideBy.WEIGHTS,
                List.of(),
                new ClusterRange(1, 3),
                List.of(),
                new Preference.Cheapest()));
        PlacementDecision held = schedule(narrowed, fleet, first, T0.plusSeconds(60));

        assertThat(held.suppressed()).isNotNull();
        assertThat(ids(held)).containsExactly("a-1", "a-2");
        assertThat(held.rejected())
                .filteredOn(r -> r.clusterId().equals("b-1"))
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(Rejection.NOT_SELECTED));
    }

    @Test
    void aWorkloadOnTwoClustersFailsOverWhenOneIsLost() {
        Workload workload = workload(policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 2, List.of()));
        Map<String, ClusterFacts> fleet = fleet("aws-1", "azure-1", "gcp-1");
        PlacementDecision first = schedule(workload, fleet, null, T0);
        assertThat(ids(first)).containsExactly("aws-1", "azure-1");

        fleet.put("aws-1", health(fleet.get("aws-1"), ClusterHealth.UNREACHABLE, T0));
        PlacementDecision after = schedule(workload, fleet, first, T0.plusSeconds(30));

        assertThat(after.suppressed()).isNull();
        assertThat(ids(after)).containsExactly("azure-1", "gcp-1");
    }

    @Test
    void aTwoClusterFleetFailsOverWhenOneIsLost() {
        Workload workload = workload(policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 1, List.of()));
        Map<String, ClusterFacts> fleet = fleet("aws-1", "gcp-1");
        PlacementDecision first = schedule(workload, fleet, null, T0);
        assertThat(ids(first)).containsExactly("aws-1");

        fleet.put("aws-1", health(fleet.get("aws-1"), ClusterHealth.UNREACHABLE, T0));
        PlacementDecision after = schedule(workload, fleet, first, T0.plusSeconds(30));

        assertThat(after.suppressed()).isNull();
        assertThat(ids(after)).containsExactly("gcp-1");
    }

    @Test
    void everyAwsClusterOfATwelveClusterFleetDownFailsAWorkloadOnTwoCloudsOver() {
        Workload workload = workload(
                policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 2, List.of(new SpreadConstraint("cloud", 2))));
        Map<String, ClusterFacts> fleet = new LinkedHashMap<>();
        for (String cloud : List.of("aws", "azure", "gcp", "onprem")) {
            for (int i = 1; i <= 3; i++) {
                fleet.put(cloud + "-" + i, cluster(cloud + "-" + i, cloud, "r1"));
            }
        }
        fleet.replaceAll((id, c) -> priced(c, id.startsWith("aws") || id.startsWith("gcp") ? 0.03 : 0.05));
        PlacementDecision first = schedule(workload, fleet, null, T0);
        assertThat(ids(first)).containsExactly("aws-1", "gcp-1");

        fleet.replaceAll((id, c) -> id.startsWith("aws") ? health(c, ClusterHealth.UNREACHABLE, T0) : c);
        PlacementDecision after = schedule(workload, fleet, first, T0.plusSeconds(30));

        assertThat(after.suppressed()).isNull();
        assertThat(ids(after)).hasSize(2).contains("gcp-1").doesNotContain("aws-1");
        assertThat(after.unmetSpread()).isEmpty();
    }

    @Test
    void aClusterLeftBecauseTheWorkloadWasUnhealthyThereComesBackOnlyByAnOperator() {
        Workload workload = workload(policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 2, List.of()));
        Map<String, ClusterFacts> fleet = fleet("aws-1", "azure-1", "gcp-1");
        PlacementDecision first = schedule(workload, fleet, null, T0);
        assertThat(ids(first)).containsExactly("aws-1", "azure-1");

        // The reconciler shows aws-1 not Ready for this workload (unavailable there past unhealthyAfter).
        Map<String, ClusterFacts> seenUnhealthy = new LinkedHashMap<>(fleet);
        seenUnhealthy.put("aws-1", health(fleet.get("aws-1"), ClusterHealth.NOT_READY, T0.plusSeconds(10)));
        PlacementDecision failedOver = scheduler.schedule(new SchedulingRequest(
                workload,
                FleetView.of(seenUnhealthy.values()),
                first,
                false,
                Set.of(),
                T0.plusSeconds(60),
                null,
                Set.of("aws-1")));
        assertThat(ids(failedOver)).containsExactly("azure-1", "gcp-1");
        assertThat(failedOver.displaced())
                .singleElement()
                .satisfies(d -> assertThat(d.cause()).isEqualTo(Displacement.Cause.WORKLOAD_UNHEALTHY));

        // No longer assigned there, aws-1 looks Ready (it always was): long past stableFor it still waits.
        PlacementDecision later = schedule(workload, fleet, failedOver, T0.plusSeconds(3600));
        assertThat(ids(later)).containsExactly("azure-1", "gcp-1");
        assertThat(later.nextReviewAt()).isNull();
        assertThat(later.rejected())
                .filteredOn(r -> r.clusterId().equals("aws-1"))
                .singleElement()
                .satisfies(r -> assertThat(r.detail()).contains("workload was unhealthy there"));

        PlacementDecision released = scheduler.schedule(new SchedulingRequest(
                workload, FleetView.of(fleet.values()), later, false, Set.of("aws-1"), T0.plusSeconds(3700)));
        assertThat(ids(released)).contains("aws-1");
        assertThat(released.displaced()).isEmpty();
    }

    @Test
    void aReturningCloudMovesTheWorkloadOnceBackWhereItWasNotFirstToAClusterThatNeverRanIt() {
        // aws-2 is the dearest: never chosen while aws-1 is fine.
        Workload workload = workload(policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 2, List.of()));
        Map<String, ClusterFacts> fleet = fleet("aws-1", "gcp-1", "aws-2");
        PlacementDecision first = schedule(workload, fleet, null, T0);
        assertThat(ids(first)).containsExactly("aws-1", "gcp-1");

        // The whole of AWS goes down: only gcp-1 is left.
        fleet.replaceAll((id, c) -> id.startsWith("aws") ? health(c, ClusterHealth.UNREACHABLE, T0) : c);
        PlacementDecision failedOver = schedule(workload, fleet, first, T0.plusSeconds(30));
        assertThat(ids(failedOver)).containsExactly("gcp-1");

        // AWS comes back at once: aws-2, which never ran the workload, is Ready as soon as aws-1 is.
        Instant back = T0.plusSeconds(600);
        fleet.replaceAll((id, c) -> id.startsWith("aws") ? health(c, ClusterHealth.READY, back) : c);
        PlacementDecision waiting = schedule(workload, fleet, failedOver, back.plusSeconds(10));
        assertThat(ids(waiting)).as("aws-1's place is held for its failback").containsExactly("gcp-1");
        assertThat(waiting.rejected())
                .filteredOn(r -> r.clusterId().equals("aws-2"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.reason()).isEqualTo(Rejection.MAX_CLUSTERS);
                    assertThat(r.detail()).contains("held for aws-1");
                });

        PlacementDecision failedBack = schedule(workload, fleet, waiting, back.plus(Duration.ofMinutes(5)));
        assertThat(ids(failedBack)).containsExactly("aws-1", "gcp-1");
        PlacementDecision after = schedule(workload, fleet, failedBack, back.plus(Duration.ofMinutes(30)));
        assertThat(ids(after)).as("and stays").containsExactly("aws-1", "gcp-1");
    }

    @Test
    void aReturningCloudUnderASpreadRuleMovesTheReplacementOnceWhenTheLostClusterComesBack() {
        Workload workload = workload(
                policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 2, List.of(new SpreadConstraint("cloud", 2))));
        // Enough GCP clusters that AWS going down is not half the fleet (which would hold the failover back).
        Map<String, ClusterFacts> fleet = fleet("aws-1", "gcp-1", "gcp-2", "aws-2", "gcp-3", "gcp-4");
        PlacementDecision first = schedule(workload, fleet, null, T0);
        assertThat(ids(first)).containsExactly("aws-1", "gcp-1");

        fleet.replaceAll((id, c) -> id.startsWith("aws") ? health(c, ClusterHealth.UNREACHABLE, T0) : c);
        PlacementDecision failedOver = schedule(workload, fleet, first, T0.plusSeconds(30));
        assertThat(ids(failedOver)).containsExactly("gcp-1", "gcp-2");
        assertThat(failedOver.degraded()).as("no second cloud is left").isTrue();

        Instant back = T0.plusSeconds(600);
        fleet.replaceAll((id, c) -> id.startsWith("aws") ? health(c, ClusterHealth.READY, back) : c);
        PlacementDecision waiting = schedule(workload, fleet, failedOver, back.plusSeconds(10));
        assertThat(ids(waiting))
                .as("aws-2 does not take gcp-2's place for the spread rule, only to give it to aws-1 5 minutes later")
                .containsExactly("gcp-1", "gcp-2");

        PlacementDecision failedBack = schedule(workload, fleet, waiting, back.plus(Duration.ofMinutes(5)));
        assertThat(ids(failedBack)).containsExactly("aws-1", "gcp-1");
        assertThat(failedBack.degraded()).isFalse();
        assertThat(ids(schedule(workload, fleet, failedBack, back.plus(Duration.ofMinutes(30)))))
                .containsExactly("aws-1", "gcp-1");
    }

    @Test
    void aClusterWhoseBundleHasNoRoomLeftIsNotChosenAndSaysItsBytes() {
        Workload workload = workload(policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 2, List.of()));
        Map<String, ClusterFacts> fleet = fleet("aws-1", "gcp-1", "azure-1");
        BundleBudget budget = new BundleBudget(786_432, 200_000, Map.of("aws-1", 600_000L, "gcp-1", 586_432L));

        PlacementDecision decision = scheduler.schedule(new SchedulingRequest(
                workload, FleetView.of(fleet.values()), null, false, Set.of(), T0, null, Set.of(), budget));

        assertThat(ids(decision)).as("gcp-1 fills to the limit exactly").containsExactly("azure-1", "gcp-1");
        assertThat(decision.rejected())
                .filteredOn(r -> r.clusterId().equals("aws-1"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.reason()).isEqualTo(Rejection.BUNDLE_FULL);
                    assertThat(r.detail()).contains("600000", "800000", "786432");
                });
    }

    @Test
    void aWorkloadKeepsItsPlaceWhenAnotherFillsTheBundleAndOnlyANewcomerIsTurnedAway() {
        Workload workload = workload(policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 1, List.of()));
        Map<String, ClusterFacts> fleet = fleet("aws-1", "gcp-1");
        PlacementDecision first = schedule(workload, fleet, null, T0);
        assertThat(ids(first)).containsExactly("aws-1");

        // The others fill aws-1's bundle up to what is left beside this workload: it still fits, and stays.
        BundleBudget full = new BundleBudget(786_432, 200_000, Map.of("aws-1", 586_432L));
        PlacementDecision kept = scheduleWithin(workload, fleet, first, T0.plusSeconds(60), full);
        assertThat(ids(kept)).containsExactly("aws-1");

        // Its next generation grows past the room left: it goes where it fits.
        BundleBudget grown = new BundleBudget(786_432, 200_001, Map.of("aws-1", 586_432L));
        PlacementDecision moved = scheduleWithin(workload, fleet, kept, T0.plusSeconds(120), grown);
        assertThat(ids(moved)).containsExactly("gcp-1");
    }

    /**
     * An incumbent whose estimate no longer fits is judged by what its current generation renders there: a bundle
     * another workload filled later, or an estimate larger than the rendering, never pushes it out; only rendering
     * more than it holds and more than the room left does. (It was judged as a newcomer, estimate against the others'
     * bytes, and flapped out of a bundle it fitted in.)
     */
    @Test
    void anIncumbentKeepsItsPlaceUnlessWhatItRendersGrowsPastTheRoomLeft() {
        Workload workload = workload(policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 1, List.of()));
        Map<String, ClusterFacts> fleet = fleet("aws-1", "gcp-1");
        PlacementDecision first = schedule(workload, fleet, null, T0);
        assertThat(ids(first)).containsExactly("aws-1");
        // It holds 150,000 bytes on aws-1 and is estimated at 200,000; the others have filled the bundle to 600,000.

        PlacementDecision kept =
                scheduleWithin(workload, fleet, first, T0.plusSeconds(60), rendering(786_432, 150_000));
        assertThat(ids(kept))
                .as("600,000 + its estimate is over the limit, but it renders no more")
                .containsExactly("aws-1");

        PlacementDecision grownALittle =
                scheduleWithin(workload, fleet, kept, T0.plusSeconds(120), rendering(786_432, 186_400));
        assertThat(ids(grownALittle))
                .as("600,000 + 186,400 + 32 of tolerance fits")
                .containsExactly("aws-1");

        PlacementDecision grownTooMuch =
                scheduleWithin(workload, fleet, grownALittle, T0.plusSeconds(180), rendering(786_432, 186_401));
        assertThat(ids(grownTooMuch)).containsExactly("gcp-1");
        assertThat(grownTooMuch.rejected())
                .filteredOn(r -> r.clusterId().equals("aws-1"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.reason()).isEqualTo(Rejection.BUNDLE_FULL);
                    assertThat(r.detail()).contains("holds 150000", "would take 186401", "786401", "786432");
                });

        // In a bundle that is over only because the limit was lowered, it stays as it is.
        PlacementDecision lowered =
                scheduleWithin(workload, fleet, first, T0.plusSeconds(240), rendering(500_000, 150_000));
        assertThat(ids(lowered)).containsExactly("aws-1");
    }

    /** aws-1's bundle: 600,000 bytes of others, 150,000 of this workload, which now renders {@code rendered} there. */
    private static BundleBudget rendering(long limit, long rendered) {
        return new BundleBudget(
                limit,
                200_000,
                OTHERS,
                Map.of("aws-1", 150_000L),
                Map.of("aws-1", new BundleBudget.Rendered(rendered, 32)));
    }

    @Test
    void aDeclaredBundleIsAdmittedUnderTheLimitOrWhenTheWorkloadTakesNoMoreThanItHeld() {
        assertThat(BundleBudget.admits(786_432, 200_000, 0, 786_432, 0))
                .as("at the limit")
                .isTrue();
        assertThat(BundleBudget.admits(786_433, 200_000, 0, 786_432, 0))
                .as("a newcomer past it")
                .isFalse();
        assertThat(BundleBudget.admits(900_000, 150_016, 150_000, 786_432, 16))
                .as("no more than held, give or take")
                .isTrue();
        assertThat(BundleBudget.admits(900_000, 150_017, 150_000, 786_432, 16))
                .as("grown past it")
                .isFalse();
    }

    private static final Map<String, Long> OTHERS = Map.of("aws-1", 600_000L);

    private PlacementDecision scheduleWithin(
            Workload workload,
            Map<String, ClusterFacts> fleet,
            PlacementDecision previous,
            Instant now,
            BundleBudget budget) {
        return scheduler.schedule(new SchedulingRequest(
                workload, FleetView.of(fleet.values()), previous, false, Set.of(), now, null, Set.of(), budget));
    }

    @Test
    void aWorkloadUnhealthyPastAnUnhealthyAfterShorterThanFailoverAfterMovesWithoutWaitingFailoverAfter() {
        Workload workload = workload(policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 2, List.of()));
        Map<String, ClusterFacts> fleet = fleet("aws-1", "azure-1", "gcp-1");
        PlacementDecision first = schedule(workload, fleet, null, T0);

        // Unavailable since T0+10s; unhealthyAfter (say 2s) has passed at T0+15s, failover.after (30s) has not.
        Map<String, ClusterFacts> seenUnhealthy = new LinkedHashMap<>(fleet);
        seenUnhealthy.put("aws-1", health(fleet.get("aws-1"), ClusterHealth.NOT_READY, T0.plusSeconds(10)));
        PlacementDecision moved = scheduler.schedule(new SchedulingRequest(
                workload,
                FleetView.of(seenUnhealthy.values()),
                first,
                false,
                Set.of(),
                T0.plusSeconds(15),
                null,
                Set.of("aws-1")));

        assertThat(ids(moved)).containsExactly("azure-1", "gcp-1");
        assertThat(moved.displaced())
                .singleElement()
                .satisfies(d -> assertThat(d.cause()).isEqualTo(Displacement.Cause.WORKLOAD_UNHEALTHY));
    }

    @Test
    void theNextReviewIsTheEarliestTimerThatChangesAnything() {
        Workload workload = workload(policy(PlacementMode.DUPLICATED, 0, DivideBy.WEIGHTS, 3, List.of()));
        Map<String, ClusterFacts> fleet = fleet("aws-1", "aws-2", "azure-1", "gcp-1");
        fleet.put("aws-1", health(fleet.get("aws-1"), ClusterHealth.UNREACHABLE, T0));
        fleet.put("aws-2", health(fleet.get("aws-2"), ClusterHealth.READY, T0.minusSeconds(200)));
        PlacementDecision previous = decision(
                List.of("aws-1", "azure-1", "gcp-1"),
                List.of(new Displacement("aws-2", T0.minusSeconds(3600), null, List.of("gcp-1"))));

        PlacementDecision decision = schedule(workload, fleet, previous, T0.plusSeconds(10));

        // aws-1's grace ends at T0+30s, before aws-2's failback at T0-200s+5min.
        assertThat(decision.nextReviewAt()).isEqualTo(T0.plusSeconds(30));
        PlacementDecision later = schedule(workload, fleet, decision, T0.plusSeconds(30));
        assertThat(later.nextReviewAt()).isEqualTo(T0.plusSeconds(100));
    }

    @Test
    void aDisplacedClusterThePolicyNoLongerSelectsIsForgotten() {
        Workload workload = workload(new PlacementPolicy(
                ClusterSelector.ALL.withClouds(List.of("azure", "gcp")),
                PlacementMode.DUPLICATED,
                0,
                null,
                null,
                null,
                null,
                null));
        Map<String, ClusterFacts> fleet = fleet("aws-1", "azure-1", "gcp-1");
        PlacementDecision previous = decision(
                List.of("azure-1", "gcp-1"), List.of(new Displacement("aws-1", T0.minusSeconds(60), null, List.of())));

        PlacementDecision decision = schedule(workload, fleet, previous, T0);

        assertThat(decision.displaced()).isEmpty();
        assertThat(decision.rejected())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(Rejection.NOT_SELECTED));
    }

    @Test
    void aDuplicatedWorkloadScaledToZeroStillGetsItsClusters() {
        Workload workload = new Workload(
                "checkout",
                "shop",
                1,
                List.of(Map.of("kind", "Deployment", "metadata", Map.of("name", "web"), "spec", Map.of("replicas", 0))),
                PlacementPolicy.DEFAULT,
                null,
                null,
                null);

        PlacementDecision decision = schedule(workload, fleet("aws-1", "gcp-1"), null, T0);

        assertThat(decision.chosen()).extracting(ChosenCluster::replicas).containsExactly(0, 0);
    }

    @Test
    void theLargestRemainderGoesToTheLargestFractionsThenTheSmallerId() {
        Map<String, Long> weights = new LinkedHashMap<>();
        weights.put("c", 1L);
        weights.put("b", 1L);
        weights.put("a", 1L);
        weights.put("z", 0L);

        assertThat(PlacementScheduler.largestRemainder(5, weights))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", 2, "b", 2, "c", 1, "z", 0));
        weights.put("c", 5L);
        // 7 x (5, 1, 1) / 7 = 5, 1, 1 exactly: nothing left to hand out.
        assertThat(PlacementScheduler.largestRemainder(7, weights))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 1, "c", 5, "z", 0));
        assertThat(PlacementScheduler.largestRemainder(3, Map.of("x", 0L)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("x", 0));
    }

    @Test
    void spreadAndLabelOrderReadTheWellKnownLabels() {
        assertThat(PlacementScheduler.labelKey("cloud")).isEqualTo(SelectableLabels.CLOUD);
        assertThat(PlacementScheduler.labelKey("region")).isEqualTo(SelectableLabels.REGION);
        assertThat(PlacementScheduler.labelKey("environment")).isEqualTo(SelectableLabels.ENVIRONMENT);
        assertThat(PlacementScheduler.labelKey("topology.example.com/zone")).isEqualTo("topology.example.com/zone");
        assertThat(PlacementScheduler.duration(Duration.ofSeconds(5430))).isEqualTo("1h30m30s");
        assertThat(PlacementScheduler.fraction(1.0 / 3)).isEqualTo("1/3");
        assertThat(PlacementScheduler.fraction(0.37)).isEqualTo("0.37");
        assertThat(PlacementScheduler.memory(1536L << 20)).isEqualTo("1.5Gi");
        assertThat(PlacementScheduler.cpu(250)).isEqualTo("0.25");
    }

    // ---------------------------------------------------------------- fixtures

    private PlacementDecision schedule(
            Workload workload, Map<String, ClusterFacts> fleet, PlacementDecision previous, Instant now) {
        return scheduler.schedule(
                new SchedulingRequest(workload, FleetView.of(fleet.values()), previous, false, Set.of(), now));
    }

    private static List<String> ids(PlacementDecision decision) {
        return decision.chosen().stream().map(ChosenCluster::clusterId).toList();
    }

    private static PlacementDecision decision(List<String> chosen, List<Displacement> displaced) {
        return new PlacementDecision(
                "checkout",
                1,
                chosen.stream().map(id -> new ChosenCluster(id, id, 2, 1, 0)).toList(),
                List.of(),
                List.of(),
                null,
                displaced,
                0,
                T0.minusSeconds(3600),
                null);
    }

    private static PlacementPolicy policy(
            PlacementMode mode, int replicas, DivideBy divideBy, int max, List<SpreadConstraint> spread) {
        return new PlacementPolicy(
                ClusterSelector.ALL,
                mode,
                replicas,
                divideBy,
                List.of(),
                new ClusterRange(1, max),
                spread,
                new Preference.Cheapest());
    }

    private static Workload workload(PlacementPolicy policy) {
        Map<String, Object> container =
                Map.of("name", "web", "resources", Map.of("requests", Map.of("cpu", "500m", "memory", "1Gi")));
        Map<String, Object> deployment = Map.of(
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", "web"),
                "spec",
                Map.of("replicas", 2, "template", Map.of("spec", Map.of("containers", List.of(container)))));
        return new Workload("checkout", "shop", 1, List.of(deployment), policy, null, null, null);
    }

    private static Map<String, ClusterFacts> fleet(String... ids) {
        Map<String, ClusterFacts> fleet = new LinkedHashMap<>();
        for (String id : ids) {
            ClusterFacts c = cluster(id, id.substring(0, id.indexOf('-')), "r1");
            fleet.put(id, priced(c, 0.04 + fleet.size() / 1000.0));
        }
        return fleet;
    }

    private static ClusterFacts cluster(String id, String cloud, String region) {
        return new ClusterFacts(
                id,
                id,
                SelectableLabels.of(id, cloud, region, "prod", Map.of()),
                ClusterHealth.READY,
                T0.minusSeconds(86_400),
                new Resources(16_000, 64L << 30, 0),
                Resources.NONE,
                null);
    }

    private static ClusterFacts priced(ClusterFacts c, double cpuCoreHour) {
        return new ClusterFacts(
                c.clusterId(),
                c.name(),
                c.labels(),
                c.health(),
                c.healthSince(),
                c.allocatable(),
                c.requested(),
                new ClusterRates("USD", cpuCoreHour, 0.005, 0, 0));
    }

    private static ClusterFacts health(ClusterFacts c, ClusterHealth health, Instant since) {
        return new ClusterFacts(
                c.clusterId(), c.name(), c.labels(), health, since, c.allocatable(), c.requested(), c.rates());
    }

    private static ClusterFacts withRequested(ClusterFacts c, Resources requested) {
        return new ClusterFacts(
                c.clusterId(),
                c.name(),
                c.labels(),
                c.health(),
                c.healthSince(),
                c.allocatable(),
                requested,
                c.rates());
    }
}
