package io.meridian.policy.domain;

/** One invalid field of a policy or waiver, by its path ({@code spec.validations[0].expression}). */
public record FieldProblem(String field, String message) {}
