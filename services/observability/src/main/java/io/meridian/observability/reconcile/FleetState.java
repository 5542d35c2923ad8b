package io.meridian.observability.reconcile;

import io.meridian.observability.config.ObservabilityConfig;
import io.meridian.observability.domain.BuiltInRules;
import io.meridian.observability.domain.FleetSignals;
import io.meridian.observability.domain.FleetView;
import io.meridian.observability.domain.HealthAssessor;
import io.meridian.observability.domain.RuleEvaluator;
import io.meridian.observability.domain.SeriesStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Produces the replica's in-memory fleet state (fed by the consumers) and the pure logic built on it. */
@jakarta.enterprise.context.Dependent
public class FleetState {

    @Produces
    @Singleton
    FleetView fleetView() {
        return new FleetView();
    }

    @Produces
    @Singleton
    SeriesStore seriesStore(ObservabilityConfig config, MeterRegistry registry) {
        SeriesStore store = new SeriesStore(
                config.series().maxSeries(), config.series().window().toMillis());
        Gauge.builder("meridian.observability.series", store, SeriesStore::size)
                .description("Series held in memory")
                .register(registry);
        Gauge.builder("meridian.observability.series.dropped", store, SeriesStore::dropped)
                .description("New series refused since start because the series cap was reached")
                .register(registry);
        return store;
    }

    @Produces
    @Singleton
    FleetSignals fleetSignals(FleetView fleet, SeriesStore store, ObservabilityConfig config) {
        return new FleetSignals(
                fleet,
                store,
                new FleetSignals.Settings(
                        config.series().staleness(),
                        config.alerts().crashLoopWindow(),
                        config.alerts().budgetEventTtl()));
    }

    @Produces
    @Singleton
    RuleEvaluator ruleEvaluator(FleetSignals signals) {
        return new RuleEvaluator(signals);
    }

    @Produces
    @Singleton
    HealthAssessor healthAssessor(FleetView fleet, FleetSignals signals, ObservabilityConfig config) {
        double cpu = config.alerts().highCpuThreshold();
        double memory = config.alerts().highMemoryThreshold();
        return new HealthAssessor(
                fleet,
                signals,
                new HealthAssessor.Thresholds(
                        Math.min(cpu, memory),
                        Math.max(0.95, Math.max(cpu, memory)),
                        config.alerts().crashLoopRestarts()));
    }

    @Produces
    @Singleton
    BuiltInRules.Settings builtInRules(ObservabilityConfig config) {
        var a = config.alerts();
        return new BuiltInRules.Settings(
                a.clusterUnreachableFor(),
                a.nodeNotReadyFor(),
                a.highCpuThreshold(),
                a.highCpuFor(),
                a.highMemoryThreshold(),
                a.highMemoryFor(),
                a.crashLoopRestarts(),
                a.crashLoopFor(),
                a.policyViolationsThreshold(),
                a.syncFailedFor());
    }
}
