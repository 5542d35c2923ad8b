package io.meridian.observability.domain.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.alert.AlertEvent.State;
import io.meridian.observability.domain.InhibitionRule;
import io.meridian.observability.domain.LabelMatcher;
import io.meridian.observability.domain.RuleSpec.MatcherSpec;
import io.meridian.observability.domain.Silence;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NotificationPlannerTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** Groups by alertname and cluster; wait 30s, interval 5m, repeat 4h; critical alerts also page. */
    static final RouteTree TREE = RouteTree.compile(
                    new RouteSpec(
                            "hook",
                            List.of(),
                            null,
                            List.of("alertname", "cluster"),
                            "30s",
                            "5m",
                            "4h",
                            List.of(new RouteSpec(
                                    "pager",
                                    List.of(new MatcherSpec("severity", "=", "critical")),
                                    null,
                                    null,
                                    "0s",
                                    null,
                                    null,
                                    List.of()))),
                    Set.of("hook", "pager"))
            .tree();

    final Map<String, Receiver> receivers = new HashMap<>(Map.of(
            "hook", new Receiver.Webhook("hook", URI.create("https://hook.example.com/"), true, 0),
            "pager", new Receiver.PagerDuty("pager", "0123456789abcdef0123456789abcdef", null, true)));

    Map<String, GroupState> groups = Map.of();
    List<Silence> silences = new ArrayList<>();
    List<InhibitionRule> inhibitions = new ArrayList<>();

    static NotifiableAlert firing(String fp, String cluster, String severity) {
        return new NotifiableAlert(
                fp,
                State.FIRING,
                Map.of("alertname", "NodeNotReady", "cluster", cluster, "severity", severity),
                Map.of("summary", "node down in " + cluster),
                T0,
                null);
    }

    static NotifiableAlert resolved(NotifiableAlert a, Instant at) {
        return new NotifiableAlert(a.fingerprint(), State.RESOLVED, a.labels(), a.annotations(), a.startsAt(), at);
    }

    List<Notification> tick(Instant now, NotifiableAlert... alerts) {
        NotificationPlanner.Plan plan =
                NotificationPlanner.plan(now, TREE, receivers, List.of(alerts), silences, inhibitions, groups);
        groups = plan.groups();
        return plan.notifications();
    }

    @Test
    void aNewGroupWaitsGroupWaitThenNotifiesOnce() {
        NotifiableAlert a = firing("a", "c1", "warning");

        assertThat(tick(T0, a)).isEmpty();
        assertThat(tick(T0.plusSeconds(29), a)).isEmpty();
        List<Notification> sent = tick(T0.plusSeconds(30), a);
        assertThat(tick(T0.plusSeconds(31), a)).as("nothing changed").isEmpty();

        assertThat(sent).singleElement().satisfies(n -> {
            assertThat(n.receiver()).isEqualTo("hook");
            assertThat(n.status()).isEqualTo(Notification.Status.FIRING);
            assertThat(n.groupLabels()).isEqualTo(Map.of("alertname", "NodeNotReady", "cluster", "c1"));
            assertThat(n.fingerprints()).containsExactly("a");
        });
    }

    @Test
    void alertsJoiningAGroupAreBatchedUntilGroupInterval() {
        NotifiableAlert a = firing("a", "c1", "warning");
        NotifiableAlert b = new NotifiableAlert(
                "b",
                State.FIRING,
                Map.of("alertname", "NodeNotReady", "cluster", "c1", "node", "n2"),
                Map.of(),
                T0,
                null);
        tick(T0, a);
        tick(T0.plusSeconds(30), a);

        assertThat(tick(T0.plusSeconds(60), a, b)).as("within group_interval").isEmpty();
        List<Notification> update = tick(T0.plusSeconds(30).plus(Duration.ofMinutes(5)), a, b);

        assertThat(update)
                .singleElement()
                .satisfies(n -> assertThat(n.fingerprints()).containsExactly("a", "b"));
    }

    @Test
    void anUnchangedGroupRepeatsAfterRepeatIntervalWithANewDedupKey() {
        NotifiableAlert a = firing("a", "c1", "warning");
        tick(T0, a);
        Notification first = tick(T0.plusSeconds(30), a).getFirst();

        assertThat(tick(T0.plusSeconds(30).plus(Duration.ofHours(3)), a)).isEmpty();
        List<Notification> repeat = tick(T0.plusSeconds(30).plus(Duration.ofHours(4)), a);

        assertThat(repeat).singleElement().satisfies(n -> {
            assertThat(n.repeat()).isEqualTo(1);
            assertThat(n.alertSetHash()).isEqualTo(first.alertSetHash());
            assertThat(n.dedupKey()).isNotEqualTo(first.dedupKey());
        });
    }

    @Test
    void whenEveryAlertResolvesAResolvedNotificationEndsTheGroup() {
        NotifiableAlert a = firing("a", "c1", "warning");
        tick(T0, a);
        tick(T0.plusSeconds(30), a);
        NotifiableAlert gone = resolved(a, T0.plusSeconds(60));

        assertThat(tick(T0.plusSeconds(60), gone)).as("within group_interval").isEmpty();
        List<Notification> sent = tick(T0.plusSeconds(30).plus(Duration.ofMinutes(5)), gone);

        assertThat(sent).singleElement().satisfies(n -> {
            assertThat(n.status()).isEqualTo(Notification.Status.RESOLVED);
            assertThat(n.alerts())
                    .singleElement()
                    .satisfies(r -> assertThat(r.endsAt()).isEqualTo(T0.plusSeconds(60)));
        });
        assertThat(groups).isEmpty();
        assertThat(tick(T0.plus(Duration.ofHours(1)), gone)).as("resolved once").isEmpty();
    }

    @Test
    void anAlertThatResolvesBeforeGroupWaitIsNeverNotified() {
        NotifiableAlert a = firing("a", "c1", "warning");
        tick(T0, a);

        assertThat(tick(T0.plusSeconds(30), resolved(a, T0.plusSeconds(10)))).isEmpty();
        assertThat(groups).isEmpty();
    }

    @Test
    void aReceiverWithoutSendResolvedHearsNothingWhenItsAlertsResolve() {
        receivers.put("hook", new Receiver.Webhook("hook", URI.create("https://hook.example.com/"), false, 0));
        NotifiableAlert a = firing("a", "c1", "warning");
        NotifiableAlert b = new NotifiableAlert(
                "b",
                State.FIRING,
                Map.of("alertname", "NodeNotReady", "cluster", "c1", "node", "n2"),
                Map.of(),
                T0,
                null);
        tick(T0, a, b);
        tick(T0.plusSeconds(30), a, b);

        assertThat(tick(T0.plus(Duration.ofMinutes(10)), a, resolved(b, T0.plusSeconds(40))))
                .isEmpty();
        assertThat(tick(
                        T0.plus(Duration.ofMinutes(20)),
                        resolved(a, T0.plusSeconds(50)),
                        resolved(b, T0.plusSeconds(40))))
                .isEmpty();
    }

    @Test
    void aCriticalAlertGoesToThePagerAtOnceAndOnlyThere() {
        NotifiableAlert a = firing("a", "c1", "critical");

        List<Notification> sent = tick(T0, a);

        assertThat(sent).extracting(Notification::receiver).containsExactly("pager");
    }

    @Test
    void silencedAndInhibitedAlertsAreLeftOut() {
        NotifiableAlert a = firing("a", "c1", "warning");
        NotifiableAlert b = firing("b", "c2", "warning");
        NotifiableAlert unreachable = new NotifiableAlert(
                "u", State.FIRING, Map.of("alertname", "ClusterUnreachable", "cluster", "c2"), Map.of(), T0, null);
        silences.add(new Silence(
                "s1",
                List.of(LabelMatcher.of("cluster", LabelMatcher.Op.EQ, "c1")),
                T0.minusSeconds(1),
                T0.plus(Duration.ofHours(1)),
                "alice",
                null,
                T0));
        inhibitions.add(new InhibitionRule(
                "unreachable",
                List.of(LabelMatcher.of("alertname", LabelMatcher.Op.EQ, "ClusterUnreachable")),
                List.of(LabelMatcher.of("alertname", LabelMatcher.Op.EQ, "NodeNotReady")),
                List.of("cluster")));

        tick(T0, a, b, unreachable);
        List<Notification> sent = tick(T0.plusSeconds(30), a, b, unreachable);

        assertThat(sent)
                .singleElement()
                .satisfies(n -> assertThat(n.fingerprints()).containsExactly("u"));
    }

    @Test
    void planningFromTheSameStoredStateTwiceGivesTheSameDedupKeys() {
        NotifiableAlert a = firing("a", "c1", "warning");
        tick(T0, a);
        Map<String, GroupState> before = groups;

        String once = tick(T0.plusSeconds(30), a).getFirst().dedupKey();
        groups = before;
        String twice = tick(T0.plusSeconds(31), a).getFirst().dedupKey();

        assertThat(twice).isEqualTo(once);
    }

    @Test
    void theSameAlertFiringAgainInALaterEpisodeIsANewNotification() {
        NotifiableAlert a = firing("a", "c1", "warning");
        tick(T0, a);
        String first = tick(T0.plusSeconds(30), a).getFirst().dedupKey();
        tick(T0.plus(Duration.ofMinutes(6)), resolved(a, T0.plus(Duration.ofMinutes(1))));
        NotifiableAlert again = new NotifiableAlert(
                "a", State.FIRING, a.labels(), a.annotations(), T0.plus(Duration.ofMinutes(7)), null);

        tick(T0.plus(Duration.ofMinutes(7)), again);
        List<Notification> second = tick(T0.plus(Duration.ofMinutes(8)), again);

        assertThat(second)
                .singleElement()
                .satisfies(n -> assertThat(n.dedupKey()).isNotEqualTo(first));
    }

    @Test
    void aDeletedReceiverForgetsItsGroups() {
        NotifiableAlert a = firing("a", "c1", "warning");
        tick(T0, a);
        receivers.remove("hook");

        assertThat(tick(T0.plusSeconds(30), a)).isEmpty();
        assertThat(groups).isEmpty();
    }
}
