package io.meridian.identity.domain;

/** One invalid input field and what is wrong with it; the REST layer turns a list of them into a 400. */
public record FieldProblem(String field, String message) {}
