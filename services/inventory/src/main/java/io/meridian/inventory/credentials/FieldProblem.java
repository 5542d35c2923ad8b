package io.meridian.inventory.credentials;

import java.io.Serializable;
import java.util.Objects;

/** One reason submitted credentials were refused, naming the field as the API knows it; never quotes a secret. */
public record FieldProblem(String field, String message) implements Serializable {

    public FieldProblem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
