package io.meridian.eventing.outbox;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.kafka.EventTooLargeException;
import io.meridian.eventing.EventingConfig;
import io.meridian.eventing.sql.MultiRowValues;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Writes events into the outbox table inside the caller's transaction, so an event exists exactly
 * when the change it describes was committed. The {@link OutboxRelay} publishes them afterwards.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = "INSERT INTO outbox (topic, record_key, ce_id, ce_type, ce_source,"
            + " ce_subject, ce_time, ce_dataschema, payload) VALUES ";
    private static final String ROW =
            "(:topic#, :key#, :id#, :type#, :source#, :subject#, :time#, :dataschema#, :payload#)";
    private static final String INSERT_TOMBSTONES = "INSERT INTO outbox (topic, record_key, ce_id, ce_type,"
            + " ce_source, ce_subject, ce_time, ce_dataschema) VALUES ";
    private static final String TOMBSTONE_ROW =
            "(:topic#, :key#, :id#, :type#, :source#, :subject#, :time#, :dataschema#)";

    private final Clock clock;
    private final URI source;
    private final int maxRecordBytes;

    Outbox(Clock clock, EventingConfig config) {
        this.clock = clock;
        this.source = URI.create("/meridian/" + config.service());
        this.maxRecordBytes = config.outbox().maxRecordBytes();
    }

    /**
     * Appends an event about a change made in {@code session}'s current transaction.
     *
     * @param type a type that travels on one topic ({@link EventType#topic()}); see {@link #append(Mutiny.Session,
     *     Message)} for the others
     * @param key the record key, in the shape the topic catalog gives for {@code type.topic()}
     * @param subject what the event is about, e.g. the cluster name
     * @return the event as it will be published, or an {@link EventTooLargeException} (nothing written) when its
     *     record would exceed {@code meridian.eventing.outbox.max-record-bytes}
     */
    public Uni<CloudEvent> append(Mutiny.Session session, EventType type, String key, String subject, Object data) {
        return append(session, new Message(type, key, subject, data));
    }

    /** Appends one event about a change made in {@code session}'s current transaction, on the message's topic. */
    public Uni<CloudEvent> append(Mutiny.Session session, Message message) {
        return appendAll(session, List.of(message)).map(List::getFirst);
    }

    /**
     * One event to append: the topic it goes to, its type, record key (in the topic's key shape), subject and data.
     */
    public record Message(Topic topic, EventType type, String key, String subject, Object data) {
        public Message {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(data, "data; use appendTombstone for a deletion");
            if (!type.travelsOn(topic)) {
                throw new IllegalArgumentException(type.type() + " does not travel on " + topic.topicName());
            }
        }

        /**
         * A message of a type that travels on one topic; a desired bundle or an audit record names its producer's
         * topic with the canonical constructor.
         */
        public Message(EventType type, String key, String subject, Object data) {
            this(type.topic(), type, key, subject, data);
        }
    }

    // Nine parameters per row; PostgreSQL takes at most 65,535 per statement.
    private static final int ROWS_PER_INSERT = 1000;

    /**
     * Appends many events about changes made in {@code session}'s current transaction, in list order, with one
     * statement per thousand events instead of one per event. When one of them would be too large, none is written
     * and the result is an {@link EventTooLargeException} naming the first such event.
     */
    public Uni<List<CloudEvent>> appendAll(Mutiny.Session session, List<Message> messages) {
        List<CloudEvent> events = new ArrayList<>(messages.size());
        OffsetDateTime now = OffsetDateTime.now(clock);
        for (Message message : messages) {
            CloudEvent event =
                    CloudEvent.of(message.type(), source, message.subject(), now, EventJson.write(message.data()));
            EventTooLargeException tooLarge = tooLarge(message.topic(), message.key(), event);
            if (tooLarge != null) {
                return Uni.createFrom().failure(tooLarge);
            }
            events.add(event);
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < messages.size(); from += ROWS_PER_INSERT) {
            int start = from;
            int end = Math.min(messages.size(), from + ROWS_PER_INSERT);
            chain = chain.chain(() -> insertRows(session, messages.subList(start, end), events.subList(start, end)));
        }
        return chain.replaceWith(events);
    }

    private static Uni<Void> insertRows(Mutiny.Session session, List<Message> messages, List<CloudEvent> events) {
        Mutiny.Query<?> query = session.createNativeQuery(INSERT + MultiRowValues.of(ROW, messages.size()));
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            CloudEvent event = events.get(i);
            bindAttributes(query, i, message.topic(), message.key(), event).setParameter("payload" + i, event.data());
        }
        return query.executeUpdate().replaceWithVoid();
    }

    /** Appends a tombstone (null value) for {@code key}, with the CloudEvent attributes in its headers. */
    public Uni<CloudEvent> appendTombstone(Mutiny.Session session, EventType type, String key, String subject) {
        return appendTombstone(session, type.topic(), type, key, subject);
    }

    /** Appends a tombstone (null value) for {@code key} on {@code topic}, e.g. an owner's desired topic. */
    public Uni<CloudEvent> appendTombstone(
            Mutiny.Session session, Topic topic, EventType type, String key, String subject) {
        return appendTombstones(session, topic, type, List.of(new Tombstone(key, subject)))
                .map(List::getFirst);
    }

    /** The key of a record to delete from a compacted topic, and what the deletion is about (e.g. the cluster). */
    public record Tombstone(String key, String subject) {
        public Tombstone {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Appends tombstones on {@code topic} in list order, with one statement per thousand instead of one per tombstone
     * (a grant revoked on a hundred clusters withdraws a hundred bundles). When one key would be too large, none is
     * written and the result is an {@link EventTooLargeException} naming the first such key.
     */
    public Uni<List<CloudEvent>> appendTombstones(
            Mutiny.Session session, Topic topic, EventType type, List<Tombstone> tombstones) {
        if (!type.travelsOn(topic)) {
            throw new IllegalArgumentException(type.type() + " does not travel on " + topic.topicName());
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<CloudEvent> events = new ArrayList<>(tombstones.size());
        for (Tombstone tombstone : tombstones) {
            CloudEvent event = CloudEvent.of(type, source, tombstone.subject(), now, null);
            // A tombstone has no value, but a key or subject alone can still be too large.
            EventTooLargeException tooLarge = tooLarge(topic, tombstone.key(), event);
            if (tooLarge != null) {
                return Uni.createFrom().failure(tooLarge);
            }
            events.add(event);
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < tombstones.size(); from += ROWS_PER_INSERT) {
            int start = from;
            int end = Math.min(tombstones.size(), from + ROWS_PER_INSERT);
            chain = chain.chain(() -> {
                // Without the payload column, which stays NULL: that is what makes the record a tombstone.
                Mutiny.Query<?> query =
                        session.createNativeQuery(INSERT_TOMBSTONES + MultiRowValues.of(TOMBSTONE_ROW, end - start));
                for (int i = start; i < end; i++) {
                    bindAttributes(query, i - start, topic, tombstones.get(i).key(), events.get(i));
                }
                return query.executeUpdate().replaceWithVoid();
            });
        }
        return chain.replaceWith(events);
    }

    /**
     * The refusal of an event whose record the relay's producer could never send, or {@code null}. Written anyway, it
     * would stop the relay at its row: the outbox is published in order.
     */
    private EventTooLargeException tooLarge(Topic topic, String key, CloudEvent event) {
        int size = OutboxRecords.sizeOf(OutboxRecords.of(topic.topicName(), Objects.requireNonNull(key, "key"), event));
        return size <= maxRecordBytes
                ? null
                : new EventTooLargeException(topic.topicName(), event.type(), event.subject(), size, maxRecordBytes);
    }

    /** Binds the columns every outbox row has, of row {@code i} of a multi-row statement. */
    private static Mutiny.Query<?> bindAttributes(
            Mutiny.Query<?> query, int i, Topic topic, String key, CloudEvent event) {
        return query.setParameter("topic" + i, topic.topicName())
                .setParameter("key" + i, key)
                .setParameter("id" + i, event.id())
                .setParameter("type" + i, event.type())
                .setParameter("source" + i, event.source().toString())
                .setParameter("subject" + i, event.subject())
                .setParameter("time" + i, event.time())
                .setParameter(
                        "dataschema" + i,
                        event.dataschema() == null ? null : event.dataschema().toString());
    }
}
