package io.meridian.observability.domain.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReceiverTurnTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    @Test
    void aFailingReceiverBacksOffExponentiallyAndADeliveryResetsIt() {
        ReceiverTurn turn = ReceiverTurn.fresh("hook");
        assertThat(turn.ready(T0)).isTrue();

        turn = turn.failed("HTTP 500", T0, BACKOFF);
        assertThat(turn.ready(T0.plusMillis(999))).isFalse();
        assertThat(turn.ready(T0.plusSeconds(1))).isTrue();

        turn = turn.failed("HTTP 500", T0.plusSeconds(1), BACKOFF).failed("HTTP 500", T0.plusSeconds(3), BACKOFF);
        assertThat(turn.failures()).isEqualTo(3);
        assertThat(turn.notBefore()).isEqualTo(T0.plusSeconds(7));
        assertThat(turn.lastError()).isEqualTo("HTTP 500");

        assertThat(turn.delivered()).isEqualTo(ReceiverTurn.fresh("hook"));
    }

    @Test
    void oneReceiversFailuresLeaveAnothersTurnAlone() {
        ReceiverTurn failing = ReceiverTurn.fresh("broken");
        ReceiverTurn healthy = ReceiverTurn.fresh("ok");
        for (int i = 0; i < 10; i++) {
            failing = failing.failed("HTTP 503", T0, BACKOFF);
        }

        assertThat(failing.ready(T0.plusSeconds(60))).isFalse();
        assertThat(healthy.ready(T0)).isTrue();
    }
}
