package io.meridian.inventory.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventLoopLagTest {

    @Test
    void aLoopHeldByLongWorkCountsAsBusyForTheWindowAfterIt() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try (EventLoopLag lag = new EventLoopLag(vertx, Duration.ofSeconds(1), System::nanoTime)) {
            assertThat(lag.busyWithin(Duration.ofSeconds(5))).isFalse();

            // One loop decodes something big for 2.5 s: what was handed to it meanwhile ran that late.
            vertx.getOrCreateContext().runOnContext(v -> {
                long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> lag.busyWithin(Duration.ofSeconds(10)));
            // The window passes: busy no more.
            await().atMost(Duration.ofSeconds(5)).until(() -> !lag.busyWithin(Duration.ofMillis(500)));
            assertThat(lag.busyWithin(Duration.ofSeconds(10))).isTrue();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
