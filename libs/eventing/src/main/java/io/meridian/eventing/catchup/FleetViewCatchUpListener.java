package io.meridian.eventing.catchup;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells {@link FleetViewCatchUp} where each fleet-stream partition ended when it was assigned; every channel feeding
 * the view names it: {@code mp.messaging.incoming.<channel>.consumer-rebalance-listener.name=fleet-catch-up}.
 */
@ApplicationScoped
@Identifier("fleet-catch-up")
public class FleetViewCatchUpListener implements KafkaConsumerRebalanceListener {

    private final FleetViewCatchUp catchUp;

    FleetViewCatchUpListener(FleetViewCatchUp catchUp) {
        this.catchUp = catchUp;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        catchUp.assigned(consumer, partitions);
    }
}
