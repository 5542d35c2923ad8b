package io.meridian.eventing.inbound;

import io.meridian.contracts.kafka.UnreadableEventException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * Retries the processing of a readable record whose failure may pass (the database away for a while), so such a
 * record is delayed rather than dead-lettered; a record that cannot be read, or that a service rejects as invalid,
 * fails at once and goes to the dead-letter topic.
 */
public final class TransientFailures {

    /** First pause before a retry; doubles up to {@link #MAX_BACKOFF}. */
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** About five minutes of an unavailable database before the record is dead-lettered after all. */
    public static final int MAX_RETRIES = 15;

    private TransientFailures() {}

    /** {@code processing} re-subscribed on failure, except for unreadable or invalid records. */
    public static <T> Uni<T> retried(Uni<T> processing) {
        return retried(processing, FIRST_BACKOFF, MAX_BACKOFF, MAX_RETRIES);
    }

    static <T> Uni<T> retried(Uni<T> processing, Duration first, Duration max, int retries) {
        return processing
                .onFailure(TransientFailures::mayPass)
                .retry()
                .withBackOff(first, max)
                .atMost(retries);
    }

    static boolean mayPass(Throwable failure) {
        return !(failure instanceof UnreadableEventException || failure instanceof IllegalArgumentException);
    }
}
