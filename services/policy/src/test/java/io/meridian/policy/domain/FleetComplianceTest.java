package io.meridian.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.contracts.selector.LabelSelector;
import io.meridian.policy.domain.cel.CelEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Continuous audit in memory: only transitions come out, and replaying the same facts yields none. */
class FleetComplianceTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final FleetCompliance fleet = new FleetCompliance(clock);

    static final String NO_PRIVILEGED = "object.spec.containers.all(c, !has(c.securityContext)"
            + " || !has(c.securityContext.privileged) || !c.securityContext.privileged)";

    @Test
    void opensOnceClosesWhenFixedAndAgainWhenDeleted() {
        fleet.cluster(cluster("c1", "prod", Map.of("tier", "gold")));
        fleet.policy(policy("no-privileged", 1, FleetScopes.ALL, null));

        List<FleetCompliance.Transition> first = fleet.observe(pod("c1", "a", "web", true), 1);
        assertThat(first).singleElement().isInstanceOf(FleetCompliance.Opened.class);
        assertThat(first.getFirst().result().message()).isEqualTo("no privileged containers");
        assertThat(fleet.observe(pod("c1", "a", "web", true), 1)).isEmpty();

        assertThat(fleet.observe(pod("c1", "a", "web", false), 1))
                .singleElement()
                .isInstanceOf(FleetCompliance.Closed.class);
        fleet.observe(pod("c1", "a", "web", true), 1);
        List<FleetCompliance.Transition> gone = fleet.forget("c1", "/Pod/a/web");
        assertThat(gone).singleElement().isInstanceOf(FleetCompliance.Closed.class);
        assertThat(gone.getFirst().result().message()).isEqualTo("object deleted");
        assertThat(fleet.openCount()).isZero();
    }

    @Test
    void restoredViolationsAreNotPublishedAgainOnReplay() {
        FleetCompliance before = new FleetCompliance(clock);
        before.cluster(cluster("c1", "prod", Map.of()));
        before.policy(policy("no-privileged", 1, FleetScopes.ALL, null));
        before.observe(pod("c1", "a", "web", true), 1);

        fleet.restoreOpen(before.openResults());
        fleet.cluster(cluster("c1", "prod", Map.of()));
        fleet.policy(policy("no-privileged", 1, FleetScopes.ALL, null));
        assertThat(fleet.observe(pod("c1", "a", "web", true), 1)).isEmpty();
    }

    @Test
    void fleetScopeFollowsClusterLabelsAndPolicyChangesReaudit() {
        fleet.cluster(cluster("c1", "prod", Map.of("tier", "gold")));
        fleet.observe(pod("c1", "a", "web", true), 1);
        var gold = new PolicyDefinition.FleetScope(
                new LabelSelector(Map.of("tier", "gold"), List.of()), List.of(), List.of("prod"));
        assertThat(fleet.policy(policy("no-privileged", 1, gold, null))).hasSize(1);

        // The cluster leaves the scope: its violation closes; it comes back: it opens again.
        assertThat(fleet.cluster(cluster("c1", "prod", Map.of("tier", "bronze"))))
                .singleElement()
                .isInstanceOf(FleetCompliance.Closed.class);
        assertThat(fleet.cluster(cluster("c1", "prod", Map.of("tier", "gold"))))
                .singleElement()
                .isInstanceOf(FleetCompliance.Opened.class);

        // A new generation that allows everything closes it; deleting the policy has nothing left to close.
        assertThat(fleet.policy(policy("no-privileged", 2, gold, "true")))
                .singleElement()
                .isInstanceOf(FleetCompliance.Closed.class);
        assertThat(fleet.policyGone("no-privileged")).isEmpty();
    }

    @Test
    void resyncCompletionForgetsWhatItDidNotConfirm() {
        fleet.cluster(cluster("c1", "prod", Map.of()));
        fleet.policy(policy("no-privileged", 1, FleetScopes.ALL, null));
        fleet.observe(pod("c1", "a", "old", true), 1);
        fleet.observe(pod("c1", "a", "kept", true), 2);
        List<FleetCompliance.Transition> out = fleet.resyncCompleted(completed("c1", 2));
        assertThat(out)
                .singleElement()
                .satisfies(t -> assertThat(t.result().object().name()).isEqualTo("old"));
        assertThat(fleet.objectCount()).isEqualTo(1);
    }

    @Test
    void aResyncThatCouldNotListAKindKeepsItsObjectsAndTheirViolations() {
        fleet.cluster(cluster("c1", "prod", Map.of()));
        fleet.policy(policy("no-privileged", 1, FleetScopes.ALL, null));
        fleet.observe(namespace("c1", "a", Map.of()), 1);
        fleet.observe(pod("c1", "a", "unlisted", true), 1);

        // Pods were forbidden in this relist; the Namespace was listed again.
        fleet.observe(namespace("c1", "a", Map.of()), 2);
        List<FleetCompliance.Transition> out = fleet.resyncCompleted(new ResyncMarker(
                "c1",
                2,
                ResyncMarker.Phase.Completed,
                1,
                Instant.EPOCH,
                List.of(new ResyncMarker.GroupKind("", "Pod"))));

        assertThat(out).isEmpty();
        assertThat(fleet.objectCount()).isEqualTo(2);
        assertThat(fleet.openCount()).isEqualTo(1);
    }

    static ResyncMarker completed(String clusterId, long epoch) {
        return new ResyncMarker(clusterId, epoch, ResyncMarker.Phase.Completed, 0, Instant.EPOCH);
    }

    @Test
    void waiversSilenceExactlyTheirScopeUntilTheyExpire() {
        fleet.cluster(cluster("c1", "prod", Map.of()));
        fleet.policy(policy("no-privileged", 1, FleetScopes.ALL, null));
        fleet.observe(pod("c1", "a", "web", true), 1);
        fleet.observe(pod("c1", "b", "web", true), 1);
        Waiver onlyA = new Waiver(
                "w1",
                "no-privileged",
                "c1",
                "a",
                null,
                null,
                "debugging",
                clock.instant().plus(Duration.ofHours(1)),
                "olga",
                clock.instant());

        List<FleetCompliance.Transition> waived = fleet.waivers(List.of(onlyA));
        assertThat(waived).singleElement().satisfies(t -> {
            assertThat(t).isInstanceOf(FleetCompliance.Closed.class);
            assertThat(t.result().object().namespace()).isEqualTo("a");
            assertThat(t.result().message()).isEqualTo("waived");
        });
        assertThat(fleet.tick()).isEmpty();

        clock.advance(Duration.ofHours(2));
        assertThat(fleet.tick()).singleElement().satisfies(t -> {
            assertThat(t).isInstanceOf(FleetCompliance.Opened.class);
            assertThat(t.result().object().namespace()).isEqualTo("a");
        });
        // The expired waiver, read again from storage, changes nothing and costs no re-audit.
        long evaluations = fleet.evaluations();
        assertThat(fleet.waivers(List.of(onlyA))).isEmpty();
        assertThat(fleet.tick()).isEmpty();
        assertThat(fleet.evaluations()).isEqualTo(evaluations);
    }

    @Test
    void namespaceSelectorsFollowTheNamespaceLabels() {
        fleet.cluster(cluster("c1", "prod", Map.of()));
        var spec = new PolicyDefinition.Spec(
                new PolicyDefinition.MatchResources(
                        List.of(new PolicyDefinition.ResourceRule(
                                List.of(""), List.of("v1"), List.of("pods"), List.of("CREATE"))),
                        List.of(),
                        new LabelSelector(Map.of("env", "prod"), List.of()),
                        null),
                List.of(),
                List.of(),
                List.of(new PolicyDefinition.Validation(NO_PRIVILEGED, null, null, null)),
                null);
        fleet.policy(compile(new PolicyDefinition("ns-scoped", null, null, null, List.of(), null, spec, null), 1));
        fleet.observe(namespace("c1", "shop", Map.of("env", "dev")), 1);
        assertThat(fleet.observe(pod("c1", "shop", "web", true), 1)).isEmpty();
        List<FleetCompliance.Transition> relabelled = fleet.observe(namespace("c1", "shop", Map.of("env", "prod")), 1);
        assertThat(relabelled)
                .singleElement()
                .satisfies(t -> assertThat(t.result().message()).isEqualTo("failed expression: " + NO_PRIVILEGED));
    }

    // ------------------------------------------------------------------ fixtures

    static final class FleetScopes {
        static final PolicyDefinition.FleetScope ALL = PolicyDefinition.FleetScope.EVERYWHERE;
    }

    static CompiledPolicy policy(String name, long generation, PolicyDefinition.FleetScope scope, String rule) {
        var spec = new PolicyDefinition.Spec(
                new PolicyDefinition.MatchResources(
                        List.of(new PolicyDefinition.ResourceRule(
                                List.of(""), List.of("v1"), List.of("pods"), List.of("CREATE", "UPDATE"))),
                        null,
                        null,
                        null),
                null,
                null,
                List.of(new PolicyDefinition.Validation(
                        rule == null ? NO_PRIVILEGED : rule, "no privileged containers", null, null)),
                null);
        return compile(
                new PolicyDefinition(
                        name, null, ComplianceResult.Severity.HIGH, null, List.of("security"), scope, spec, null),
                generation);
    }

    static CompiledPolicy compile(PolicyDefinition def, long generation) {
        return switch (CompiledPolicy.compile(def, generation)) {
            case CompiledPolicy.Ok ok -> ok.policy();
            case CompiledPolicy.Invalid invalid -> throw new AssertionError(invalid.problems());
        };
    }

    static FleetCluster cluster(String id, String env, Map<String, String> labels) {
        return FleetCluster.of(id, "aws", null, env, labels);
    }

    @SuppressWarnings("unchecked")
    static FleetObject pod(String cluster, String ns, String name, boolean privileged) {
        Map<String, Object> manifest = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Pod",
                "metadata",
                Map.of("name", name, "namespace", ns),
                "spec",
                Map.of(
                        "containers",
                        List.of(Map.of(
                                "name", "main", "image", "x:1", "securityContext", Map.of("privileged", privileged)))));
        return new FleetObject(
                cluster, "", "v1", "Pod", ns, name, Map.of(), (Map<String, Object>) CelEnvironment.toCel(manifest));
    }

    @SuppressWarnings("unchecked")
    static FleetObject namespace(String cluster, String name, Map<String, String> labels) {
        Map<String, Object> manifest =
                Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", name, "labels", labels));
        return new FleetObject(cluster, "", "v1", "Namespace", null, name, labels, (Map<String, Object>)
                CelEnvironment.toCel(manifest));
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
