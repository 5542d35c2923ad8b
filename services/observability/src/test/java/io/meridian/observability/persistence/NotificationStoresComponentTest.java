package io.meridian.observability.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.alert.AlertEvent;
import io.meridian.observability.domain.RuleSpec;
import io.meridian.observability.domain.notify.GroupState;
import io.meridian.observability.domain.notify.NotifiableAlert;
import io.meridian.observability.domain.notify.Notification;
import io.meridian.observability.domain.notify.Receiver;
import io.meridian.observability.domain.notify.RouteSpec;
import io.meridian.servicekit.ProblemException;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * Receivers, routes, alert state, group state and the delivery queue against the real database: secrets only
 * sealed, a notification stored once per dedup key, failures deferred. Names are this test's own.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "observability"))
@WithTestResource(OidcWiremockTestResource.class)
class NotificationStoresComponentTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Inject
    ReceiverStore receivers;

    @Inject
    NotificationStore notifications;

    @Inject
    Mutiny.SessionFactory sessions;

    @Test
    void aReceiverSecretIsStoredOnlySealedAndAnUpdateWithoutItKeepsIt() {
        String name = "store-hook-" + UUID.randomUUID().toString().substring(0, 8);
        URI url = URI.create("https://hooks.example.com/services/T0/B0/SECRETTOKEN");

        boolean created = tx(s -> receivers.put(s, new Receiver.Webhook(name, url, true, 0), "olga"));
        assertThat(created).isTrue();
        Object[] row = tx(s -> s.createNativeQuery(
                        "SELECT config, secret FROM notification_receiver WHERE name = :n", Object[].class)
                .setParameter("n", name)
                .getSingleResult());
        assertThat((String) row[0]).doesNotContain("SECRETTOKEN").contains(name);
        assertThat((String) row[1]).startsWith("v1:test:").doesNotContain("SECRETTOKEN");
        assertThat(this.<Optional<Receiver>>tx(s -> receivers.get(s, name)))
                .contains(new Receiver.Webhook(name, url, true, 0));

        // An update that leaves the secret out keeps the stored one and changes the rest.
        boolean again = tx(s -> receivers.put(s, new Receiver.Webhook(name, null, false, 5), "olga"));
        assertThat(again).isFalse();
        assertThat(this.<Optional<Receiver>>tx(s -> receivers.get(s, name)))
                .contains(new Receiver.Webhook(name, url, false, 5));
        assertThat(this.<List<Receiver>>tx(s -> receivers.all(s))).contains(new Receiver.Webhook(name, url, false, 5));

        // Another kind cannot inherit the webhook's URL as its secret.
        assertThatThrownBy(() -> tx(s -> receivers.put(s, new Receiver.PagerDuty(name, null, null, true), "olga")))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("routingKey");
        assertThat(this.<Optional<Receiver>>tx(s -> receivers.get(s, name)))
                .contains(new Receiver.Webhook(name, url, false, 5));

        assertThat(this.<Boolean>tx(s -> receivers.delete(s, name))).isTrue();
        assertThat(this.<Optional<Receiver>>tx(s -> receivers.get(s, name))).isEmpty();
        assertThat(this.<Boolean>tx(s -> receivers.delete(s, name))).isFalse();
    }

    @Test
    void everyKindComesBackWithItsSecret() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<Receiver> all = List.of(
                new Receiver.Slack(
                        "store-slack-" + suffix, URI.create("https://hooks.slack.com/x/SECRET"), "#ops", true),
                new Receiver.PagerDuty("store-pd-" + suffix, "0123456789abcdef0123456789abcdef", null, true),
                new Receiver.Email(
                        "store-mail-" + suffix,
                        List.of("ops@example.com"),
                        "meridian@example.com",
                        "smtp.example.com",
                        587,
                        "meridian",
                        "SMTP-PASSWORD",
                        true,
                        false));
        for (Receiver r : all) {
            tx(s -> receivers.put(s, r, "olga"));
            assertThat(this.<Optional<Receiver>>tx(s -> receivers.get(s, r.name())))
                    .contains(r);
        }
    }

    @Test
    void theRouteTreeIsOneRowReplacedWhole() {
        RouteSpec first = new RouteSpec("a", List.of(), null, List.of("alertname"), "1s", "5m", "4h", List.of());
        RouteSpec second = new RouteSpec(
                "b",
                List.of(),
                null,
                null,
                null,
                null,
                null,
                List.of(new RouteSpec(
                        "a",
                        List.of(new RuleSpec.MatcherSpec("severity", "=", "critical")),
                        true,
                        null,
                        null,
                        null,
                        null,
                        List.of())));
        tx(s -> receivers.putRoute(s, first, "olga"));
        assertThat(this.<Optional<RouteSpec>>tx(s -> receivers.route(s))).contains(first);
        tx(s -> receivers.putRoute(s, second, "olga"));
        assertThat(this.<Optional<RouteSpec>>tx(s -> receivers.route(s))).contains(second);
    }

    @Test
    void aNotificationIsQueuedOncePerDedupKeyAndAFailureWaitsItsBackOff() {
        String receiver = "store-queue-" + UUID.randomUUID().toString().substring(0, 8);
        NotifiableAlert alert = new NotifiableAlert(
                "fp-" + receiver,
                AlertEvent.State.FIRING,
                Map.of("alertname", "ClusterDown", "cluster", "aws-1"),
                Map.of(),
                T0,
                null);
        Notification n = new Notification(
                receiver,
                "{}:{alertname=\"ClusterDown\"}",
                Map.of("alertname", "ClusterDown"),
                Notification.Status.FIRING,
                List.of(alert),
                0,
                T0);

        assertThat(this.<Boolean>tx(s -> notifications.enqueue(s, n))).isTrue();
        // Planned again (a replay, a second replica): nothing more is stored.
        assertThat(this.<Boolean>tx(s -> notifications.enqueue(s, n))).isFalse();
        long rows = tx(
                s -> s.createNativeQuery("SELECT count(*) FROM notification_delivery WHERE receiver = :r", Long.class)
                        .setParameter("r", receiver)
                        .getSingleResult());
        assertThat(rows).isEqualTo(1);

        NotificationStore.Delivery due = dueFor(receiver).orElseThrow();
        assertThat(due.notification()).isEqualTo(n);
        assertThat(due.status()).isEqualTo(NotificationStore.Status.PENDING);

        Instant later = Instant.now().plusSeconds(3600);
        tx(s -> notifications
                .attemptFailed(s, n.dedupKey(), "receiver " + receiver + " answered HTTP 500", later)
                .replaceWith(true));
        assertThat(dueFor(receiver)).isEmpty();
        NotificationStore.Delivery waiting =
                tx(s -> notifications.delivery(s, n.dedupKey())).orElseThrow();
        assertThat(waiting.status()).isEqualTo(NotificationStore.Status.PENDING);
        assertThat(waiting.attempts()).isEqualTo(1);
        assertThat(waiting.lastError()).contains("HTTP 500");

        tx(s -> notifications.delivered(s, n.dedupKey()).replaceWith(true));
        NotificationStore.Delivery done =
                tx(s -> notifications.delivery(s, n.dedupKey())).orElseThrow();
        assertThat(done.status()).isEqualTo(NotificationStore.Status.DELIVERED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.lastError()).isNull();

        long linked = tx(s -> s.createNativeQuery(
                        "SELECT count(*) FROM notification_delivery_alert WHERE fingerprint = :fp", Long.class)
                .setParameter("fp", alert.fingerprint())
                .getSingleResult());
        assertThat(linked).isEqualTo(1);
    }

    @Test
    void aFailureThatCannotSucceedEndsAsFailed() {
        String receiver = "store-fail-" + UUID.randomUUID().toString().substring(0, 8);
        Notification n = new Notification(
                receiver,
                "{}:{}",
                Map.of(),
                Notification.Status.FIRING,
                List.of(new NotifiableAlert("fp-" + receiver, AlertEvent.State.FIRING, Map.of(), Map.of(), T0, null)),
                0,
                T0);
        tx(s -> notifications.enqueue(s, n));
        tx(s -> notifications
                .attemptFailed(s, n.dedupKey(), "answered HTTP 404", null)
                .replaceWith(true));
        assertThat(this.<Optional<NotificationStore.Delivery>>tx(s -> notifications.delivery(s, n.dedupKey()))
                        .orElseThrow()
                        .status())
                .isEqualTo(NotificationStore.Status.FAILED);
        assertThat(dueFor(receiver)).isEmpty();
    }

    @Test
    void groupStateIsReplacedWholeAndAnOlderAnnouncementChangesNoAlert() {
        GroupState group = new GroupState(
                "{}:{cluster=\"aws-1\"}",
                "store-group",
                Map.of("cluster", "aws-1"),
                T0,
                T0.plusSeconds(30),
                Set.of("fp-1", "fp-2"),
                2);
        tx(s -> notifications.replaceGroups(s, Map.of(group.groupKey(), group)).replaceWith(true));
        assertThat(this.<Map<String, GroupState>>tx(s -> notifications.groups(s)))
                .containsExactly(Map.entry(group.groupKey(), group));
        tx(s -> notifications.replaceGroups(s, Map.of()).replaceWith(true));
        assertThat(this.<Map<String, GroupState>>tx(s -> notifications.groups(s)))
                .isEmpty();

        String fp = "store-alert-" + UUID.randomUUID();
        NotifiableAlert resolved =
                new NotifiableAlert(fp, AlertEvent.State.RESOLVED, Map.of("a", "1"), Map.of(), T0, T0.plusSeconds(60));
        NotifiableAlert firing = new NotifiableAlert(fp, AlertEvent.State.FIRING, Map.of("a", "1"), Map.of(), T0, null);
        assertThat(this.<Boolean>tx(s -> notifications.recordAlert(s, resolved, T0.plusSeconds(60))))
                .isTrue();
        // The firing announcement came earlier: replayed now, it must not revive the alert.
        assertThat(this.<Boolean>tx(s -> notifications.recordAlert(s, firing, T0)))
                .isFalse();
        assertThat(this.<List<NotifiableAlert>>tx(s -> notifications.alerts(s)))
                .filteredOn(a -> a.fingerprint().equals(fp))
                .containsExactly(resolved);
        NotifiableAlert pending = new NotifiableAlert(fp, AlertEvent.State.PENDING, Map.of(), Map.of(), T0, null);
        assertThat(this.<Boolean>tx(s -> notifications.recordAlert(s, pending, T0.plusSeconds(120))))
                .isFalse();
    }

    private Optional<NotificationStore.Delivery> dueFor(String receiver) {
        return tx(s -> notifications.lockDue(s, 1000)).stream()
                .filter(d -> d.notification().receiver().equals(receiver))
                .findFirst();
    }

    private <T> T tx(Function<Mutiny.Session, Uni<T>> work) {
        try {
            // Hibernate Reactive runs on a Vert.x context, which a test thread is not.
            return VertxContextSupport.subscribeAndAwait(() -> sessions.withTransaction(work::apply));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
