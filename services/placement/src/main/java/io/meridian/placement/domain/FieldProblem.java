package io.meridian.placement.domain;

/** One thing wrong with a workload: the field as the API spells it ({@code manifests[2].kind}) and why. */
public record FieldProblem(String field, String message) {}
