package io.meridian.observability.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** Hands the fleet view's partition assignments to {@link FleetCatchUp}. */
@ApplicationScoped
@Identifier("fleet-catch-up")
public class FleetCatchUpListener implements KafkaConsumerRebalanceListener {

    private final FleetCatchUp catchUp;

    FleetCatchUpListener(FleetCatchUp catchUp) {
        this.catchUp = catchUp;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        catchUp.assigned(consumer, partitions);
    }
}
