package io.meridian.placement.domain;

/** What placement tells one cluster to run of a workload: the workload generation and the replica count. */
public record Assignment(long generation, int replicas) {}
