package io.meridian.contracts.resource;

/** The top-level workload that owns an object (e.g. the Deployment of a Pod), resolved through ReplicaSets. */
public record WorkloadRef(String kind, String name) {}
