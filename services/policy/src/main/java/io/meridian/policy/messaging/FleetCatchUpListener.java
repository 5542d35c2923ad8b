package io.meridian.policy.messaging;

import io.meridian.policy.reconcile.FleetViewCatchUp;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells {@link FleetViewCatchUp} where each fleet-stream partition ended when it was assigned; the clusters and
 * resources channels name it.
 */
@ApplicationScoped
@Identifier("policy-fleet-catch-up")
public class FleetCatchUpListener implements KafkaConsumerRebalanceListener {

    private final FleetViewCatchUp catchUp;

    FleetCatchUpListener(FleetViewCatchUp catchUp) {
        this.catchUp = catchUp;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        catchUp.assigned(consumer, partitions);
    }
}
