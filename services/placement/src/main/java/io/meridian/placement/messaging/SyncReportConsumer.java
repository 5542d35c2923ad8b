package io.meridian.placement.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventType;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.eventing.inbound.TransientFailures;
import io.meridian.placement.domain.WorkloadSync;
import io.meridian.placement.persistence.DesiredBundleStore;
import io.meridian.placement.reconcile.PlacementReconciler;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Inventory's sync reports of placement's bundles from {@code fleet.sync.v1}, read per workload: a workload
 * generation is applied on a cluster when its own objects are (or the whole bundle that carried it is), so one object
 * that fails holds back only its own workload; the failed object is kept for the workload's health gate. This is half
 * of a rollout's health gate. The workloads whose applied generation or failure changed are looked at again. Other
 * owners' reports and drift events are not placement's (inventory repairs drift; the next report shows it). A readable
 * record whose processing fails is retried with back-off; an unreadable one goes to {@code fleet.sync.v1.dlq}.
 */
@jakarta.enterprise.context.ApplicationScoped
public class SyncReportConsumer {

    private final Mutiny.SessionFactory sessions;
    private final DesiredBundleStore bundles;
    private final PlacementReconciler reconciler;
    // What this replica last saw per cluster and workload, to wake only the workloads a report moved.
    private final Map<String, Map<String, WorkloadSync.State>> lastSeen = new ConcurrentHashMap<>();

    SyncReportConsumer(Mutiny.SessionFactory sessions, DesiredBundleStore bundles, PlacementReconciler reconciler) {
        this.sessions = sessions;
        this.bundles = bundles;
        this.reconciler = reconciler;
    }

    /** A deregistered cluster's last report goes with it. */
    void forget(@jakarta.enterprise.event.Observes io.meridian.placement.reconcile.ClustersHeld held) {
        lastSeen.keySet().retainAll(held.clusterIds());
    }

    @Incoming("sync")
    public Uni<Void> onSync(ConsumerRecord<String, byte[]> record) {
        return TransientFailures.retried(Uni.createFrom().item(record).chain(r -> {
            String key = IncomingEvents.requireKey(r);
            if (!key.startsWith(DesiredBundleStore.OWNER + "/") || r.value() == null) {
                return Uni.createFrom().voidItem();
            }
            CloudEvent event = IncomingEvents.read(r);
            if (EventType.of(event.type()).orElse(null) != EventType.SYNC_REPORTED) {
                return Uni.createFrom().voidItem();
            }
            return reported(IncomingEvents.data(event, SyncReport.class));
        }));
    }

    private Uni<Void> reported(SyncReport report) {
        return sessions.withTransaction(s -> bundles.reported(s, report))
                .invoke(states -> {
                    Map<String, WorkloadSync.State> before = lastSeen.put(report.clusterId(), Map.copyOf(states));
                    List<String> moved = states.entrySet().stream()
                            .filter(e -> before == null || !Objects.equals(before.get(e.getKey()), e.getValue()))
                            .map(Map.Entry::getKey)
                            .toList();
                    reconciler.applied(moved);
                })
                .replaceWithVoid();
    }
}
