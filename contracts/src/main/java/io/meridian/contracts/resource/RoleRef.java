package io.meridian.contracts.resource;

/** The Role or ClusterRole a binding grants. */
public record RoleRef(String kind, String name) {}
