package io.meridian.policy.api;

import io.meridian.policy.domain.CompiledPolicy;
import io.meridian.policy.domain.FieldProblem;
import io.meridian.policy.domain.PolicyDefinition;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import java.util.List;

/** Rejects a definition that does not check or compile, with a 400 naming each field (and CEL position). */
final class PolicyValidation {

    private PolicyValidation() {}

    static void requireValid(PolicyDefinition def) {
        if (def == null) {
            throw new ProblemException(Problem.invalid("A policy body is required", List.of()));
        }
        if (CompiledPolicy.compile(def, 0) instanceof CompiledPolicy.Invalid invalid) {
            throw reject(invalid.problems());
        }
    }

    static ProblemException reject(List<FieldProblem> problems) {
        return ProblemException.invalid(problems.stream()
                .map(p -> new Problem.FieldError(p.field(), p.message()))
                .toList());
    }
}
