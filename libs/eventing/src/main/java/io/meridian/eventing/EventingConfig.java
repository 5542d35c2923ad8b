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
    }

    /** Consumer-side settings. */
    interface Inbound {
        /** How long processed event ids are remembered; must exceed any redelivery window. */
        @WithDefault("P7D")
        Duration processedRetention();
    }
}
