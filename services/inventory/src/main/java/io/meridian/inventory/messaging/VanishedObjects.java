package io.meridian.inventory.messaging;

import io.meridian.inventory.connect.Presence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Decides which objects a completed resync called stale are tombstoned on {@code fleet.resources.v1}: only by the
 * replica that owns the cluster, and only those its connection says are gone now. A marker read late (a replay from
 * the start, a consumer behind a reconnect) thus never deletes an object that exists again; one the connection cannot
 * tell of yet (not connected, its kind not listed) is owed and looked at again when the cluster connects here and with
 * its next marker, so no deletion of an object that is gone is lost: a connection publishes its marker before it counts
 * as connected, so a consumer quick enough reads the marker of a resync while the connection still says UNKNOWN. An
 * object created again between the look and the tombstone is published again by its informer, after the tombstone.
 *
 * <p>Thread-safe: the view's consumer settles markers while connections report that they connected.
 */
final class VanishedObjects {

    private static final Logger LOG = Logger.getLogger(VanishedObjects.class);

    private final Predicate<String> owns;
    private final BiFunction<String, String, Presence> presence;
    private final BiConsumer<String, String> deletions;
    // Per cluster, the stale objects whose deletion is owed.
    private final Map<String, Set<String>> owed = new ConcurrentHashMap<>();

    /**
     * @param owns whether this replica owns a cluster
     * @param presence what this replica's connection to a cluster says of a record key now
     * @param deletions publishes the deletion of a cluster's record key
     */
    VanishedObjects(
            Predicate<String> owns,
            BiFunction<String, String, Presence> presence,
            BiConsumer<String, String> deletions) {
        this.owns = owns;
        this.presence = presence;
        this.deletions = deletions;
    }

    /** A completed resync of the cluster called {@code stale} stale: publishes the deletion of those gone. */
    void settle(String clusterId, List<String> stale) {
        publish(clusterId, judge(clusterId, stale));
    }

    /** The cluster (re)connected here: what its connection could not tell of before is looked at again. */
    void connected(String clusterId) {
        List<String> gone;
        synchronized (this) {
            if (!owed.containsKey(clusterId)) {
                return;
            }
            gone = judge(clusterId, List.of());
        }
        publish(clusterId, gone);
    }

    /**
     * Which of the stale objects (and those owed before) are gone now; those the connection cannot tell of are owed.
     * Under the lock, so that a marker and a connect judge one after the other; the publishing happens outside it, as
     * a send may block while the producer's buffer is full (a tombstone twice does no harm).
     */
    private synchronized List<String> judge(String clusterId, List<String> stale) {
        if (!owns.test(clusterId)) {
            owed.remove(clusterId);
            return List.of(); // the owner, which has a connection to ask, tombstones
        }
        // What was owed stays owed until this judgement is complete: a look that fails half-way loses nothing.
        Set<String> candidates = new TreeSet<>(stale);
        candidates.addAll(owed.getOrDefault(clusterId, Set.of()));
        List<String> gone = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        for (String key : candidates) {
            switch (presence.apply(clusterId, key)) {
                case GONE -> gone.add(key);
                case UNKNOWN -> unknown.add(key);
                case HELD -> {}
            }
        }
        if (unknown.isEmpty()) {
            owed.remove(clusterId);
        } else {
            owed.put(clusterId, unknown);
        }
        return gone;
    }

    private void publish(String clusterId, List<String> gone) {
        if (!gone.isEmpty()) {
            LOG.infof(
                    "cluster %s: %d objects vanished while it was away; publishing their deletion",
                    clusterId, gone.size());
            gone.forEach(key -> deletions.accept(clusterId, key));
        }
    }

    /** The cluster left the fleet: nothing is owed for it any more. */
    synchronized void forget(String clusterId) {
        owed.remove(clusterId);
    }

    /** The deletions owed for a cluster, for tests. */
    Set<String> owedFor(String clusterId) {
        return Set.copyOf(owed.getOrDefault(clusterId, Set.of()));
    }
}
