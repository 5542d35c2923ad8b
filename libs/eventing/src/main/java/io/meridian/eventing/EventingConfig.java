package io.meridian.eventing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the shared eventing pieces ({@code meridian.eventing.*}). */
@ConfigMapping(prefix = "meridian.eventing")
public interface EventingConfig {

    /** The name this service signs its events and audit records with, e.g. {@code inventory}. */
    @WithDefault("${quarkus.application.name}")
    String service();

    Outbox outbox();

    Inbound inbound();

    FleetView fleetView();

    /** The in-memory fleet view a service builds from compacted fleet topics, if it builds one. */
    interface FleetView {
        /**
         * The topics the view must have been assigned and read up to where they ended then before it counts as caught
         * up; none: the first assignment, of whatever topics, will do.
         */
        java.util.Optional<java.util.List<String>> streams();
    }

    /** Outbox relay settings. */
    interface Outbox {
        /** Whether this process relays the outbox; one replica at a time does, by a database lock. */
        @WithDefault("true")
        boolean relayEnabled();

        /** Rows published per round trip. */
        @WithDefault("500")
        int batchSize();

        /** Longest wait for a commit notification before looking at the table anyway. */
        @WithDefault("1s")
        Duration idleWait();

        /** Pause after a failure (broker or database away) before trying again; doubles up to 30 s. */
        @WithDefault("500ms")
        Duration retryBackoff();

        /**
         * The largest Kafka record an event may become, counted as the producer counts it (key, value, headers and
         * record overhead). {@link io.meridian.eventing.outbox.Outbox} refuses a larger event when it is written,
         * and the relay's producer takes this value as its {@code max.request.size}, so every row the outbox accepts
         * is one the producer sends. The default stays under Kafka's 1 MiB defaults ({@code max.request.size}
         * 1,048,576; the broker's {@code message.max.bytes} 1,048,588); keep it at or below the {@code
         * max.message.bytes} of every topic the service writes, or the broker refuses what the outbox accepted and
         * the relay parks it in {@code outbox_dead_letter}.
         */
        @WithDefault("1000000")
        int maxRecordBytes();
    }

    /** Consumer-side settings. */
    interface Inbound {
        /** How long processed event ids are remembered; must exceed any redelivery window. */
        @WithDefault("P7D")
        Duration processedRetention();

        /**
         * First pause before a consumer processes a record again after a failure that may pass; it doubles up to
         * {@link #retryMaxBackoff()} ({@link io.meridian.eventing.inbound.TransientFailures}).
         */
        @WithDefault("500ms")
        Duration retryFirstBackoff();

        /** Longest pause between two attempts, so a consumer notices within this long that its database is back. */
        @WithDefault("30s")
        Duration retryMaxBackoff();

        /**
         * How many times a failure nobody explained is retried before the record goes to its dead-letter topic (15:
         * about five minutes). A database outage does not count: it is waited out however long it lasts.
         */
        @WithDefault("15")
        int unexplainedRetries();
    }
}
