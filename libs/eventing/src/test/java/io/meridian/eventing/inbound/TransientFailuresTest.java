package io.meridian.eventing.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.kafka.UnreadableEventException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransientFailuresTest {

    private static final Duration PAUSE = Duration.ofMillis(1);

    @Test
    void aFailureThatPassesIsRetriedUntilProcessingSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<String> processing = Uni.createFrom().item(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("connection refused");
            }
            return "stored";
        });

        assertThat(TransientFailures.retried(processing, PAUSE, PAUSE, 5)
                        .await()
                        .indefinitely())
                .isEqualTo("stored");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void anUnreadableOrInvalidRecordFailsAtOnceForTheDeadLetterTopic() {
        for (RuntimeException rejection : new RuntimeException[] {
            new UnreadableEventException("not JSON"), new IllegalArgumentException("bad key")
        }) {
            AtomicInteger attempts = new AtomicInteger();
            Uni<String> processing = Uni.createFrom().item(() -> {
                attempts.incrementAndGet();
                throw rejection;
            });

            assertThatThrownBy(() -> TransientFailures.retried(processing, PAUSE, PAUSE, 5)
                            .await()
                            .indefinitely())
                    .isSameAs(rejection);
            assertThat(attempts).hasValue(1);
        }
    }

    @Test
    void aFailureThatLastsGivesUpAfterTheRetries() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<String> processing = Uni.createFrom().item(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("database down");
        });

        assertThatThrownBy(() -> TransientFailures.retried(processing, PAUSE, PAUSE, 3)
                        .await()
                        .indefinitely())
                .hasMessageContaining("database down");
        assertThat(attempts).hasValue(4);
    }
}
