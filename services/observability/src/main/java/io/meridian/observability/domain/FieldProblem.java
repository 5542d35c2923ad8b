package io.meridian.observability.domain;

/** One invalid input field and what is wrong with it. */
public record FieldProblem(String field, String message) {}
