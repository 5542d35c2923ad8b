package io.meridian.placement.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.placement.domain.PlacementScheduler;
import org.junit.jupiter.api.Test;

/** Keeps the benchmark's scenario honest on a small fleet, so that a change to the domain cannot quietly break it. */
class ReplanBenchmarkTest {

    @Test
    void theLostClusterIsLeftByEveryWorkloadOnItAndNoOtherMoves() {
        ReplanBenchmark.Scenario scenario = ReplanBenchmark.Scenario.build(200, 20, 42);

        ReplanBenchmark.Replan replan = ReplanBenchmark.replan(new PlacementScheduler(), scenario);

        assertThat(scenario.affected()).isGreaterThan(20);
        assertThat(replan.moved() + replan.suppressed()).isEqualTo(scenario.affected());
        assertThat(replan.moved()).isPositive();
        // A divided workload may re-split over the same clusters; every other one keeps its exact decision.
        assertThat(replan.unchanged()).isGreaterThan((200 - scenario.affected()) * 9 / 10);
    }

    @Test
    void theSameParametersGiveTheSameScenario() {
        ReplanBenchmark.Scenario first = ReplanBenchmark.Scenario.build(50, 12, 7);
        ReplanBenchmark.Scenario second = ReplanBenchmark.Scenario.build(50, 12, 7);

        assertThat(second.lost()).isEqualTo(first.lost());
        assertThat(second.before()).isEqualTo(first.before());
    }
}
