package io.meridian.observability.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class CoalescedRunTest {

    @Test
    void wakesDuringARunCauseExactlyOneMoreRun() throws Exception {
        CountDownLatch inFirstRun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (CoalescedRun run = new CoalescedRun("test-run", () -> {
            if (runs.incrementAndGet() == 1) {
                inFirstRun.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        })) {
            run.wake();
            assertThat(inFirstRun.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 50; i++) {
                run.wake();
            }
            release.countDown();

            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(runs).hasValue(2));
            Awaitility.await()
                    .during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(runs).hasValue(2));

            run.wake();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(runs).hasValue(3));
        }
    }

    @Test
    void aFailingStepDoesNotStopLaterRuns() {
        AtomicInteger runs = new AtomicInteger();
        try (CoalescedRun run = new CoalescedRun("test-failing", () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("first run fails");
            }
        })) {
            run.wake();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(runs).hasValue(1));
            run.wake();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(runs).hasValue(2));
        }
    }
}
