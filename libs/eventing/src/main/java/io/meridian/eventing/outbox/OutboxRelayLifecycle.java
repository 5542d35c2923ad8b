package io.meridian.eventing.outbox;

import io.agroal.api.AgroalDataSource;
import io.meridian.contracts.kafka.ClusterKeyPartitioner;
import io.meridian.eventing.EventingConfig;
import io.meridian.eventing.kafka.KafkaConnection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/** Starts the outbox relay with the service and stops it with the service. */
@ApplicationScoped
public class OutboxRelayLifecycle {

    private static final Logger LOG = Logger.getLogger(OutboxRelayLifecycle.class);

    private final AgroalDataSource dataSource;
    private final EventingConfig config;
    private final MeterRegistry registry;
    private final KafkaConnection kafka;
    private KafkaProducer<String, byte[]> producer;
    private OutboxRelay relay;

    OutboxRelayLifecycle(
            AgroalDataSource dataSource, EventingConfig config, MeterRegistry registry, KafkaConnection kafka) {
        this.dataSource = dataSource;
        this.config = config;
        this.registry = registry;
        this.kafka = kafka;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.outbox().relayEnabled()) {
            LOG.info("outbox relay disabled by meridian.eventing.outbox.relay-enabled=false");
            return;
        }
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
        relay = new OutboxRelay(
                        dataSource,
                        producer,
                        new OutboxRelay.Options(
                                config.outbox().batchSize(),
                                config.outbox().idleWait(),
                                config.outbox().retryBackoff(),
                                OutboxRelay.lockKeyOf(config.service())))
                .start();
        FunctionCounter.builder("meridian.outbox.relayed", relay, OutboxRelay::relayedCount)
                .description("Outbox records published to Kafka and acknowledged")
                .register(registry);
        FunctionCounter.builder("meridian.outbox.dead_lettered", relay, OutboxRelay::deadLetteredCount)
                .description("Outbox rows Kafka refused for what they are (e.g. too large for the topic), moved to"
                        + " the outbox_dead_letter table; the log says how to publish one after fixing the cause")
                .register(registry);
        registry.gauge("meridian.outbox.leader", relay, r -> r.isLeader() ? 1 : 0);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (relay != null) {
            relay.stop();
        }
        if (producer != null) {
            producer.close();
        }
    }

    /** The relay, while running; for health checks and tests. */
    public OutboxRelay relay() {
        return relay;
    }

    private Properties producerConfig() {
        return kafka.clientProperties(
                config.service() + "-outbox-relay",
                Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        "true",
                        ProducerConfig.LINGER_MS_CONFIG,
                        "2",
                        // The limit Outbox checks when an event is written: what it accepts, this producer sends.
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        Integer.toString(config.outbox().maxRecordBytes()),
                        ProducerConfig.PARTITIONER_CLASS_CONFIG,
                        ClusterKeyPartitioner.class.getName()));
    }
}
