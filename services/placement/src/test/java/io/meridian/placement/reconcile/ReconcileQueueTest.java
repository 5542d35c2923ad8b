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
    void theEventsOfAFleetChangeWakeAWorkloadOnceAfterTheSettleTime() throws InterruptedException {
        Duration settle = Duration.ofSeconds(1);
        ReconcileQueue settling = new ReconcileQueue(Clock.systemUTC(), name -> !name.equals("theirs"), settle);
        try {
            long start = System.nanoTime();
            settling.addAllSettled(List.of("a", "theirs")); // the first cluster's report
            settling.addAllSettled(List.of("a")); // the next one's, moments later
            assertThat(settling.depth()).as("not at once").isZero();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> settling.depth() == 1);
            // The timer counts whole milliseconds from the clock's instant: a little less may have passed.
            assertThat(since(start)).isGreaterThan(settle.minusMillis(50));
            assertThat(settling.take()).isEqualTo("a");
            settling.done("a");
            staysEmpty(settling); // once for both, and never for another replica's

            settling.add("b"); // an API write: at once
            assertThat(settling.depth()).isOne();
            settling.addAllSettled(List.of("b")); // queued already: the reconcile to come sees the event
            assertThat(settling.take()).isEqualTo("b");
            settling.done("b");
            staysEmpty(settling);

            long planned = System.nanoTime();
            settling.addAt("c", Instant.now().plusMillis(100)); // say, a pause that ends sooner
            settling.addAllSettled(List.of("c"));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> settling.depth() == 1);
            assertThat(since(planned)).as("a sooner wake-up is not put off").isLessThan(settle);
        } finally {
            settling.close();
        }
    }

    private static void staysEmpty(ReconcileQueue queue) {
        Awaitility.await()
                .during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> queue.depth() == 0);
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
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
