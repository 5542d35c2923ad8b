package io.meridian.placement.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** What the workload API did: changes by action, and refusals by reason. */
@ApplicationScoped
class WorkloadMeters {

    private final MeterRegistry registry;

    WorkloadMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A workload was created, updated, rolled back or deleted. */
    void changed(String action) {
        Counter.builder("meridian.placement.workload.changes")
                .description("Workload changes through the API that made a new generation or deleted one")
                .tag("action", action)
                .register(registry)
                .increment();
    }

    /** A write was refused: invalid (400), too-large (413) or fleet-admin-required (403). */
    void refused(String reason) {
        Counter.builder("meridian.placement.workload.refusals")
                .description("Workload writes refused by validation, size limits or the prod guard rail")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
