package io.meridian.observability.api;

import io.meridian.observability.domain.FieldProblem;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Turns field problems into one 400 problem document naming every field. */
final class Invalid {

    private Invalid() {}

    static void reject(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems.stream()
                    .map(p -> new Problem.FieldError(p.field(), p.message()))
                    .toList());
        }
    }

    static Instant instant(String field, String value, List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem(field, "must be an RFC 3339 instant such as 2026-11-25T10:00:00Z"));
            return null;
        }
    }

    static void limit(int limit, int max, List<FieldProblem> problems) {
        if (limit < 1 || limit > max) {
            problems.add(new FieldProblem("limit", "must be between 1 and " + max));
        }
    }
}
