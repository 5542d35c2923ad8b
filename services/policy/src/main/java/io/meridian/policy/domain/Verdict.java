package io.meridian.policy.domain;

/** The outcome of one policy on one object. */
public sealed interface Verdict {

    /** The policy does not look at this object (rules, selectors or match conditions say so). */
    record NotApplicable() implements Verdict {}

    /** Every validation holds. */
    record Compliant() implements Verdict {}

    /** A validation failed (or could not be evaluated under failurePolicy Fail); the first failure's message. */
    record Violation(String message, String reason) implements Verdict {}

    /**
     * The outcome depends on something only admission knows (an {@code authorizer} decision): neither compliant nor
     * a violation in audit; the reason says why.
     */
    record NotEvaluable(String reason) implements Verdict {}

    NotApplicable NOT_APPLICABLE = new NotApplicable();
    Compliant COMPLIANT = new Compliant();
}
