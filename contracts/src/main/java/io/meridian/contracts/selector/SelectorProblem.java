package io.meridian.contracts.selector;

/** One problem of a structured selector: the field it is in (e.g. {@code x.matchExpressions[0].operator}) and why. */
public record SelectorProblem(String field, String message) {}
