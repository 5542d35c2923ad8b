package io.meridian.inventory.registry;

/** One invalid input field, named the way the REST API spells it, and what is wrong with it. */
public record FieldProblem(String field, String message) {}
