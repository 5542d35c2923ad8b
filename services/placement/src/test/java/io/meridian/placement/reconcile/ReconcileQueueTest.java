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
