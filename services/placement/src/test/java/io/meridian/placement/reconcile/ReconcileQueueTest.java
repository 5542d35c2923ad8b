package io.meridian.placement.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReconcileQueueTest {

    private final ReconcileQueue queue = new ReconcileQueue(Clock.systemUTC());

    @AfterEach
    void close() {
        queue.close();
    }

    @Test
    void aWorkloadIsQueuedOnceWhateverWakesItHowOften() throws InterruptedException {
        queue.addAll(List.of("a", "b", "a"));
        queue.add("b");
        assertThat(queue.depth()).isEqualTo(2);
        assertThat(queue.take()).isEqualTo("a");
        assertThat(queue.take()).isEqualTo("b");
        assertThat(queue.depth()).isZero();
    }

    @Test
    void aWorkloadWokenWhileItIsReconciledComesBackOnlyWhenThatReconcileIsDone() throws InterruptedException {
        queue.add("a");
        String taken = queue.take();
        queue.add("a"); // a change while the worker is at it
        assertThat(queue.depth()).isZero(); // no second worker may take it meanwhile
        queue.done(taken);
        assertThat(queue.depth()).isEqualTo(1);
        assertThat(queue.take()).isEqualTo("a");
        queue.done("a");
        assertThat(queue.depth()).isZero();
    }

    @Test
    void theEventsOfAFleetChangeWakeAWorkloadOnceTheyHaveSettled() throws InterruptedException {
        ReconcileQueue settling =
                new ReconcileQueue(Clock.systemUTC(), name -> !name.equals("theirs"), Duration.ofMillis(300));
        try {
            long start = System.nanoTime();
            settling.addAllSettled(List.of("a", "theirs")); // the first cluster's report
            settling.addAllSettled(List.of("a")); // the next one's, moments later
            assertThat(settling.depth()).as("not at once").isZero();

            assertThat(settling.take()).isEqualTo("a");
            // The timer counts whole milliseconds from the clock's instant: a little less than 300 ms may have passed.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(280));
            settling.done("a");
            Thread.sleep(600);
            assertThat(settling.depth())
                    .as("once for both, and never for another replica's")
                    .isZero();

            settling.add("b"); // an API write: at once
            assertThat(settling.depth()).isOne();
            settling.addAllSettled(List.of("b")); // queued already: the reconcile to come sees the event
            assertThat(settling.take()).isEqualTo("b");
            settling.done("b");
            Thread.sleep(600);
            assertThat(settling.depth()).isZero();

            settling.addAt("c", Instant.now().minusSeconds(1)); // a sooner wake-up is not put off
            settling.addAllSettled(List.of("c"));
            Awaitility.await().atMost(Duration.ofMillis(250)).until(() -> settling.depth() == 1);
        } finally {
            settling.close();
        }
    }

    @Test
    void aTimedWakeUpQueuesTheWorkloadWhenItIsDue() {
        queue.addAt("a", Instant.now().plus(Duration.ofDays(1)));
        queue.addAt("b", Instant.now().minusSeconds(1));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> queue.depth() == 1);
        // An earlier wake-up replaces a later one; a later one leaves an earlier one alone.
        queue.addAt("a", Instant.now().minusSeconds(1));
        queue.addAt("a", Instant.now().plus(Duration.ofDays(2)));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> queue.depth() == 2);
    }
}
