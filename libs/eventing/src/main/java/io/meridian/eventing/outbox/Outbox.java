package io.meridian.eventing.outbox;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.eventing.EventingConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Objects;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Writes events into the outbox table inside the caller's transaction, so an event exists exactly
 * when the change it describes was committed. The {@link OutboxRelay} publishes them afterwards.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = "INSERT INTO outbox (topic, record_key, ce_id, ce_type, ce_source,"
            + " ce_subject, ce_time, ce_dataschema, payload)"
            + " VALUES (:topic, :key, :id, :type, :source, :subject, :time, :dataschema, :payload)";
    private static final String INSERT_TOMBSTONE = "INSERT INTO outbox (topic, record_key, ce_id, ce_type,"
            + " ce_source, ce_subject, ce_time, ce_dataschema)"
            + " VALUES (:topic, :key, :id, :type, :source, :subject, :time, :dataschema)";

    private final Clock clock;
    private final URI source;

    Outbox(Clock clock, EventingConfig config) {
        this.clock = clock;
        this.source = URI.create("/meridian/" + config.service());
    }

    /**
     * Appends an event about a change made in {@code session}'s current transaction.
     *
     * @param key the record key, in the shape the topic catalog gives for {@code type.topic()}
     * @param subject what the event is about, e.g. the cluster name
     * @return the event as it will be published
     */
    public Uni<CloudEvent> append(Mutiny.Session session, EventType type, String key, String subject, Object data) {
        Objects.requireNonNull(data, "data; use appendTombstone for a deletion");
        CloudEvent event = CloudEvent.of(type, source, subject, OffsetDateTime.now(clock), EventJson.write(data));
        return insert(session, INSERT, type, key, event)
                .setParameter("payload", event.data())
                .executeUpdate()
                .replaceWith(event);
    }

    /** Appends a tombstone (null value) for {@code key}, with the CloudEvent attributes in its headers. */
    public Uni<CloudEvent> appendTombstone(Mutiny.Session session, EventType type, String key, String subject) {
        CloudEvent event = CloudEvent.of(type, source, subject, OffsetDateTime.now(clock), null);
        return insert(session, INSERT_TOMBSTONE, type, key, event)
                .executeUpdate()
                .replaceWith(event);
    }

    private static Mutiny.Query<?> insert(
            Mutiny.Session session, String sql, EventType type, String key, CloudEvent event) {
        Mutiny.Query<?> query = session.createNativeQuery(sql);
        return query.setParameter("topic", type.topic().topicName())
                .setParameter("key", Objects.requireNonNull(key, "key"))
                .setParameter("id", event.id())
                .setParameter("type", event.type())
                .setParameter("source", event.source().toString())
                .setParameter("subject", event.subject())
                .setParameter("time", event.time())
                .setParameter(
                        "dataschema",
                        event.dataschema() == null ? null : event.dataschema().toString());
    }
}
