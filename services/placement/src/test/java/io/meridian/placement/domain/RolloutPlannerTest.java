package io.meridian.placement.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.placement.domain.PlacementDecision.ChosenCluster;
import io.meridian.placement.domain.PlacementDecision.Displacement;
import io.meridian.placement.domain.PlacementDecision.Displacement.Cause;
import io.meridian.placement.domain.PlacementDecision.FailoverSuppression;
import io.meridian.placement.domain.PlacementEvent.DegradedChanged;
import io.meridian.placement.domain.PlacementEvent.FailbackCompleted;
import io.meridian.placement.domain.PlacementEvent.FailoverCompleted;
import io.meridian.placement.domain.PlacementEvent.FailoverStarted;
import io.meridian.placement.domain.PlacementEvent.FailoverSuppressed;
import io.meridian.placement.domain.PlacementEvent.RolloutCompleted;
import io.meridian.placement.domain.PlacementEvent.RolloutHalted;
import io.meridian.placement.domain.PlacementEvent.RolloutStarted;
import io.meridian.placement.domain.PlacementEvent.WaveCompleted;
import io.meridian.placement.domain.RolloutStrategy.MaxInFlight;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RolloutPlannerTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String PDE = RolloutPlanner.PROGRESS_DEADLINE_EXCEEDED;

    /** One canary, then half of the clusters per wave, 30 s apart, 5 min to become available. */
    private static final RolloutStrategy WAVES =
            new RolloutStrategy(1, new MaxInFlight(50, true), Duration.ofSeconds(30), Duration.ofMinutes(5));

    private final RolloutPlanner planner = new RolloutPlanner();

    @Nested
    class Rollout {

        @Test
        void firstPlacementGivesEveryChosenClusterTheGenerationAndAnnouncesNoRollout() {
            Run run = new Run(1, WAVES, decision(100, "a=3 b=3 c=3"));

            assertThat(run.step()).isEmpty();

            assertThat(run.generations()).isEqualTo("a:1 b:1 c:1");
            assertThat(run.replicas()).isEqualTo("a=3 b=3 c=3");
            assertThat(run.progress.rollout()).isEqualTo(RolloutState.completed(1, T0));
            assertThat(run.last.wakeAt()).isNull();
        }

        @Test
        void aNewGenerationGoesCanaryFirstThenWavesWithPausesBetween() {
            Run run = placed(WAVES, "a b c d").generation(2);

            assertThat(run.step()).containsExactly(new RolloutStarted("shop", 2, 1, waves("a | b c | d")));
            assertThat(run.generations()).isEqualTo("a:2 b:1 c:1 d:1");
            assertThat(run.progress.rollout().phase()).isEqualTo(RolloutPhase.PROGRESSING);
            assertThat(run.last.wakeAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));

            run.at("10s").shows("a", 2, true);
            assertThat(run.step()).containsExactly(new WaveCompleted("shop", 2, 1, List.of("a")));
            assertThat(run.progress.rollout().phase()).isEqualTo(RolloutPhase.PAUSED);
            assertThat(run.last.wakeAt()).isEqualTo(T0.plusSeconds(40));

            run.at("39s");
            assertThat(run.step()).isEmpty();
            assertThat(run.generations()).isEqualTo("a:2 b:1 c:1 d:1");

            run.at("40s");
            assertThat(run.step()).isEmpty();
            assertThat(run.generations()).isEqualTo("a:2 b:2 c:2 d:1");
            assertThat(run.last.wakeAt()).isEqualTo(T0.plusSeconds(40).plus(Duration.ofMinutes(5)));

            run.at("60s").shows("b", 2, true);
            assertThat(run.step()).as("c is not available yet").isEmpty();
            run.shows("c", 2, true);
            assertThat(run.step()).containsExactly(new WaveCompleted("shop", 2, 2, List.of("b", "c")));

            run.at("90s");
            run.step();
            assertThat(run.generations()).isEqualTo("a:2 b:2 c:2 d:2");

            run.at("95s").shows("d", 2, true);
            assertThat(run.step())
                    .containsExactly(new WaveCompleted("shop", 2, 3, List.of("d")), new RolloutCompleted("shop", 2));
            assertThat(run.progress.rollout().phase()).isEqualTo(RolloutPhase.COMPLETED);
            assertThat(run.progress.rollout().stableGeneration()).isEqualTo(2);
            assertThat(run.last.wakeAt()).isNull();
        }

        @Test
        void withoutAPauseTheNextWaveStartsInTheSameStep() {
            RolloutStrategy noPause =
                    new RolloutStrategy(1, new MaxInFlight(50, true), Duration.ZERO, Duration.ofMinutes(5));
            Run run = placed(noPause, "a b c").generation(2);
            run.step();

            run.at("5s").shows("a", 2, true);

            assertThat(run.step()).containsExactly(new WaveCompleted("shop", 2, 1, List.of("a")));
            assertThat(run.generations()).isEqualTo("a:2 b:2 c:2");
            assertThat(run.progress.rollout().phaseSince()).isEqualTo(T0.plusSeconds(5));
        }

        @Test
        void clustersWhereTheWorkloadIsAvailableComeFirstInTheWaves() {
            Run run = placed(WAVES, "a b c d").generation(2);
            run.shows("a", 1, false).shows("b", 1, true).shows("c", 1, true).shows("d", 1, true);

            assertThat(run.step()).containsExactly(new RolloutStarted("shop", 2, 1, waves("b | c d | a")));
            assertThat(run.generations()).isEqualTo("a:1 b:2 c:1 d:1");
        }

        @Test
        void aBrokenCanaryHaltsAtOnceAndTheClustersNotReachedKeepTheStableGeneration() {
            Run run = placed(WAVES, "a b c d").generation(2);
            run.step();

            run.at("20s").shows("a", 1, false, PDE);
            assertThat(run.step())
                    .as("a condition of the old generation says nothing of the new")
                    .isEmpty();

            run.at("30s").shows("a", 2, false, PDE);
            assertThat(run.step()).singleElement().satisfies(e -> assertHalted(e, 2, "a", PDE));
            assertThat(run.progress.rollout().phase()).isEqualTo(RolloutPhase.HALTED);
            assertThat(run.progress.rollout().haltedCluster()).isEqualTo("a");
            assertThat(run.progress.rollout().haltReason()).isEqualTo(PDE);
            assertThat(run.generations()).isEqualTo("a:2 b:1 c:1 d:1");
            assertThat(run.last.wakeAt()).isNull();

            run.at("1h").shows("a", 2, true);
            assertThat(run.step()).as("a halted rollout waits for an operator").isEmpty();
            assertThat(run.generations()).isEqualTo("a:2 b:1 c:1 d:1");
        }

        @Test
        void aCanaryNotAvailableWithinTheHealthTimeoutHalts() {
            Run run = placed(WAVES, "a b c d").generation(2);
            run.step();

            run.at("4m59s");
            assertThat(run.step()).isEmpty();

            run.at("5m");
            assertThat(run.step()).singleElement().satisfies(e -> {
                assertHalted(e, 2, "a", RolloutPlanner.HEALTH_TIMEOUT);
                assertThat(((RolloutHalted) e).message()).contains("not applied", "5m");
            });
            assertThat(run.generations()).isEqualTo("a:2 b:1 c:1 d:1");
        }

        @Test
        void anObjectInventoryCouldNotApplyHaltsAtOnceNamingTheObjectAndTheReason() {
            Run run = placed(WAVES, "a b c d").generation(2);
            run.step();

            run.at("20s").shows("a", 1, true);
            run.observed.put(
                    "a",
                    run.observed
                            .get("a")
                            .withApplyFailure(new WorkloadSync.ApplyFailure(
                                    2, "Service/shop in shop", "Conflict", "conflict with \"kubectl\": .spec.ports")));

            assertThat(run.step()).singleElement().satisfies(e -> {
                assertHalted(e, 2, "a", RolloutPlanner.APPLY_FAILED);
                assertThat(((RolloutHalted) e).message())
                        .contains("Service/shop in shop", "Conflict", "conflict with \"kubectl\": .spec.ports");
                assertThat(((RolloutHalted) e).object())
                        .as("the object to blame, for alerts and the API without parsing the message")
                        .isEqualTo("Service/shop in shop");
            });
            assertThat(run.generations())
                    .as("the clusters not reached keep generation 1")
                    .isEqualTo("a:2 b:1 c:1 d:1");
        }

        @Test
        void aFailureOfAnOlderGenerationDoesNotHaltTheNewOne() {
            Run run = placed(WAVES, "a b c d").generation(2);
            run.step();

            run.at("20s").shows("a", 2, true);
            run.observed.put(
                    "a",
                    run.observed
                            .get("a")
                            .withApplyFailure(
                                    new WorkloadSync.ApplyFailure(1, "Service/shop in shop", "Failed", null)));

            assertThat(run.step()).singleElement().isInstanceOf(WaveCompleted.class);
        }

        @Test
        void aHealthTimeoutNamesTheConditionTheClusterReports() {
            Run run = placed(WAVES, "a b c d").generation(2);
            run.step();

            run.at("5m").shows("a", 2, false, "MinimumReplicasUnavailable");

            assertThat(run.step())
                    .singleElement()
                    .satisfies(e -> assertHalted(e, 2, "a", "MinimumReplicasUnavailable"));
        }

        @Test
        void resumeRetriesTheHaltedWaveFromNow() {
            Run run = placed(WAVES, "a b c d").generation(2);
            run.step();
            run.at("30s").shows("a", 2, false, PDE);
            run.step();

            run.at("9m").shows("a", 2, false);
            assertThat(run.step()).as("only an operator ends a halt").isEmpty();
            assertThat(run.progress.rollout().phase()).isEqualTo(RolloutPhase.HALTED);

            run.at("10m");
            assertThat(run.step(new RolloutCommand.Resume())).isEmpty();
            assertThat(run.progress.rollout().phase()).isEqualTo(RolloutPhase.PROGRESSING);
            assertThat(run.progress.rollout().haltedCluster()).isNull();
            assertThat(run.last.wakeAt()).as("a fresh health timeout").isEqualTo(T0.plus(Duration.ofMinutes(15)));

            run.at("11m").shows("a", 2, true);
            assertThat(run.step()).containsExactly(new WaveCompleted("shop", 2, 1, List.of("a")));
            run.at("12m").step();
            assertThat(run.generations()).isEqualTo("a:2 b:2 c:2 d:1");
        }

        @Test
        void resumeWhileTheCanaryStillReportsTheDeadlineHaltsAgainAtOnce() {
            Run run = placed(WAVES, "a b c d").generation(2);
            run.step();
            run.at("30s").shows("a", 2, false, PDE);
            run.step();

            run.at("10m");
            assertThat(run.step(new RolloutCommand.Resume()))
                    .singleElement()
                    .satisfies(e -> assertHalted(e, 2, "a", PDE));
            assertThat(run.progress.rollout().phaseSince()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        }

        @Test
        void resumeIsIgnoredWhenNothingIsHalted() {
            Run run = placed(WAVES, "a b c d").generation(2);
            run.step();
            WorkloadProgress before = run.progress;

            run.at("1m");
            assertThat(run.step(new RolloutCommand.Resume())).isEmpty();
            assertThat(run.progress).isEqualTo(before);
        }

        @Test
        void aRollbackIsANewerGenerationThatRepairsTheBrokenCanaryFirst() {
            Run run = placed(WAVES, "a b c d").generation(2);
            run.step();
            run.at("30s").shows("a", 2, false, PDE);
            run.step();

            run.at("2m").generation(3);
            assertThat(run.step()).containsExactly(new RolloutStarted("shop", 3, 1, waves("a | b c | d")));
            assertThat(run.generations()).isEqualTo("a:3 b:1 c:1 d:1");
            assertThat(run.progress.rollout().phase()).isEqualTo(RolloutPhase.PROGRESSING);

            run.at("3m").shows("a", 3, true);
            assertThat(run.step()).containsExactly(new WaveCompleted("shop", 3, 1, List.of("a")));
        }

        @Test
        void aNewerGenerationSupersedesTheRolloutInCourseAndMovesTheClustersItReachedFirst() {
            Run run = placed(WAVES, "a b c d").generation(2);
            run.step();
            run.at("10s").shows("a", 2, true);
            run.step();
            run.at("40s").step();
            assertThat(run.generations()).isEqualTo("a:2 b:2 c:2 d:1");

            run.at("50s").generation(3);
            assertThat(run.step()).containsExactly(new RolloutStarted("shop", 3, 1, waves("a b c | d")));
            assertThat(run.generations()).isEqualTo("a:3 b:3 c:3 d:1");
            assertThat(run.progress.rollout().stableGeneration()).isEqualTo(1);

            run.at("60s").shows("a", 3, true).shows("b", 3, true).shows("c", 3, true);
            run.step();
            run.at("90s").step();
            run.at("95s").shows("d", 3, true);
            assertThat(run.step())
                    .containsExactly(new WaveCompleted("shop", 3, 2, List.of("d")), new RolloutCompleted("shop", 3));
            assertThat(run.generations()).isEqualTo("a:3 b:3 c:3 d:3");
        }
    }

    @Nested
    class MakeBeforeBreak {

        @Test
        void aNewlyChosenClusterGetsItsShareAtOnceAndTheDroppedOneKeepsItsUntilThenAvailable() {
            Run run = placed(WAVES, "a b").shows("a", 1, true).shows("b", 1, true);

            run.decide(decision(100, "a=2 c=2"));
            assertThat(run.step()).isEmpty();
            assertThat(run.generations()).isEqualTo("a:1 b:1 c:1");

            run.at("1m").shows("c", 1, false);
            run.step();
            assertThat(run.generations())
                    .as("nothing removed before c is available")
                    .isEqualTo("a:1 b:1 c:1");

            run.at("2m").shows("c", 1, true).shows("a", 1, false);
            run.step();
            assertThat(run.generations())
                    .as("every chosen cluster must be available")
                    .isEqualTo("a:1 b:1 c:1");

            run.at("3m").shows("a", 1, true);
            run.step();
            assertThat(run.generations()).isEqualTo("a:1 c:1");
        }

        @Test
        void aDecisionThatLostEveryClusterTakesNothingAway() {
            Run run = placed(WAVES, "a b").shows("a", 1, true).shows("b", 1, true);

            // Every cluster lost at once (an inventory restart): nothing is chosen, so nothing is available in
            // their place, and removing the assignments would make inventory prune the workload everywhere.
            run.at("1m")
                    .decide(new Decision(new PlacementDecision(
                            "shop", 1, List.of(), List.of(), List.of(), null, List.of(), 0, T0, null)))
                    .shows("a", 1, false)
                    .shows("b", 1, false);
            run.step();

            assertThat(run.replicas()).isEqualTo("a=2 b=2");
        }

        @Test
        void aClusterChosenDuringARolloutJoinsAtTheStableGenerationAndGetsALastWave() {
            Run run = placed(WAVES, "a b").generation(2);
            run.step();

            run.decide(decision(100, "a=2 b=2 e=2"));
            run.at("10s").shows("a", 2, true);
            assertThat(run.step()).containsExactly(new WaveCompleted("shop", 2, 1, List.of("a")));
            assertThat(run.generations()).isEqualTo("a:2 b:1 e:1");

            run.at("40s").shows("e", 1, true);
            run.step();
            run.at("50s").shows("b", 2, true);
            assertThat(run.step())
                    .as("e is still on the stable generation")
                    .containsExactly(new WaveCompleted("shop", 2, 2, List.of("b")));
            assertThat(run.progress.rollout().waves()).isEqualTo(waves("a | b | e"));

            run.at("80s").step();
            assertThat(run.generations()).isEqualTo("a:2 b:2 e:2");
            run.at("90s").shows("e", 2, true);
            assertThat(run.step())
                    .containsExactly(new WaveCompleted("shop", 2, 3, List.of("e")), new RolloutCompleted("shop", 2));
        }

        @Test
        void aClusterChosenWhenNoRolloutRunsGetsTheCurrentGeneration() {
            Run run = placed(WAVES, "a").generation(2);
            run.step();
            run.at("10s").shows("a", 2, true);
            run.step();

            run.decide(decision(100, "a=2 b=2"));
            run.step();

            assertThat(run.generations()).isEqualTo("a:2 b:2");
        }

        @Test
        void aReplicaDecreaseWaitsForEveryChosenClusterButAnIncreaseAppliesAtOnce() {
            Run run = new Run(1, WAVES, decision(100, "a=4"));
            run.step();
            run.shows("a", 1, true);

            run.decide(decision(100, "a=2 b=2"));
            run.step();
            assertThat(run.replicas()).isEqualTo("a=4 b=2");

            run.at("1m").shows("b", 1, true);
            run.step();
            assertThat(run.replicas()).isEqualTo("a=2 b=2");

            run.decide(decision(100, "a=5 b=2"));
            run.at("2m").step();
            assertThat(run.replicas()).isEqualTo("a=5 b=2");
        }

        @Test
        void aCanaryThatLeavesTheDecisionIsReplacedByTheNextClusterRatherThanSkipped() {
            Run run = placed(WAVES, "a b c");
            run.generation(2).step();
            assertThat(run.progress.rollout().waves()).isEqualTo(waves("a | b c"));

            run.decide(decision(100, "b=2 c=2 x=2"));
            run.at("1m");
            assertThat(run.step()).isEmpty();
            assertThat(run.progress.rollout().waves()).isEqualTo(waves("b | c"));
            assertThat(run.generations()).isEqualTo("a:2 b:2 c:1 x:1");
            assertThat(run.last.wakeAt()).as("a fresh health timeout").isEqualTo(T0.plus(Duration.ofMinutes(6)));

            run.at("2m").shows("b", 2, true);
            assertThat(run.step()).containsExactly(new WaveCompleted("shop", 2, 1, List.of("b")));
        }
    }

    @Nested
    class Failover {

        @Test
        void aFailoverStartsWithTheCostDeltaAndCompletesWhenTheLostClusterIsTakenAway() {
            Run run = placed(WAVES, "a b").shows("a", 1, true).shows("b", 1, false);

            run.decide(decision(130, "a=2 c=2").displacing("b"));
            assertThat(run.step())
                    .containsExactly(new FailoverStarted("shop", List.of("b"), List.of("c"), 30, Cause.CLUSTER_LOST));
            assertThat(run.generations()).isEqualTo("a:1 b:1 c:1");

            run.at("20s").shows("c", 1, false);
            assertThat(run.step()).isEmpty();
            assertThat(run.generations()).isEqualTo("a:1 b:1 c:1");

            run.at("40s").shows("c", 1, true);
            assertThat(run.step())
                    .containsExactly(new FailoverCompleted("shop", List.of("b"), List.of("c"), 30, Cause.CLUSTER_LOST));
            assertThat(run.generations()).isEqualTo("a:1 c:1");

            run.at("50s");
            assertThat(run.step()).as("told once").isEmpty();
        }

        @Test
        void aMoveSaysWhyTheWorkloadLeftAndAFailbackWhyItHadLeft() {
            Run run = placed(WAVES, "a b").shows("a", 1, true).shows("b", 1, false);

            run.decide(decision(100, "a=2 c=2").displacing(Cause.WORKLOAD_UNHEALTHY, "b"));
            assertThat(run.step())
                    .containsExactly(
                            new FailoverStarted("shop", List.of("b"), List.of("c"), 0, Cause.WORKLOAD_UNHEALTHY));
            run.at("40s").shows("c", 1, true);
            assertThat(run.step())
                    .containsExactly(
                            new FailoverCompleted("shop", List.of("b"), List.of("c"), 0, Cause.WORKLOAD_UNHEALTHY));

            // An operator released b: the decision that brings it back no longer lists it, the one before does.
            run.decide(decision(100, "a=2 b=2"));
            run.at("10m").shows("b", 1, true);
            assertThat(run.step())
                    .containsExactly(
                            new FailbackCompleted("shop", List.of("c"), List.of("b"), 0, Cause.WORKLOAD_UNHEALTHY));
        }

        @Test
        void clustersLeftForDifferentCausesInOneMoveSayNoSingleCause() {
            Run run = placed(WAVES, "a b c").shows("a", 1, true);
            List<Displacement> both = List.of(
                    new Displacement("b", T0, null, List.of(), Cause.CLUSTER_LOST),
                    new Displacement("c", T0, null, List.of(), Cause.WORKLOAD_UNHEALTHY));
            PlacementDecision d = decision(100, "a=2 x=2 y=2").d();
            run.decide(new Decision(new PlacementDecision(
                    d.workload(),
                    d.generation(),
                    d.chosen(),
                    d.rejected(),
                    d.unmetSpread(),
                    null,
                    both,
                    d.monthlyCost(),
                    d.decidedAt(),
                    null)));

            assertThat(run.step())
                    .containsExactly(new FailoverStarted("shop", List.of("b", "c"), List.of("x", "y"), 0, null));
        }

        @Test
        void aSuppressionIsAnnouncedOnceAndAgainOnlyAfterItLifted() {
            Run run = placed(WAVES, "a b c");
            FailoverSuppression held =
                    new FailoverSuppression(List.of("b", "c"), "2 of 3 clusters unreachable at once", T0);

            run.decide(decision(100, "a=2 b=2 c=2").suppressing(held));
            assertThat(run.step()).containsExactly(new FailoverSuppressed("shop", List.of("b", "c"), held.reason()));
            run.at("1m");
            assertThat(run.step()).isEmpty();

            run.decide(decision(100, "a=2 b=2 c=2"));
            run.at("2m");
            assertThat(run.step()).isEmpty();

            run.decide(decision(100, "a=2 b=2 c=2").suppressing(held));
            run.at("3m");
            assertThat(run.step()).hasSize(1);
        }

        @Test
        void aFailbackCompletesWhenTheReturnedClusterIsAvailableAndTheReplacementTakenAway() {
            Run run = placed(WAVES, "a b").shows("a", 1, true);
            run.decide(decision(130, "a=2 c=2").displacing("b"));
            run.step();
            run.at("40s").shows("c", 1, true);
            run.step();
            assertThat(run.generations()).isEqualTo("a:1 c:1");

            run.decide(decision(100, "a=2 b=2"));
            run.at("10m");
            assertThat(run.step()).as("the failback is told when it completes").isEmpty();
            assertThat(run.generations()).isEqualTo("a:1 b:1 c:1");

            run.at("11m").shows("b", 1, true);
            assertThat(run.step())
                    .containsExactly(
                            new FailbackCompleted("shop", List.of("c"), List.of("b"), -30, Cause.CLUSTER_LOST));
            assertThat(run.generations()).isEqualTo("a:1 b:1");
        }

        @Test
        void aClusterBackBeforeItsFailoverCompletedEndsInAFailbackNotAFailover() {
            Run run = placed(WAVES, "a b").shows("a", 1, true);
            run.decide(decision(130, "a=2 c=2").displacing("b"));
            run.step();

            run.decide(decision(100, "a=2 b=2"));
            run.at("1m").shows("b", 1, true).shows("c", 1, false);
            assertThat(run.step())
                    .containsExactly(
                            new FailbackCompleted("shop", List.of("c"), List.of("b"), -30, Cause.CLUSTER_LOST));
            assertThat(run.generations()).isEqualTo("a:1 b:1");
            assertThat(run.progress.failover().pending()).isEmpty();
        }

        @Test
        void degradationIsAnnouncedWhenItChangesEitherWay() {
            Run run = placed(WAVES, "a b");

            run.decide(decision(100, "a=2 b=2").unmet("spread by cloud: 1 of 2"));
            assertThat(run.step()).containsExactly(new DegradedChanged("shop", List.of("spread by cloud: 1 of 2")));
            run.at("1m");
            assertThat(run.step()).isEmpty();

            run.decide(decision(100, "a=2 b=2"));
            assertThat(run.step()).containsExactly(new DegradedChanged("shop", List.of()));
        }

        @Test
        void aWorkloadUnavailableForUnhealthyAfterIsReportedUnlessItsWaveIsGated() {
            Run run = placed(WAVES, "a b c");
            run.shows("a", 1, true).shows("c", 1, true);
            run.observed.put("b", new ClusterObservation("b", 1, false, "MinimumReplicasUnavailable", T0));

            run.at("4m").step();
            assertThat(RolloutPlanner.unhealthyClusters(run.workload, run.progress, run.observed, run.now))
                    .isEmpty();
            assertThat(run.last.wakeAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));

            run.at("5m").step();
            assertThat(RolloutPlanner.unhealthyClusters(run.workload, run.progress, run.observed, run.now))
                    .containsExactly("b");
            assertThat(run.last.wakeAt()).isNull();

            // The canary is a (available clusters first); b waits in the second wave and stays reportable.
            run.generation(2).step();
            assertThat(run.progress.rollout().waves()).isEqualTo(waves("a | c b"));
            assertThat(RolloutPlanner.unhealthyClusters(run.workload, run.progress, run.observed, run.now))
                    .containsExactly("b");
            run.observed.put("a", new ClusterObservation("a", 2, false, null, T0));
            assertThat(RolloutPlanner.unhealthyClusters(run.workload, run.progress, run.observed, run.now))
                    .as("a is the canary: its health gate judges it")
                    .containsExactly("b");
        }
    }

    @Nested
    class Idempotence {

        @Test
        void theSameRequestTwiceGivesTheSameProgressAndNoNewEvents() {
            WorkloadProgress placed = placed(WAVES, "a b c d").progress;
            PlacementDecision before = decision(100, "a=2 b=2 c=2 d=2").d();
            PlacementDecision after = decision(140, "a=2 b=2 d=2 e=2")
                    .displacing("c")
                    .unmet("spread by region: 1 of 2")
                    .suppressing(new FailoverSuppression(List.of("c"), "held", T0))
                    .d();
            Map<String, ClusterObservation> observed =
                    Map.of("a", new ClusterObservation("a", 2, false, PDE, T0), "e", ready("e", 1));
            RolloutRequest request =
                    new RolloutRequest(workload(2, WAVES), after, before, placed, observed, null, T0.plusSeconds(5));

            Actuation first = planner.plan(request);
            Actuation second = planner.plan(withProgress(request, first.next()));

            assertThat(first.events())
                    .extracting(e -> e.getClass().getSimpleName())
                    .containsExactly(
                            "FailoverStarted",
                            "FailoverSuppressed",
                            "DegradedChanged",
                            "RolloutStarted",
                            "RolloutHalted");
            assertThat(second.next()).isEqualTo(first.next());
            assertThat(second.events()).isEmpty();
            assertThat(second.wakeAt()).isEqualTo(first.wakeAt());
        }
    }

    // ---- table-like helpers

    /** Generation 1 placed on {@code clusters} (2 replicas each, 100 a month), nothing observed yet. */
    private Run placed(RolloutStrategy strategy, String clusters) {
        String chosen = Arrays.stream(clusters.split("\\s+")).map(c -> c + "=2").collect(Collectors.joining(" "));
        Run run = new Run(1, strategy, decision(100, chosen));
        run.step();
        return run;
    }

    private static void assertHalted(PlacementEvent event, long generation, String cluster, String condition) {
        assertThat(event).isInstanceOfSatisfying(RolloutHalted.class, h -> {
            assertThat(h.generation()).isEqualTo(generation);
            assertThat(h.cluster()).isEqualTo(cluster);
            assertThat(h.condition()).isEqualTo(condition);
            assertThat(h.message()).contains(cluster).contains(String.valueOf(generation));
        });
    }

    /** "a | b c | d" -> [[a], [b, c], [d]]. */
    private static List<List<String>> waves(String table) {
        return Arrays.stream(table.split("\\|"))
                .map(w -> List.of(w.trim().split("\\s+")))
                .toList();
    }

    private static Workload workload(long generation, RolloutStrategy strategy) {
        return new Workload("shop", "shop", generation, List.of(), null, strategy, FailoverPolicy.DEFAULT, List.of());
    }

    private static ClusterObservation ready(String cluster, long generation) {
        return new ClusterObservation(cluster, generation, true, null, null);
    }

    private static RolloutRequest withProgress(RolloutRequest r, WorkloadProgress progress) {
        return new RolloutRequest(
                r.workload(), r.decision(), r.previousDecision(), progress, r.observed(), null, r.now());
    }

    /** "a=2 b=3" -> a decision choosing a with 2 replicas and b with 3, costing {@code monthlyCost} in all. */
    private static Decision decision(double monthlyCost, String chosen) {
        List<ChosenCluster> clusters = Arrays.stream(chosen.split("\\s+"))
                .map(c -> c.split("="))
                .map(c -> new ChosenCluster(c[0], c[0], Integer.parseInt(c[1]), 1, 0))
                .toList();
        return new Decision(new PlacementDecision(
                "shop", 1, clusters, List.of(), List.of(), null, List.of(), monthlyCost, T0, null));
    }

    /** A decision with the failover facts a scheduler adds. */
    private record Decision(PlacementDecision d) {

        Decision displacing(String... clusters) {
            return displacing(Cause.CLUSTER_LOST, clusters);
        }

        Decision displacing(Cause cause, String... clusters) {
            List<Displacement> displaced = Arrays.stream(clusters)
                    .map(c -> new Displacement(c, T0, null, List.of(), cause))
                    .toList();
            return new Decision(new PlacementDecision(
                    d.workload(),
                    d.generation(),
                    d.chosen(),
                    d.rejected(),
                    d.unmetSpread(),
                    d.suppressed(),
                    displaced,
                    d.monthlyCost(),
                    d.decidedAt(),
                    d.nextReviewAt()));
        }

        Decision suppressing(FailoverSuppression suppression) {
            return new Decision(new PlacementDecision(
                    d.workload(),
                    d.generation(),
                    d.chosen(),
                    d.rejected(),
                    d.unmetSpread(),
                    suppression,
                    d.displaced(),
                    d.monthlyCost(),
                    d.decidedAt(),
                    d.nextReviewAt()));
        }

        Decision unmet(String... rules) {
            return new Decision(new PlacementDecision(
                    d.workload(),
                    d.generation(),
                    d.chosen(),
                    d.rejected(),
                    List.of(rules),
                    d.suppressed(),
                    d.displaced(),
                    d.monthlyCost(),
                    d.decidedAt(),
                    d.nextReviewAt()));
        }
    }

    /**
     * A workload's life one planner step at a time. Every step is checked to be a fixpoint: the same facts again (a
     * repeated or replayed reconcile) change nothing and announce nothing.
     */
    private final class Run {

        Workload workload;
        PlacementDecision decision;
        PlacementDecision previous;
        WorkloadProgress progress;
        final Map<String, ClusterObservation> observed = new TreeMap<>();
        Instant now = T0;
        Actuation last;

        Run(long generation, RolloutStrategy strategy, Decision decision) {
            this.workload = workload(generation, strategy);
            this.decision = decision.d();
        }

        List<PlacementEvent> step() {
            return step(null);
        }

        List<PlacementEvent> step(RolloutCommand command) {
            RolloutRequest request = new RolloutRequest(workload, decision, previous, progress, observed, command, now);
            last = planner.plan(request);
            Actuation again = planner.plan(withProgress(request, last.next()));
            assertThat(again.next()).as("a repeated step changes nothing").isEqualTo(last.next());
            assertThat(again.events()).as("a repeated step announces nothing").isEmpty();
            assertThat(again.wakeAt()).isEqualTo(last.wakeAt());
            progress = last.next();
            return last.events();
        }

        Run generation(long generation) {
            workload = workload(generation, workload.rollout());
            return this;
        }

        Run decide(Decision next) {
            previous = decision;
            decision = next.d();
            return this;
        }

        /** "90s", "5m", "4m59s", "1h": the time since T0. */
        Run at(String sinceT0) {
            now = T0.plus(Duration.parse("PT" + sinceT0.toUpperCase(java.util.Locale.ROOT)));
            return this;
        }

        Run shows(String cluster, long appliedGeneration, boolean available) {
            return shows(cluster, appliedGeneration, available, null);
        }

        Run shows(String cluster, long appliedGeneration, boolean available, String condition) {
            ClusterObservation before = observed.get(cluster);
            Instant since = available
                    ? null
                    : before != null && before.unavailableSince() != null ? before.unavailableSince() : now;
            observed.put(cluster, new ClusterObservation(cluster, appliedGeneration, available, condition, since));
            return this;
        }

        /** "a:2 b:1": the generation each cluster is told to run. */
        String generations() {
            return progress.assignments().entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue().generation())
                    .collect(Collectors.joining(" "));
        }

        /** "a=2 b=3": the replicas each cluster is told to run. */
        String replicas() {
            return progress.assignments().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue().replicas())
                    .collect(Collectors.joining(" "));
        }
    }
}
