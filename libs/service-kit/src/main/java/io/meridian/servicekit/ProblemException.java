package io.meridian.servicekit;

import java.util.List;

/** Thrown by services for an answer the client can act on; mapped to a problem document. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(
                Problem.invalid(field + ": " + message, List.of(new Problem.FieldError(field, message))));
    }

    /** A 400 naming every invalid field; the detail lists them all. */
    public static ProblemException invalid(List<Problem.FieldError> errors) {
        String detail = String.join(
                "; ", errors.stream().map(e -> e.field() + " " + e.message()).toList());
        return new ProblemException(Problem.invalid(detail, errors));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of(404, "Not found", what + " does not exist"));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "Conflict", detail));
    }
}
