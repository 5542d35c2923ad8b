package io.meridian.eventing.outbox;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.kafka.CloudEventHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Publishes the outbox to Kafka: in id order, batch by batch, deleting rows only after the broker
 * acknowledged them. A crash between send and delete re-sends that batch in the same order on restart,
 * so delivery is at-least-once and consumers deduplicate by {@code ce_id}. One relay per database
 * holds a PostgreSQL advisory lock, so replicas of a service never interleave their sends.
 *
 * <p>A row the broker refuses for what it is (too large for the producer or the topic, an invalid topic name) can never
 * be sent, and waiting on it would hold back every later event for good. Such a row moves to {@code
 * outbox_dead_letter} with the broker's reason, is counted and logged with what to do; the rows around it keep their
 * order. Any other failure (broker away, not authorised, timeouts) is retried with back-off: it is not the row's fault.
 *
 * <p>Runs on its own platform thread: JDBC and the producer's acknowledgements are blocking.
 */
public final class OutboxRelay implements AutoCloseable {

    /** Called after each record is handed to the producer; lets tests stop the relay mid-batch. */
    @FunctionalInterface
    public interface SendObserver {
        void sent(long outboxId);
    }

    /** How the relay paces itself. */
    public record Options(int batchSize, Duration idleWait, Duration retryBackoff, long lockKey) {
        public static Options defaults() {
            return new Options(500, Duration.ofSeconds(1), Duration.ofMillis(500), LOCK_KEY);
        }
    }

    /** Base of the advisory-lock keys; each service's key mixes in its name. */
    public static final long LOCK_KEY = 0x4d6572696469616eL; // "Meridian"

    /**
     * The lock key of one service: shared by its replicas (one relays at a time) and distinct from
     * every other service's, since services may share a database with a schema each.
     */
    public static long lockKeyOf(String service) {
        long hash = 1125899906842597L;
        for (char c : service.toCharArray()) {
            hash = 31 * hash + c;
        }
        return LOCK_KEY ^ hash;
    }

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final String SELECT = "SELECT id, topic, record_key, ce_id, ce_type, ce_source, ce_subject,"
            + " ce_time, ce_dataschema, payload FROM outbox ORDER BY id LIMIT ?";

    private final DataSource dataSource;
    private final Producer<String, byte[]> producer;
    private final Options options;
    private final SendObserver observer;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicBoolean leader = new AtomicBoolean();
    private volatile Thread thread;

    public OutboxRelay(DataSource dataSource, Producer<String, byte[]> producer, Options options) {
        this(dataSource, producer, options, id -> {});
    }

