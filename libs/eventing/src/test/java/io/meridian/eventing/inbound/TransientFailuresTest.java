package io.meridian.eventing.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.kafka.UnreadableEventException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;

class TransientFailuresTest {

    private static final Duration PAUSE = Duration.ofMillis(1);

    @Test
    void aFailureThatPassesIsRetriedUntilProcessingSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<String> processing = Uni.createFrom().item(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("connection refused");
            }
            return "stored";
        });

        assertThat(TransientFailures.retried(processing, PAUSE, PAUSE, 5)
                        .await()
                        .indefinitely())
                .isEqualTo("stored");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void anUnreadableOrInvalidRecordFailsAtOnceForTheDeadLetterTopic() {
        for (RuntimeException rejection : new RuntimeException[] {
            new UnreadableEventException("not JSON"),
            new IllegalArgumentException("bad key"),
            new HibernateException(
                    new PgException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null)),
            new IllegalStateException(new SQLException("value out of range", "22003"))
        }) {
            AtomicInteger attempts = new AtomicInteger();
            Uni<String> processing = Uni.createFrom().item(() -> {
                attempts.incrementAndGet();
                throw rejection;
            });

            assertThatThrownBy(() -> TransientFailures.retried(processing, PAUSE, PAUSE, 5)
                            .await()
                            .indefinitely())
                    .isSameAs(rejection);
            assertThat(attempts).hasValue(1);
        }
    }

    @Test
    void aFailureNobodyExplainedGivesUpAfterTheRetriesForTheDeadLetterTopic() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<String> processing = Uni.createFrom().item(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("no applicable rule");
        });

        assertThatThrownBy(() -> TransientFailures.retried(processing, PAUSE, PAUSE, 3)
                        .await()
                        .indefinitely())
                .hasMessageContaining("no applicable rule");
        assertThat(attempts).hasValue(4);
    }

    /** Failures of a database that is down, restarting, overloaded or failing over, as the drivers report them. */
    private static final List<Supplier<RuntimeException>> DATABASE_AWAY = List.of(
            () -> new HibernateException(
                    new CompletionException(new ConnectException("Connection refused: /127.0.0.1:5432"))),
            () -> new CompletionException(ClosedConnectionException.INSTANCE),
            () -> new HibernateException(
                    new PgException("terminating connection due to administrator command", "FATAL", "57P01", null)),
            () -> new CompletionException(
                    new PgException("the database system is starting up", "FATAL", "57P03", null)),
            () -> new HibernateException(new PgException("sorry, too many clients already", "FATAL", "53300", null)),
            () -> new CompletionException(new PgException("connection failure", "FATAL", "08006", null)),
            () -> new HibernateException(new PgException("could not serialize access", "ERROR", "40001", null)),
            () -> new HibernateException(new PgException("deadlock detected", "ERROR", "40P01", null)),
            () -> new CompletionException(new NoStackTraceTimeoutException("Timeout")),
            () -> new IllegalStateException(new SQLException("connection attempt failed", "08001")));

    @Test
    void aDatabaseOutageLongerThanTheGiveUpIsWaitedOutAndTheRecordProcessedWhenTheDatabaseIsBack() {
        int unexplainedRetries = 3;
        for (Supplier<RuntimeException> failure : DATABASE_AWAY) {
            RuntimeException outage = failure.get();
            AtomicInteger attempts = new AtomicInteger();
            // Down for several times the attempts that end an unexplained failure in the dead-letter topic.
            int downFor = 4 * (unexplainedRetries + 1);
            Uni<String> processing = Uni.createFrom().item(() -> {
                if (attempts.incrementAndGet() <= downFor) {
                    throw outage;
                }
                return "stored";
            });

            assertThat(TransientFailures.retried(processing, PAUSE, PAUSE, unexplainedRetries)
                            .await()
                            .atMost(Duration.ofSeconds(10)))
                    .as("processed after %s", outage)
                    .isEqualTo("stored");
            assertThat(attempts).hasValue(downFor + 1);
        }
    }

    @Test
    void aBatchWaitsOutTheDatabaseButFailsAtOnceOnAnythingElseToBeTakenApart() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<String> batch = Uni.createFrom().item(() -> {
            if (attempts.incrementAndGet() <= 5) {
                throw DATABASE_AWAY.get(attempts.get()).get();
            }
            return "stored";
        });
        assertThat(TransientFailures.whileDatabaseAway(batch, PAUSE, PAUSE)
                        .await()
                        .atMost(Duration.ofSeconds(10)))
                .isEqualTo("stored");
        assertThat(attempts).hasValue(6);

        AtomicInteger tried = new AtomicInteger();
        Uni<String> faulty = Uni.createFrom().item(() -> {
            if (tried.incrementAndGet() == 1) {
                throw DATABASE_AWAY.getFirst().get();
            }
            throw new IllegalStateException("no applicable rule");
        });
        assertThatThrownBy(() -> TransientFailures.whileDatabaseAway(faulty, PAUSE, PAUSE)
                        .await()
                        .atMost(Duration.ofSeconds(10)))
                .hasMessageContaining("no applicable rule");
        assertThat(tried).hasValue(2);
    }

    @Test
    void anOutageDoesNotUseUpTheRetriesOfUnexplainedFailures() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<String> processing = Uni.createFrom().item(() -> {
            int attempt = attempts.incrementAndGet();
            if (attempt <= 6) {
                throw attempt % 2 == 0
                        ? new IllegalStateException("unexplained")
                        : new CompletionException(new ConnectException("Connection refused"));
            }
            return "stored";
        });

        assertThat(TransientFailures.retried(processing, PAUSE, PAUSE, 1)
                        .await()
                        .atMost(Duration.ofSeconds(10)))
                .isEqualTo("stored");
    }

    @Test
    void aStatementTheDatabaseRejectsIsNotAnOutage() {
        assertThat(TransientFailures.kindOf(new HibernateException(
                        new PgException("duplicate key value violates unique constraint", "ERROR", "23505", null))))
                .isEqualTo(TransientFailures.Kind.UNEXPLAINED);
        assertThat(TransientFailures.kindOf(new CompletionException(
                        new com.fasterxml.jackson.core.JsonParseException(null, "Unexpected character"))))
                .isEqualTo(TransientFailures.Kind.UNEXPLAINED);
        assertThat(TransientFailures.kindOf(new UnreadableEventException("not JSON")))
                .isEqualTo(TransientFailures.Kind.REJECTED);
    }
}
