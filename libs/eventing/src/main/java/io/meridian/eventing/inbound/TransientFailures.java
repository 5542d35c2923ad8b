package io.meridian.eventing.inbound;

import io.meridian.contracts.kafka.UnreadableEventException;
import io.meridian.eventing.EventingConfig;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Retries the processing of a readable record whose failure may pass, so such a record is delayed rather than
 * dead-lettered. Three kinds of failure:
 *
 * <ul>
 *   <li>the database (or the network to it) is away: connection refused or lost, pool exhausted, a timeout, a
 *       PostgreSQL error of class 08, 53, 57P, 58 or a serialization failure or deadlock. Retried with a capped
 *       back-off for as long as it lasts, never dead-lettered: a consumer must not skip a record it could read
 *       because its own database was down;
 *   <li>the record itself is rejected ({@link UnreadableEventException}, {@link IllegalArgumentException}, or a value
 *       the database refuses: SQLSTATE class 22): fails at once and goes to the dead-letter topic;
 *   <li>anything else (a failure nobody explained): retried a bounded number of times, then dead-lettered, so one
 *       record that trips a bug cannot stop its partition for good.
 * </ul>
 *
 * <p>While a record waits, the partition waits with it: the connector processes a channel's records in order and
 * commits no offset past an unfinished one, and it pauses the partitions whose buffer is full while it keeps polling
 * (its {@code pause-if-no-requests} default), so {@code max.poll.interval.ms} does not expire either. The throttled
 * commit strategy's watchdog ({@code throttled.unprocessed-record-max-age.ms}, 60 s by default) would close the
 * channel during a long outage; the service kit turns it off for every channel.
 */
public final class TransientFailures {

    /** First pause before a retry; doubles up to {@link #MAX_BACKOFF}. */
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /**
     * About five minutes of a failure nobody explained before the record is dead-lettered after all; a database
     * outage is waited out however long it lasts.
     */
    public static final int MAX_UNEXPLAINED_RETRIES = 15;

