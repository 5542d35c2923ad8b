package io.meridian.contracts.kafka;

/**
 * Headers a consumer adds to a record it parks on {@code <topic>.dlq}, next to the original {@code ce_*}
 * headers. The names are those SmallRye Reactive Messaging's {@code dead-letter-queue} failure strategy writes,
 * so a Quarkus consumer using it and a hand-written one produce the same dead letters.
 */
public final class DeadLetterHeaders {

    /** Why the record could not be processed, e.g. the message of an {@link UnreadableEventException}. */
    public static final String REASON = "dead-letter-reason";

    public static final String CAUSE = "dead-letter-cause";
    public static final String EXCEPTION_CLASS_NAME = "dead-letter-exception-class-name";
    public static final String CAUSE_CLASS_NAME = "dead-letter-cause-class-name";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";

    private DeadLetterHeaders() {}
}
