package io.meridian.observability.domain.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.observability.domain.FieldProblem;
import io.meridian.observability.domain.RuleSpec.MatcherSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTreeTest {

    static final Set<String> RECEIVERS = Set.of("default", "pager", "team-db", "audit");

    static RouteSpec route(String receiver, List<MatcherSpec> matchers, List<RouteSpec> children) {
        return new RouteSpec(receiver, matchers, null, null, null, null, null, children);
    }

    static RouteTree tree(RouteSpec spec) {
        RouteTree.Result result = RouteTree.compile(spec, RECEIVERS);
        assertThat(result.problems()).isEmpty();
        return result.tree();
    }

    @Test
    void anAlertGoesToTheFirstMatchingChildAndOnlyThereWithoutContinue() {
        RouteTree tree = tree(route(
                "default",
                List.of(),
                List.of(
                        route("pager", List.of(new MatcherSpec("severity", "=", "critical")), List.of()),
                        route("team-db", List.of(new MatcherSpec("team", "=~", "db|storage")), List.of()))));

        assertThat(receivers(tree, Map.of("severity", "critical", "team", "db")))
                .containsExactly("pager");
        assertThat(receivers(tree, Map.of("severity", "warning", "team", "storage")))
                .containsExactly("team-db");
        assertThat(receivers(tree, Map.of("severity", "warning", "team", "web")))
                .as("no child matches: the root handles it")
                .containsExactly("default");
    }

    @Test
    void continueLetsLaterSiblingsMatchToo() {
        RouteSpec audit = new RouteSpec(
                "audit", List.of(new MatcherSpec("severity", "!=", "info")), true, null, null, null, null, List.of());
        RouteTree tree = tree(route(
                "default",
                List.of(),
                List.of(audit, route("pager", List.of(new MatcherSpec("severity", "=", "critical")), List.of()))));

        assertThat(receivers(tree, Map.of("severity", "critical"))).containsExactly("audit", "pager");
        assertThat(receivers(tree, Map.of("severity", "info"))).containsExactly("default");
    }

    @Test
    void negativeMatchersTreatAMissingLabelAsEmpty() {
        RouteTree tree = tree(route(
                "default",
                List.of(),
                List.of(route("pager", List.of(new MatcherSpec("env", "!~", "dev|test")), List.of()))));

        assertThat(receivers(tree, Map.of("env", "prod"))).containsExactly("pager");
        assertThat(receivers(tree, Map.of())).containsExactly("pager");
        assertThat(receivers(tree, Map.of("env", "dev"))).containsExactly("default");
    }

    @Test
    void childrenInheritReceiverGroupingAndIntervalsFromTheirParent() {
        RouteSpec grandchild = new RouteSpec(
                null, List.of(new MatcherSpec("team", "=", "db")), null, null, null, "1m", null, List.of());
        RouteSpec child = new RouteSpec(
                "pager",
                List.of(new MatcherSpec("severity", "=", "critical")),
                null,
                List.of("cluster"),
                "10s",
                null,
                "1h",
                List.of(grandchild));
        RouteSpec root =
                new RouteSpec("default", List.of(), null, List.of("alertname"), null, null, null, List.of(child));

        RouteTree.Node node =
                tree(root).match(Map.of("severity", "critical", "team", "db")).getFirst();

        assertThat(node.settings())
                .isEqualTo(new RouteTree.Settings(
                        "pager",
                        List.of("cluster"),
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(1),
                        Duration.ofHours(1)));
        assertThat(tree(root).root().settings())
                .isEqualTo(new RouteTree.Settings(
                        "default",
                        List.of("alertname"),
                        RouteTree.DEFAULT_GROUP_WAIT,
                        RouteTree.DEFAULT_GROUP_INTERVAL,
                        RouteTree.DEFAULT_REPEAT_INTERVAL));
    }

    @Test
    void groupKeysCarryTheRoutePathAndTheGroupLabelsAndSiblingsWithEqualMatchersDiffer() {
        RouteSpec same = route("pager", List.of(new MatcherSpec("severity", "=", "critical")), List.of());
        RouteSpec sameContinuing = new RouteSpec(
                "team-db",
                List.of(new MatcherSpec("severity", "=", "critical")),
                true,
                null,
                null,
                null,
                null,
                List.of());
        RouteTree tree = tree(new RouteSpec(
                "default",
                List.of(),
                null,
                List.of("alertname", "cluster"),
                null,
                null,
                null,
                List.of(sameContinuing, same)));
        Map<String, String> labels = Map.of("alertname", "NodeNotReady", "cluster", "c1", "severity", "critical");

        List<String> keys = tree.match(labels).stream()
                .map(n -> RouteTree.groupKey(n, n.settings().groupLabels(labels)))
                .toList();

        assertThat(keys)
                .containsExactly(
                        "{}/{severity=\"critical\"}/0:{alertname=\"NodeNotReady\", cluster=\"c1\"}",
                        "{}/{severity=\"critical\"}/1:{alertname=\"NodeNotReady\", cluster=\"c1\"}");
    }

    @Test
    void groupByEllipsisGroupsByEveryLabelAndMissingLabelsAreLeftOut() {
        RouteTree.Settings all =
                new RouteTree.Settings("x", List.of("..."), Duration.ZERO, Duration.ZERO, Duration.ZERO);
        RouteTree.Settings some =
                new RouteTree.Settings("x", List.of("cluster", "team"), Duration.ZERO, Duration.ZERO, Duration.ZERO);

        assertThat(all.groupLabels(Map.of("a", "1", "b", "2"))).isEqualTo(Map.of("a", "1", "b", "2"));
        assertThat(some.groupLabels(Map.of("cluster", "c1", "a", "1"))).isEqualTo(Map.of("cluster", "c1"));
    }

    @Test
    void invalidTreesNameEveryBadField() {
        RouteSpec badChild = new RouteSpec(
                "nobody",
                List.of(new MatcherSpec("team", "=~", "(a"), new MatcherSpec("1bad", "=", "x")),
                null,
                List.of("cluster", "..."),
                "-5s",
                "0s",
                "soon",
                List.of());
        RouteSpec root = new RouteSpec(
                null, List.of(new MatcherSpec("a", "=", "b")), null, null, null, null, null, List.of(badChild));

        RouteTree.Result result = RouteTree.compile(root, RECEIVERS);

        assertThat(result.valid()).isFalse();
        assertThat(result.problems())
                .extracting(FieldProblem::field)
                .containsExactlyInAnyOrder(
                        "matchers",
                        "receiver",
                        "routes[0].matchers[0].value",
                        "routes[0].matchers[1].label",
                        "routes[0].receiver",
                        "routes[0].groupBy",
                        "routes[0].groupWait",
                        "routes[0].groupInterval",
                        "routes[0].repeatInterval");
    }

    @Test
    void depthIsBounded() {
        RouteSpec deepest = route("pager", List.of(), List.of());
        for (int i = 0; i <= RouteTree.MAX_DEPTH; i++) {
            deepest = route(null, List.of(new MatcherSpec("l" + i, "=", "v")), List.of(deepest));
        }
        RouteSpec root = route("default", List.of(), List.of(deepest));

        assertThat(RouteTree.compile(root, RECEIVERS).problems())
                .extracting(FieldProblem::message)
                .anySatisfy(m -> assertThat(m).contains("nest at most"));
    }

    private static List<String> receivers(RouteTree tree, Map<String, String> labels) {
        return tree.match(labels).stream().map(n -> n.settings().receiver()).toList();
    }
}
