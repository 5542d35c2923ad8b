package io.meridian.cost.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.metrics.MetricsBatch;
import io.meridian.cost.reconcile.CostModel;
import io.meridian.eventing.inbound.IncomingEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Usage scrapes from {@code fleet.metrics.v1}, one batch per cluster and scrape, folded into hourly usage. Unreadable
 * records go to {@code fleet.metrics.v1.dlq}.
 */
public class MetricsConsumer {

    private final CostModel model;

    MetricsConsumer(CostModel model) {
        this.model = model;
    }

    @Incoming("metrics")
    public void onBatch(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = IncomingEvents.read(record);
        model.metrics(IncomingEvents.data(event, MetricsBatch.class));
    }
}