    public OutboxRelay(
            DataSource dataSource, Producer<String, byte[]> producer, Options options, SendObserver observer) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.options = options;
        this.observer = observer;
    }

    /** Starts relaying on a dedicated thread. */
    public synchronized OutboxRelay start() {
        if (running.compareAndSet(false, true)) {
            thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::run);
        }
        return this;
    }

    /** Stops after the current send; unacknowledged rows stay in the outbox for the next relay. */
    public void stop() {
        running.set(false);
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(SEND_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Records published (acknowledged by the broker) since start. */
    public long relayedCount() {
        return relayed.get();
    }

    /** Rows the broker refused for what they are, moved to {@code outbox_dead_letter} since start. */
    public long deadLetteredCount() {
        return deadLettered.get();
    }

    /** Whether this relay holds the lock and is the one publishing. */
    public boolean isLeader() {
        return leader.get();
    }

    public boolean isRunning() {
        return running.get();
    }

    private void run() {
        Duration backoff = options.retryBackoff();
        while (running.get()) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                if (!tryLock(connection)) {
                    sleep(options.idleWait());
                    continue;
                }
                leader.set(true);
                LOG.infof("outbox relay holds the lock and is publishing");
                listen(connection);
                while (running.get()) {
                    int sent = relayBatch(connection);
                    backoff = options.retryBackoff();
                    if (sent == 0) {
                        awaitNotification(connection);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running.get()) {
                    break;
                }
                LOG.warnf(
                        "outbox relay failed, retrying in %d ms: %s",
                        backoff.toMillis(), e.getMessage() == null ? e.toString() : e.getMessage());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } finally {
                leader.set(false);
            }
        }
        LOG.debug("outbox relay stopped");
    }

    private boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, options.lockKey());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void listen(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("LISTEN meridian_outbox");
        }
    }

    private void awaitNotification(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        pg.getNotifications((int) options.idleWait().toMillis());
    }

    /**
     * Publishes one batch; returns how many rows left the outbox: acknowledged by the broker and deleted, or refused
     * for what they are and moved to {@code outbox_dead_letter}.
     */
    int relayBatch(Connection connection) throws SQLException {
        List<Pending> pending = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(SELECT)) {
            ps.setInt(1, options.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && running.get()) {
                    long id = rs.getLong("id");
                    ProducerRecord<String, byte[]> record = toRecord(rs);
                    pending.add(new Pending(id, record, producer.send(record)));
                    observer.sent(id);
                }
            }
        }
        if (pending.isEmpty()) {
            return 0;
        }
        producer.flush();
        List<Long> acknowledged = new ArrayList<>();
        RuntimeException retry = null;
        int refused = 0;
        for (Pending p : pending) {
            Throwable failure = awaitAck(p.ack());
            if (failure == null) {
                acknowledged.add(p.id());
            } else if (isRefusalOfTheRecord(failure)) {
                deadLetter(connection, p, failure);
                refused++;
            } else if (retry == null) {
                retry = new IllegalStateException("broker did not take an outbox record: " + failure, failure);
            }
        }
        if (retry != null) {
            // The whole batch again (minus rows dead-lettered above), in order; the acknowledged ones are duplicates
            // that consumers drop by ce_id.
            throw retry;
        }
        if (!running.get()) {
            // Stopped mid-batch: leave the rows; the next relay re-sends them in order.
            return refused;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE id = ANY (?)")) {
            Array array = connection.createArrayOf("bigint", acknowledged.toArray());
            delete.setArray(1, array);
            delete.executeUpdate();
        }
        relayed.addAndGet(acknowledged.size());
        return acknowledged.size() + refused;
    }

    private record Pending(long id, ProducerRecord<String, byte[]> record, Future<RecordMetadata> ack) {}

    /** The broker's refusal of one record, or {@code null} once it acknowledged it. */
    private static Throwable awaitAck(Future<RecordMetadata> ack) {
        try {
            ack.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (TimeoutException e) {
            throw new IllegalStateException("broker did not acknowledge within " + SEND_TIMEOUT, e);
        }
    }

    /**
     * Whether the broker (or the producer, before sending) refused the record for what it is, so sending it again can
     * never succeed. Authorisation, fencing and the broker being away are not: they would refuse every row alike, and
     * moving the whole outbox aside would lose its order for nothing.
     */
    static boolean isRefusalOfTheRecord(Throwable failure) {
        return failure instanceof RecordTooLargeException
                || failure instanceof RecordBatchTooLargeException
                || failure instanceof InvalidRecordException
                || failure instanceof InvalidTopicException;
    }

    private static final String DEAD_LETTER = "WITH moved AS (DELETE FROM outbox WHERE id = ? RETURNING *)"
            + " INSERT INTO outbox_dead_letter (id, topic, record_key, ce_id, ce_type, ce_source, ce_subject, ce_time,"
            + " ce_dataschema, payload, created_at, record_bytes, reason)"
            + " SELECT id, topic, record_key, ce_id, ce_type, ce_source, ce_subject, ce_time, ce_dataschema, payload,"
            + " created_at, ?, ? FROM moved";

    /** Moves a refused row aside in one statement: it is either still in the outbox or in the dead-letter table. */
    private void deadLetter(Connection connection, Pending pending, Throwable failure) throws SQLException {
        int size = OutboxRecords.sizeOf(pending.record());
        String reason = failure.getClass().getName() + ": " + failure.getMessage();
        try (PreparedStatement move = connection.prepareStatement(DEAD_LETTER)) {
            move.setLong(1, pending.id());
            move.setInt(2, size);
            move.setString(3, reason);
            move.executeUpdate();
        }
        deadLettered.incrementAndGet();
        LOG.errorf(
                "outbox row %d (%s for %s, key %s, %,d bytes) was refused by Kafka and moved to outbox_dead_letter;"
                        + " the rows after it go on. Reason: %s. To publish it, raise the topic's max.message.bytes"
                        + " (and meridian.eventing.outbox.max-record-bytes if the record is larger), then move it back:"
                        + " INSERT INTO outbox (topic, record_key, ce_id, ce_type, ce_source, ce_subject, ce_time,"
                        + " ce_dataschema, payload) SELECT topic, record_key, ce_id, ce_type, ce_source, ce_subject,"
                        + " ce_time, ce_dataschema, payload FROM outbox_dead_letter WHERE id = %d",
                pending.id(),
                typeOf(pending.record()),
                pending.record().topic(),
                pending.record().key(),
                size,
                reason,
                pending.id());
    }

    private static String typeOf(ProducerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
        return type == null ? "an event" : new String(type.value(), StandardCharsets.UTF_8);
    }

    private static ProducerRecord<String, byte[]> toRecord(ResultSet rs) throws SQLException {
        String dataschema = rs.getString("ce_dataschema");
        byte[] payload = rs.getBytes("payload");
        CloudEvent event = new CloudEvent(
                rs.getString("ce_id"),
                rs.getString("ce_type"),
                URI.create(rs.getString("ce_source")),
                rs.getString("ce_subject"),
                rs.getObject("ce_time", OffsetDateTime.class),
                dataschema == null ? null : URI.create(dataschema),
                payload == null ? null : CloudEvent.JSON,
                payload);
        return OutboxRecords.of(rs.getString("topic"), rs.getString("record_key"), event);
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }
}
