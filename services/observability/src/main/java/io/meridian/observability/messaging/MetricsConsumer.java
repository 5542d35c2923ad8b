package io.meridian.observability.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventType;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.UnreadableEventException;
import io.meridian.contracts.metrics.MetricsBatch;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.observability.domain.SeriesStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Feeds the series store from {@code fleet.metrics.v1}, every replica in its own group from the newest
 * records: each replica scrapes only its own clusters but judges the whole fleet. A replica's own batches went into
 * its store when it scraped them ({@code MetricsScraper}); reading them back cost a consumer at rest most of its CPU,
 * so they are skipped by their replica header before they are read.
 */
public class MetricsConsumer {

    private static final Logger LOG = Logger.getLogger(MetricsConsumer.class);

    private final SeriesStore store;
    private final MetricsPublisher publisher;
    private final Counter unreadable;

    MetricsConsumer(SeriesStore store, MetricsPublisher publisher, MeterRegistry registry) {
        this.store = store;
        this.publisher = publisher;
        this.unreadable = Counter.builder("meridian.observability.metrics.unreadable")
                .description("Metrics batches the series store could not read and skipped")
                .register(registry);
    }

    @Incoming("fleet-metrics")
    public void onBatch(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            if (publisher.publishedHere(record.headers())) {
                continue; // stored when it was scraped, without reading it back
            }
            try {
                CloudEvent event = CloudEventHeaders.read(record.headers(), record.value());
                if (EventType.of(event.type()).orElse(null) != EventType.METRICS_SAMPLED) {
                    continue;
                }
                store.appendAll(IncomingEvents.data(event, MetricsBatch.class));
            } catch (UnreadableEventException | IllegalArgumentException | NullPointerException e) {
                unreadable.increment();
                LOG.warnf(
                        "skipping unreadable metrics record %s-%d@%d: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
    }
}
