package io.meridian.placement.messaging;

import io.meridian.eventing.Await;
import io.meridian.placement.persistence.ReconcileIndex;
import io.meridian.placement.reconcile.PlacementReconciler;
import io.meridian.placement.reconcile.WorkloadOwnership;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Turns the partitions of {@code fleet.placement.v1} that the group {@code placement-workload-owners} assigns to this
 * replica into the workloads it owns (ADR 0011), and looks at the workloads of gained partitions at once: their
 * previous owner may have left events unhandled.
 */
@ApplicationScoped
@Identifier("placement-workload-ownership")
public class WorkloadOwnershipListener implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(WorkloadOwnershipListener.class);

    private final WorkloadOwnership ownership;
    private final Mutiny.SessionFactory sessions;
    private final ReconcileIndex index;
    private final PlacementReconciler reconciler;

    WorkloadOwnershipListener(
            WorkloadOwnership ownership,
            Mutiny.SessionFactory sessions,
            ReconcileIndex index,
            PlacementReconciler reconciler) {
        this.ownership = ownership;
        this.sessions = sessions;
        this.index = index;
        this.reconciler = reconciler;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            ownership.joined();
            return;
        }
        String topic = assigned.iterator().next().topic();
        int count = consumer.partitionsFor(topic).size();
        Set<Integer> gained = ownership.assigned(count, partitions(assigned));
        LOG.infof("this replica now reconciles the workloads of partitions %s of %s", ownership.partitions(), topic);
        if (!gained.isEmpty()) {
            // Off the polling thread: the database may be slow, and the group must not take this consumer for dead.
            Infrastructure.getDefaultWorkerPool().execute(() -> resync(count, gained));
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
        if (revoked.isEmpty()) {
            return;
        }
        ownership.revoked(partitions(revoked));
        LOG.infof(
                "partitions %s revoked; this replica keeps the workloads of %s",
                partitions(revoked), ownership.partitions());
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
        onPartitionsRevoked(consumer, lost);
    }

    private void resync(int count, Set<Integer> gained) {
        try {
            List<String> names = Await.on(() -> sessions.withSession(index::workloads));
            List<String> mine = names.stream()
                    .filter(name -> WorkloadOwnership.in(name, count, gained))
                    .toList();
            reconciler.handedOver(mine);
            LOG.infof("partitions %s gained: %d workloads to look at", gained, mine.size());
        } catch (RuntimeException e) {
            LOG.warnf("partitions %s gained, but their workloads could not be listed (%s); the resync will", gained, e);
        }
    }

    private static Set<Integer> partitions(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    }
}
