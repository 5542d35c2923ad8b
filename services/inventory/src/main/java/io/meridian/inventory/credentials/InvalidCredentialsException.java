package io.meridian.inventory.credentials;

import java.util.List;
import java.util.stream.Collectors;

/** Credentials that cannot be used to reach a cluster, with every problem found. */
public final class InvalidCredentialsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<FieldProblem> problems;

    public InvalidCredentialsException(List<FieldProblem> problems) {
        super("invalid cluster credentials: "
                + problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
