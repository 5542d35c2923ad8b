package io.meridian.policy.api;

import io.meridian.policy.domain.CompiledPolicy;
import io.meridian.policy.domain.EnsureKinds;
import io.meridian.policy.domain.FieldProblem;
import io.meridian.policy.domain.PolicyDefinition;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import java.net.URI;
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

    /**
     * Refuses with 403, naming each field, a definition whose ensure objects go beyond the operator allow-list when
     * the caller is not a fleet-admin ({@link EnsureKinds}).
     */
    static void requirePermitted(PolicyDefinition def, boolean fleetAdmin) {
        if (fleetAdmin) {
            return;
        }
        List<Problem.FieldError> errors = EnsureKinds.beyondOperators(def).stream()
                .filter(f -> f.tier() == EnsureKinds.Tier.ADMIN)
                .map(f -> new Problem.FieldError(f.field(), f.reason()))
                .toList();
        if (!errors.isEmpty()) {
            throw new ProblemException(new Problem(
                    URI.create("https://meridian.io/problems/fleet-admin-required"),
                    "Forbidden",
                    403,
                    "Only a fleet-admin may ensure objects beyond the operator allow-list (networking.k8s.io"
                            + " NetworkPolicy, v1 LimitRange, ResourceQuota, ConfigMap): "
                            + String.join(
                                    ", ",
                                    errors.stream()
                                            .map(Problem.FieldError::field)
                                            .toList())
                            + ". Ask a fleet-admin to write this policy, or keep to the allow-list.",
                    null,
                    errors));
        }
    }

    static ProblemException reject(List<FieldProblem> problems) {
        return ProblemException.invalid(problems.stream()
                .map(p -> new Problem.FieldError(p.field(), p.message()))
                .toList());
    }
}
