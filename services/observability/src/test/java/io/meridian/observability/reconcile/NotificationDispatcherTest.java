package io.meridian.observability.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.observability.domain.notify.Backoff;
import io.meridian.observability.domain.notify.ReceiverTurn;
import io.meridian.observability.notify.DeliveryOutcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What follows one delivery attempt: delivered, retried after the receiver's back-off, or given up. */
class NotificationDispatcherTest {

    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5));

    @Test
    void aRetryableFailureBacksTheReceiverOffLongerAtEachFailureInARow() {
        ReceiverTurn turn = ReceiverTurn.fresh("ops");

        var first = NotificationDispatcher.next(
                new DeliveryOutcome.Failed("receiver ops answered HTTP 503", true), 0, turn, 10, BACKOFF, NOW);
        assertThat(first).isInstanceOf(NotificationDispatcher.Step.Retry.class);
        assertThat(((NotificationDispatcher.Step.Retry) first).at()).isEqualTo(NOW.plusSeconds(5));

        var second = NotificationDispatcher.next(
                new DeliveryOutcome.Failed("receiver ops answered HTTP 429", true), 1, first.turn(), 10, BACKOFF, NOW);
        assertThat(((NotificationDispatcher.Step.Retry) second).at()).isEqualTo(NOW.plusSeconds(10));
        assertThat(((NotificationDispatcher.Step.Retry) second).reason()).contains("429");

        // A success ends the back-off: the next failure starts from the first wait again.
        var delivered =
                NotificationDispatcher.next(new DeliveryOutcome.Delivered(200), 2, second.turn(), 10, BACKOFF, NOW);
        assertThat(delivered).isInstanceOf(NotificationDispatcher.Step.Delivered.class);
        assertThat(delivered.turn().failures()).isZero();
        assertThat(delivered.turn().ready(NOW)).isTrue();
    }

    @Test
    void aFailureThatCannotSucceedIsGivenUpAtOnceWithoutHoldingTheReceiver() {
        var step = NotificationDispatcher.next(
                new DeliveryOutcome.Failed("receiver ops answered HTTP 404", false),
                0,
                ReceiverTurn.fresh("ops"),
                10,
                BACKOFF,
                NOW);

        assertThat(step).isInstanceOf(NotificationDispatcher.Step.GiveUp.class);
        assertThat(((NotificationDispatcher.Step.GiveUp) step).reason()).contains("HTTP 404");
        assertThat(step.turn().ready(NOW)).isTrue();
    }

    @Test
    void aRetryableFailureIsGivenUpAtTheLastAttempt() {
        var step = NotificationDispatcher.next(
                new DeliveryOutcome.Failed("receiver ops answered HTTP 500", true),
                2,
                ReceiverTurn.fresh("ops"),
                3,
                BACKOFF,
                NOW);

        assertThat(step).isInstanceOf(NotificationDispatcher.Step.GiveUp.class);
        assertThat(((NotificationDispatcher.Step.GiveUp) step).reason())
                .contains("HTTP 500")
                .contains("after 3 attempts");
        // The receiver still backs off: its other notifications would meet the same endpoint.
        assertThat(step.turn().ready(NOW)).isFalse();
    }
}
