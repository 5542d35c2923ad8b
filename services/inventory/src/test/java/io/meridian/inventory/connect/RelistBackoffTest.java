package io.meridian.inventory.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelistBackoffTest {

    private static final Duration BASE = Duration.ofSeconds(5);
    private static final Duration MAX = Duration.ofSeconds(60);

    @Test
    void connectionsThatEndSoonDoubleTheWaitUpToTheMax() {
        RelistBackoff backoff = RelistBackoff.none(BASE, MAX);
        assertThat(backoff.delay()).isZero();

        Duration brief = Duration.ofSeconds(10);
        backoff = backoff.afterConnectionLasted(brief);
        assertThat(backoff.delay()).isEqualTo(BASE);
        backoff = backoff.afterConnectionLasted(brief);
        assertThat(backoff.delay()).isEqualTo(Duration.ofSeconds(10));
        backoff = backoff.afterConnectionLasted(brief)
                .afterConnectionLasted(brief)
                .afterConnectionLasted(brief);
        assertThat(backoff.delay()).isEqualTo(MAX);
    }

    @Test
    void aConnectionThatLastedTheMaxOrLongerRelistsAtOnceNextTime() {
        RelistBackoff flapping = RelistBackoff.none(BASE, MAX)
                .afterConnectionLasted(Duration.ofSeconds(1))
                .afterConnectionLasted(Duration.ofSeconds(1));
        assertThat(flapping.delay()).isEqualTo(Duration.ofSeconds(10));

        assertThat(flapping.afterConnectionLasted(MAX).delay()).isZero();
        assertThat(flapping.afterConnectionLasted(Duration.ofHours(3)).delay()).isZero();
    }
}
