package io.meridian.inventory.search;

import io.meridian.contracts.resource.Container;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * Every object the fleet holds, by key, grouped by cluster. Fed by every replica from the whole
 * {@code fleet.resources.v1} topic, so any replica answers any search. Queries scan the candidate
 * clusters' objects; 100,000 objects scan in a few milliseconds.
 */
@ApplicationScoped
public class ResourceIndex {

    /** One page of results, ordered by key; {@code nextCursor} is the last key of the page. */
    public record Page(List<ObservedResource> items, int total, String nextCursor) {}

    private final Map<String, ConcurrentSkipListMap<String, ObservedResource>> byCluster = new ConcurrentHashMap<>();
    private final Map<String, String> cloudOfCluster = new ConcurrentHashMap<>();

    public void put(ObservedResource resource) {
        byCluster
                .computeIfAbsent(resource.clusterId(), c -> new ConcurrentSkipListMap<>())
                .put(resource.key(), resource);
    }

    public void remove(String key) {
        String cluster = key.substring(0, Math.max(0, key.indexOf('/')));
        Map<String, ObservedResource> objects = byCluster.get(cluster);
        if (objects != null) {
            objects.remove(key);
        }
    }

    /**
     * Drops the objects of a cluster that a completed resync says are gone: last seen before it, of a kind it listed
     * completely (a kind it could not list keeps its objects). Returns their keys, so the cluster's owner can
     * tombstone them on the topic.
     */
    public List<String> purgeStale(ResyncMarker completed) {
        Map<String, ObservedResource> objects = byCluster.get(completed.clusterId());
        if (objects == null) {
            return List.of();
        }
        List<String> stale = objects.values().stream()
                .filter(r -> completed.removes(r.apiGroup(), r.kind(), r.resyncEpoch()))
                .map(ObservedResource::key)
                .toList();
        stale.forEach(objects::remove);
        return stale;
    }

    /** Forgets a deregistered cluster; returns the keys it held. */
    public List<String> forgetCluster(String cluster) {
        cloudOfCluster.remove(cluster);
        Map<String, ObservedResource> objects = byCluster.remove(cluster);
        return objects == null ? List.of() : List.copyOf(objects.keySet());
    }

    public void clusterCloud(String cluster, String cloud) {
        cloudOfCluster.put(cluster, cloud);
    }

    public int size() {
        return byCluster.values().stream().mapToInt(Map::size).sum();
    }

    public int size(String cluster) {
        Map<String, ObservedResource> objects = byCluster.get(cluster);
        return objects == null ? 0 : objects.size();
    }

    public Page search(ResourceQuery query, int limit, String cursor) {
        Predicate<ObservedResource> matches = matcher(query);
        List<String> clusters = byCluster.keySet().stream()
                .filter(c -> query.cluster() == null || query.cluster().equals(c))
                .filter(c -> query.cloud() == null || query.cloud().equals(cloudOfCluster.get(c)))
                .sorted()
                .toList();
        // Clusters in name order and each cluster's objects in key order give global key order,
        // because a key is "<cluster>/..." and '/' sorts before every character of a name.
        List<ObservedResource> page = new ArrayList<>(Math.min(limit, 1000));
        int total = 0;
        boolean more = false;
        for (String cluster : clusters) {
            Collection<ObservedResource> objects = byCluster.get(cluster).values();
            for (ObservedResource r : objects) {
                if (!matches.test(r)) {
                    continue;
                }
                total++;
                if (cursor == null || r.key().compareTo(cursor) > 0) {
                    if (page.size() < limit) {
                        page.add(r);
                    } else {
                        more = true;
                    }
                }
            }
        }
        return new Page(List.copyOf(page), total, more ? page.getLast().key() : null);
    }

    private static Predicate<ObservedResource> matcher(ResourceQuery q) {
        return r -> (q.kind() == null || q.kind().equalsIgnoreCase(r.kind()))
                && (q.namespace() == null || q.namespace().equals(r.namespace()))
                && (q.labelSelector() == null || q.labelSelector().matches(r.labels()))
                && (q.image() == null || anyImage(r, q))
                && (q.text() == null || r.name().contains(q.text()));
    }

    private static boolean anyImage(ObservedResource r, ResourceQuery q) {
        for (Container c : r.containers()) {
            if (c.image() != null && q.image().matches(c.image())) {
                return true;
            }
        }
        return false;
    }
}
