package io.meridian.contracts.resource;

/** Who a binding grants to: a User, Group or ServiceAccount; {@code namespace} only for service accounts. */
public record Subject(String kind, String name, String namespace) {}