    /**
     * SQLSTATE classes and codes of a database that is away or busy, not of a statement that is wrong: connection
     * exceptions (08), insufficient resources (53, e.g. too many connections), operator intervention (57P01..57P05:
     * shutdown, restart, cannot connect now), system errors (58), read-only transaction (25006, a standby during a
     * fail-over), lock not available (55P03), serialization failure (40001) and deadlock (40P01).
     */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "58");

    private static final Set<String> TRANSIENT_STATES =
            Set.of("57P01", "57P02", "57P03", "57P04", "57P05", "25006", "55P03", "40001", "40P01");

    private TransientFailures() {}

    /**
     * {@code processing} re-subscribed on failure, except for unreadable or invalid records, paced by {@code
     * meridian.eventing.inbound.*} ({@link EventingConfig.Inbound}).
     */
    public static <T> Uni<T> retried(Uni<T> processing) {
        EventingConfig.Inbound settings = settings();
        if (settings == null) {
            return retried(processing, FIRST_BACKOFF, MAX_BACKOFF, MAX_UNEXPLAINED_RETRIES);
        }
        return retried(
                processing, settings.retryFirstBackoff(), settings.retryMaxBackoff(), settings.unexplainedRetries());
    }

    /**
     * The service's settings; {@code null} outside a running service (a plain unit test), which gets the defaults.
     * Looked up per record rather than injected: consumers call this statically, and the lookup is a map read.
     */
    private static EventingConfig.Inbound settings() {
        try {
            return ConfigProvider.getConfig()
                    .unwrap(SmallRyeConfig.class)
                    .getConfigMapping(EventingConfig.class)
                    .inbound();
        } catch (IllegalStateException | NoSuchElementException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * {@code processing} retried while the database is away, however long that lasts, and failed at once on any other
     * failure: for a batch of records, which on such a failure the caller takes apart to find the record at fault
     * rather than retry them all.
     */
    public static <T> Uni<T> whileDatabaseAway(Uni<T> processing) {
        EventingConfig.Inbound settings = settings();
        if (settings == null) {
            return whileDatabaseAway(processing, FIRST_BACKOFF, MAX_BACKOFF);
        }
        return whileDatabaseAway(processing, settings.retryFirstBackoff(), settings.retryMaxBackoff());
    }

    static <T> Uni<T> whileDatabaseAway(Uni<T> processing, Duration first, Duration max) {
        return processing
                .onFailure(failure -> kindOf(failure) == Kind.DATABASE_AWAY)
                .invoke(TransientFailures::waiting)
                .onFailure(failure -> kindOf(failure) == Kind.DATABASE_AWAY)
                .retry()
                .withBackOff(first, max)
                .indefinitely();
    }

    /**
     * {@code processing} retried with back-off from {@code first} up to {@code max}: forever while the database is
     * away, {@code unexplainedRetries} times for any other failure but a rejected record.
     */
    static <T> Uni<T> retried(Uni<T> processing, Duration first, Duration max, int unexplainedRetries) {
        // Assembled again on each outer retry: Mutiny counts retries per assembled Uni, and a database outage must
        // give the unexplained failures around it a fresh budget, not use it up.
        Uni<T> bounded = Uni.createFrom()
                .deferred(() -> processing
                        .onFailure(failure -> kindOf(failure) == Kind.UNEXPLAINED)
                        .retry()
                        .withBackOff(first, max)
                        .atMost(unexplainedRetries));
        return whileDatabaseAway(bounded, first, max);
    }

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TransientFailures.class);
    private static final java.util.concurrent.atomic.AtomicLong LAST_WAIT_LOG =
            new java.util.concurrent.atomic.AtomicLong();

    /** Says, at most every 30 s per service, that records wait for the database rather than move on. */
    private static void waiting(Throwable failure) {
        long now = System.nanoTime();
        long last = LAST_WAIT_LOG.get();
        if ((last == 0 || now - last > 30_000_000_000L) && LAST_WAIT_LOG.compareAndSet(last, now)) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            LOG.warnf(
                    "a record waits for the database, which is away or overloaded (%s: %s); its partition holds until"
                            + " it answers: check the database, nothing is skipped meanwhile",
                    root.getClass().getSimpleName(), root.getMessage());
        }
    }

    /** What a failure says about the record and the database. */
    enum Kind {
        /** The database or the way to it is away or overloaded; it will pass. */
        DATABASE_AWAY,
        /** The record cannot be read or is invalid; retrying cannot help. */
        REJECTED,
        /** Anything else. */
        UNEXPLAINED
    }

    static Kind kindOf(Throwable failure) {
        if (failure instanceof UnreadableEventException || failure instanceof IllegalArgumentException) {
            return Kind.REJECTED;
        }
        // Hibernate Reactive and Mutiny wrap the driver's failure (CompletionException, HibernateException): the
        // cause chain says what happened.
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (isDatabaseAway(t)) {
                return Kind.DATABASE_AWAY;
            }
            if (isValueRefused(t)) {
                return Kind.REJECTED;
            }
        }
        return Kind.UNEXPLAINED;
    }

    private static boolean isDatabaseAway(Throwable t) {
        return switch (t) {
            case DatabaseException e -> isTransientState(e.getSqlState());
            case SQLTransientException e -> true;
            case SQLRecoverableException e -> true;
            case SQLException e -> isTransientState(e.getSQLState());
            // Connection refused or reset (netty's AnnotatedConnectException is a ConnectException), a lost name.
            // Not every IOException: a JSON parser's is one too, and a record that cannot be parsed must not wait.
            case SocketException e -> true;
            case UnknownHostException e -> true;
            case ClosedChannelException e -> true;
            case InterruptedIOException e -> true;
            case ClosedConnectionException e -> true;
            // Every pooled connection busy: the pool's wait queue is full, or the wait for a connection timed out
            // (Vert.x's NoStackTraceTimeoutException), or an answer did (Mutiny's TimeoutException).
            case ConnectionPoolTooBusyException e -> true;
            case TimeoutException e -> true;
            default -> false;
        };
    }

    /**
     * A value of the record the database will never take (SQLSTATE class 22, data exception: a NUL character in a
     * text, a number out of range, an invalid timestamp): the same record fails the same way on every attempt.
     */
    private static boolean isValueRefused(Throwable t) {
        String sqlState = switch (t) {
            case DatabaseException e -> e.getSqlState();
            case SQLException e -> e.getSQLState();
            default -> null;
        };
        return sqlState != null && sqlState.startsWith("22");
    }

    private static boolean isTransientState(String sqlState) {
        return sqlState != null
                && sqlState.length() == 5
                && (TRANSIENT_STATES.contains(sqlState) || TRANSIENT_CLASSES.contains(sqlState.substring(0, 2)));
    }
}
