package io.meridian.inventory.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventLoopLagTest {

    @Test
    void aLoopHeldByLongWorkCountsAsBusyForTheWindowAfterIt() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try (EventLoopLag lag = new EventLoopLag(vertx, Duration.ofMillis(300), Clock.systemUTC())) {
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> !lag.busyWithin(Duration.ofSeconds(5)));

            // One loop decodes something big for 800 ms: what was handed to it meanwhile ran that late.
            vertx.getOrCreateContext().runOnContext(v -> {
                long until = System.nanoTime() + Duration.ofMillis(800).toNanos();
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            });
            await().atMost(Duration.ofSeconds(3)).until(() -> lag.busyWithin(Duration.ofSeconds(5)));
            // The window passes: busy no more.
            await().atMost(Duration.ofSeconds(3)).until(() -> !lag.busyWithin(Duration.ofMillis(500)));
            assertThat(lag.busyWithin(Duration.ofSeconds(5))).isTrue();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
