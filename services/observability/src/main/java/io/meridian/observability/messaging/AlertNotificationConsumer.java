package io.meridian.observability.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.alert.AlertEvent;
import io.meridian.contracts.kafka.UnreadableEventException;
import io.meridian.eventing.inbound.DeadLetters;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.eventing.inbound.TransientFailures;
import io.meridian.observability.domain.notify.NotifiableAlert;
import io.meridian.observability.persistence.NotificationStore;
import io.meridian.observability.reconcile.NotificationPlanning;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records every alert transition announced on fleet.alerts.v1 as the state notifications are planned from (group
 * {@code observability-notifications}: each record stored once for the whole service). Idempotent: an announcement
 * older than the stored state, a replay, changes nothing. An unreadable record goes to {@code fleet.alerts.v1.dlq};
 * a failing database is retried with back-off first.
 */
public class AlertNotificationConsumer {

    private final NotificationStore store;
    private final DeadLetters deadLetters;
    private final NotificationPlanning planning;

    AlertNotificationConsumer(NotificationStore store, DeadLetters deadLetters, NotificationPlanning planning) {
        this.store = store;
        this.deadLetters = deadLetters;
        this.planning = planning;
    }

    @Incoming("alert-notifications")
    public Uni<Void> onRecord(ConsumerRecord<String, byte[]> record) {
        return Uni.createFrom()
                .deferred(() -> record(record))
                .onFailure()
                .recoverWithUni(failure -> Uni.createFrom()
                        .item(() -> {
                            // The first dead letter creates a producer and may wait for metadata: not on the event
                            // loop.
                            deadLetters.send(record, failure);
                            return record;
                        })
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .replaceWithVoid());
    }

    private Uni<Void> record(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = IncomingEvents.read(record);
        AlertEvent alert = IncomingEvents.data(event, AlertEvent.class);
        return TransientFailures.retried(store.recordAlert(notifiable(alert), announcedAt(event)))
                .invoke(changed -> {
                    if (changed) {
                        planning.wake();
                    }
                })
                .replaceWithVoid();
    }

    /** The alert an announcement describes, or an unreadable record when it lacks what a notification needs. */
    static NotifiableAlert notifiable(AlertEvent alert) {
        if (alert.fingerprint() == null
                || alert.fingerprint().isBlank()
                || alert.alertName() == null
                || alert.state() == null
                || alert.startsAt() == null) {
            throw new UnreadableEventException("alert event lacks fingerprint, alertName, state or startsAt");
        }
        if (alert.state() == AlertEvent.State.RESOLVED && alert.endsAt() == null) {
            // A resolved alert always ended; an announcement without the end still resolves it, ending at its start.
            return NotifiableAlert.of(new AlertEvent(
                    alert.fingerprint(),
                    alert.alertName(),
                    alert.state(),
                    alert.severity(),
                    alert.labels(),
                    alert.annotations(),
                    alert.clusterId(),
                    alert.value(),
                    alert.startsAt(),
                    alert.startsAt()));
        }
        return NotifiableAlert.of(alert);
    }

    /** When the announcement was made: the order of announcements of one alert, whatever order they are read in. */
    static Instant announcedAt(CloudEvent event) {
        return event.time().toInstant();
    }
}
