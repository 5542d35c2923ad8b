package io.meridian.cost.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/** Budget scopes: {@code label:<key>=<value>} (a team's workloads), {@code cluster:<name>}, {@code cloud:<name>}. */
public final class BudgetScopes {

    private static final Pattern SCOPE = Pattern.compile(
            "(label:[A-Za-z0-9./_-]+=[A-Za-z0-9._-]*|cluster:[a-z0-9.-]+|cloud:(aws|azure|gcp|onprem|other))");

    private BudgetScopes() {}

    /** The problem with a scope, if it is not one. */
    public static Optional<String> problem(String scope) {
        if (scope == null || !SCOPE.matcher(scope).matches()) {
            return Optional.of("must be label:<key>=<value>, cluster:<name> or cloud:<aws|azure|gcp|onprem|other>");
        }
        return Optional.empty();
    }

    /** Whether an allocation counts against a scope: a cluster or cloud owns its idle cost, a label does not. */
    public static boolean contains(String scope, Allocation a) {
        int colon = scope.indexOf(':');
        String kind = scope.substring(0, colon);
        String value = scope.substring(colon + 1);
        return switch (kind) {
            case "cluster" -> a.cluster().equals(value);
            case "cloud" -> a.cloud().equals(value);
            default -> {
                int eq = value.indexOf('=');
                yield !a.idle() && value.substring(eq + 1).equals(a.labels().get(value.substring(0, eq)));
            }
        };
    }
}
