package io.meridian.placement.api;

import io.meridian.placement.domain.FieldProblem;
import io.meridian.servicekit.Problem;
import java.util.List;

/** The domain's field problems as the problem document names them: the one place the two shapes meet. */
final class FieldProblems {

    private FieldProblems() {}

    static List<Problem.FieldError> errors(List<FieldProblem> problems) {
        return problems.stream()
                .map(p -> new Problem.FieldError(p.field(), p.message()))
                .toList();
    }
}
