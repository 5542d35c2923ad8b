package io.meridian.observability.domain.notify;

import java.time.Instant;

/**
 * One receiver's place in delivery: how many attempts in a row have failed and when it may be tried next. Each
 * receiver has its own turn, so a receiver that keeps failing backs off alone and never delays another.
 */
public record ReceiverTurn(String receiver, int failures, Instant notBefore, String lastError) {

    public static ReceiverTurn fresh(String receiver) {
        return new ReceiverTurn(receiver, 0, Instant.MIN, null);
    }

    public boolean ready(Instant now) {
        return !now.isBefore(notBefore);
    }

    /** After a delivery: ready again at once. */
    public ReceiverTurn delivered() {
        return fresh(receiver);
    }

    /** After a failure that may succeed later: wait the back-off for one more failure in a row. */
    public ReceiverTurn failed(String error, Instant now, Backoff backoff) {
        int next = failures == Integer.MAX_VALUE ? failures : failures + 1;
        return new ReceiverTurn(receiver, next, now.plus(backoff.after(next)), error);
    }
}
