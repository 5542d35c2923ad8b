package io.meridian.identity.api;

import io.meridian.identity.domain.FieldProblem;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import java.util.List;

/** Shared edges of the REST resources. */
final class Callers {

    private Callers() {}

    static void reject(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems.stream()
                    .map(p -> new Problem.FieldError(p.field(), p.message()))
                    .toList());
        }
    }

    static ProblemException invalidSubject(io.meridian.identity.domain.Subject subject) {
        return ProblemException.invalid(
                "subject.name", "no " + subject.kind().wireName() + " '" + subject.name() + "' exists in Keycloak");
    }

    static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "Forbidden", detail));
    }
}
