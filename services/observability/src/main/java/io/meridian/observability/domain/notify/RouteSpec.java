package io.meridian.observability.domain.notify;

import io.meridian.observability.domain.RuleSpec;
import java.util.List;

/**
 * A route as an operator writes it, Alertmanager's shape: a null receiver, group_by or interval is inherited from
 * the parent; {@code groupBy} {@code ["..."]} groups by every label.
 */
public record RouteSpec(
        String receiver,
        List<RuleSpec.MatcherSpec> matchers,
        Boolean continueMatching,
        List<String> groupBy,
        String groupWait,
        String groupInterval,
        String repeatInterval,
        List<RouteSpec> routes) {

    public RouteSpec {
        matchers = matchers == null ? List.of() : List.copyOf(matchers);
        routes = routes == null ? List.of() : List.copyOf(routes);
        groupBy = groupBy == null ? null : List.copyOf(groupBy);
    }
}
