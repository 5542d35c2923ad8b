package io.meridian.contracts.kafka;

/** A record that cannot be read as a Meridian event; its message is the reason a dead-letter record carries. */
public class UnreadableEventException extends RuntimeException {

    public UnreadableEventException(String reason) {
        super(reason);
    }

    public UnreadableEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
