package io.meridian.placement.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventType;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.eventing.inbound.DeadLetters;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.eventing.inbound.TransientFailures;
import io.meridian.placement.domain.WorkloadSync;
import io.meridian.placement.persistence.DesiredBundleStore;
import io.meridian.placement.reconcile.PlacementReconciler;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Inventory's sync reports of placement's bundles from {@code fleet.sync.v1}, read per workload: a workload
 * generation is applied on a cluster when its own objects are (or the whole bundle that carried it is), so one object
 * that fails holds back only its own workload; the failed object is kept for the workload's health gate. This is half
 * of a rollout's health gate. The workloads whose applied generation or failure changed are looked at again. Other
 * owners' reports and drift events are not placement's (inventory repairs drift; the next report shows it). A readable
 * poll whose processing fails is retried with back-off while the database is away; an unreadable record goes to {@code
 * fleet.sync.v1.dlq}.
 */
@jakarta.enterprise.context.ApplicationScoped
public class SyncReportConsumer {

    private static final Logger LOG = Logger.getLogger(SyncReportConsumer.class);

    // A fleet of 100 clusters in one transaction; a replica reading the topic from the start locks no more at a time.
    private static final int REPORTS_PER_TRANSACTION = 100;

    private final Mutiny.SessionFactory sessions;
    private final DesiredBundleStore bundles;
    private final PlacementReconciler reconciler;
    private final DeadLetters deadLetters;
    private final ExecutorService letters = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("placement-sync-dead-letters").daemon().factory());
    // What this replica last saw per cluster and workload, to wake only the workloads a report moved.
    private final Map<String, Map<String, WorkloadSync.State>> lastSeen = new ConcurrentHashMap<>();

    SyncReportConsumer(
            Mutiny.SessionFactory sessions,
            DesiredBundleStore bundles,
            PlacementReconciler reconciler,
            DeadLetters deadLetters) {
        this.sessions = sessions;
        this.bundles = bundles;
        this.reconciler = reconciler;
        this.deadLetters = deadLetters;
    }

    /** A deregistered cluster's last report goes with it. */
    void forget(@jakarta.enterprise.event.Observes io.meridian.placement.reconcile.ClustersHeld held) {
        lastSeen.keySet().retainAll(held.clusterIds());
    }

    /**
     * A poll at a time: a change of 100 clusters brings 100 reports at once, and each took a transaction of its own.
     * An unreadable record goes to the dead-letter topic by itself ({@link DeadLetters}); the rest are processed in one
     * transaction per 100, retried while the database is away. Should that transaction fail otherwise, the reports are
     * processed one by one, so that only the one at fault is dead-lettered.
     */
    @Incoming("sync")
    public Uni<Void> onSync(ConsumerRecords<String, byte[]> records) {
        List<Read> reads = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                read(record).ifPresent(report -> reads.add(new Read(record, report)));
            } catch (RuntimeException e) {
                deadLetter(record, e);
            }
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < reads.size(); from += REPORTS_PER_TRANSACTION) {
            List<Read> slice = reads.subList(from, Math.min(reads.size(), from + REPORTS_PER_TRANSACTION));
            chain = chain.chain(() -> together(slice));
        }
        return chain;
    }

    private Uni<Void> together(List<Read> reads) {
        return TransientFailures.whileDatabaseAway(Uni.createFrom().deferred(() -> reported(reads)))
                .onFailure()
                .recoverWithUni(failure -> {
                    LOG.warnf(
                            "%d sync reports could not be processed together (%s); processing them one by one",
                            reads.size(), failure.getMessage());
                    return oneByOne(reads);
                });
    }

    /** A placement report of the record; empty for another owner's record or event type. */
    private static Optional<SyncReport> read(ConsumerRecord<String, byte[]> record) {
        String key = IncomingEvents.requireKey(record);
        if (!key.startsWith(DesiredBundleStore.OWNER + "/") || record.value() == null) {
            return Optional.empty();
        }
        CloudEvent event = IncomingEvents.read(record);
        if (EventType.of(event.type()).orElse(null) != EventType.SYNC_REPORTED) {
            return Optional.empty();
        }
        return Optional.of(IncomingEvents.data(event, SyncReport.class));
    }

    private Uni<Void> oneByOne(List<Read> reads) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Read read : reads) {
            chain = chain.chain(() -> TransientFailures.retried(
                            Uni.createFrom().deferred(() -> reported(List.of(read))))
                    .onFailure()
                    .recoverWithItem(failure -> {
                        deadLetter(read.record(), failure);
                        return null;
                    }));
        }
        return chain;
    }

    private Uni<Void> reported(List<Read> reads) {
        List<SyncReport> reports = reads.stream().map(Read::report).toList();
        return sessions.withTransaction(s -> bundles.reported(s, reports))
                .invoke(states -> {
                    for (int i = 0; i < reports.size(); i++) {
                        woken(reports.get(i).clusterId(), states.get(i));
                    }
                })
                .replaceWithVoid();
    }

    /** Wakes the workloads whose state on the cluster a report moved. */
    private void woken(String clusterId, Map<String, WorkloadSync.State> states) {
        Map<String, WorkloadSync.State> before = lastSeen.put(clusterId, Map.copyOf(states));
        List<String> moved = states.entrySet().stream()
                .filter(e -> before == null || !Objects.equals(before.get(e.getKey()), e.getValue()))
                .map(Map.Entry::getKey)
                .toList();
        reconciler.applied(moved);
    }

    /**
     * Off the event loop (the first dead letter creates the producer, and a send may wait for metadata), one at a time
     * in the order they are found: unreadable records while a poll is read, refused ones after their transaction.
     * Refused only while the service stops: the record stays in its topic, which every replica reads again from the
     * start.
     */
    private void deadLetter(ConsumerRecord<String, byte[]> record, Throwable failure) {
        try {
            letters.execute(() -> deadLetters.send(record, failure));
        } catch (RejectedExecutionException e) {
            LOG.warnf(
                    "record %s-%d@%d not dead-lettered: the service is stopping",
                    record.topic(), record.partition(), record.offset());
        }
    }

    /** Before the dead-letter producer closes (observers of the default priority): queued letters go out first. */
    void stop(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) throws InterruptedException {
        letters.shutdown();
        if (!letters.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.warn("dead letters still queued at shutdown stay in fleet.sync.v1, which is read again from the start");
        }
    }

    /** A readable report and the record it came in, for its dead letter. */
    private record Read(ConsumerRecord<String, byte[]> record, SyncReport report) {}
}
