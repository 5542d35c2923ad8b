package io.meridian.observability.domain;

import io.meridian.contracts.metrics.MetricsBatch;
import io.meridian.contracts.metrics.Sample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Recent samples of the fleet's series, bounded twice: at most {@code maxSeries} series (new series beyond
 * the cap are dropped and counted, existing ones keep updating) and, per series, only points within
 * {@code windowMillis} of the newest sample. Thread-safe: consumers append while evaluators read.
 */
public final class SeriesStore {

    /** A series: the cluster it was scraped from, its metric name and its scraped labels (sorted). */
    public record SeriesId(String cluster, String metric, Map<String, String> labels) {
        public SeriesId {
            labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        }
    }

    /** One sample of a series. */
    public record Point(long timeMillis, double value) {}

    /** A series and a copy of its points in the window, oldest first. */
    public record SeriesView(SeriesId id, List<Point> points) {
        public Optional<Point> latest() {
            return points.isEmpty() ? Optional.empty() : Optional.of(points.getLast());
        }

        /**
         * How much a counter grew since {@code fromMillis}: the sum of increases between consecutive points,
         * a decrease being a counter reset (the new value is then all increase).
         */
        public double increaseSince(long fromMillis) {
            double increase = 0;
            Point previous = null;
            for (Point p : points) {
                if (p.timeMillis() < fromMillis) {
                    previous = p;
                    continue;
                }
                if (previous != null) {
                    double delta = p.value() - previous.value();
                    increase += delta >= 0 ? delta : p.value();
                }
                previous = p;
            }
            return increase;
        }
    }

    private static final class Series {
        private final ArrayDeque<Point> points = new ArrayDeque<>();
    }

    /** Metric name -> cluster -> series: rules and health read one metric of one cluster at a time. */
    private final Map<String, Map<String, Map<SeriesId, Series>>> byMetric = new ConcurrentHashMap<>();

    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final int maxSeries;
    private final long windowMillis;

    public SeriesStore(int maxSeries, long windowMillis) {
        this.maxSeries = maxSeries;
        this.windowMillis = windowMillis;
    }

    /** Adds every sample of one scrape; a sample without its own time takes the scrape's. */
    public void appendAll(MetricsBatch batch) {
        for (Sample s : batch.samples()) {
            long t = (s.timestamp() == null ? batch.scrapedAt() : s.timestamp()).toEpochMilli();
            append(new SeriesId(batch.clusterId(), s.metric(), s.labels()), t, s.value());
        }
    }

    /** Adds a sample; false when the series is new and the store is full (the sample is dropped). */
    public boolean append(SeriesId id, long timeMillis, double value) {
        if (!Double.isFinite(value)) {
            return false;
        }
        Map<SeriesId, Series> series = byMetric.computeIfAbsent(id.metric(), m -> new ConcurrentHashMap<>())
                .computeIfAbsent(id.cluster(), c -> new ConcurrentHashMap<>());
        Series s = series.get(id);
        if (s == null) {
            if (size.get() >= maxSeries) {
                dropped.incrementAndGet();
                return false;
            }
            Series created = new Series();
            s = series.putIfAbsent(id, created);
            if (s == null) {
                s = created;
                size.incrementAndGet();
            }
        }
        synchronized (s) {
            if (!s.points.isEmpty() && s.points.getLast().timeMillis() > timeMillis) {
                return true; // an older sample arriving late adds nothing to "recent"
            }
            if (!s.points.isEmpty() && s.points.getLast().timeMillis() == timeMillis) {
                s.points.removeLast(); // a redelivered batch replaces, never duplicates
            }
            s.points.addLast(new Point(timeMillis, value));
            long cutoff = timeMillis - windowMillis;
            while (!s.points.isEmpty() && s.points.getFirst().timeMillis() < cutoff) {
                s.points.removeFirst();
            }
        }
        return true;
    }

    /** Drops points older than the window and series left empty; returns how many series were removed. */
    public int prune(long nowMillis) {
        long cutoff = nowMillis - windowMillis;
        int removed = 0;
        for (Map<String, Map<SeriesId, Series>> clusters : byMetric.values()) {
            for (Map<SeriesId, Series> series : clusters.values()) {
                Iterator<Map.Entry<SeriesId, Series>> it = series.entrySet().iterator();
                while (it.hasNext()) {
                    Series s = it.next().getValue();
                    boolean empty;
                    synchronized (s) {
                        while (!s.points.isEmpty() && s.points.getFirst().timeMillis() < cutoff) {
                            s.points.removeFirst();
                        }
                        empty = s.points.isEmpty();
                    }
                    if (empty) {
                        it.remove();
                        size.decrementAndGet();
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    /** Forgets every series of a cluster, e.g. when it is deregistered. */
    public void forgetCluster(String cluster) {
        for (Map<String, Map<SeriesId, Series>> clusters : byMetric.values()) {
            Map<SeriesId, Series> gone = clusters.remove(cluster);
            if (gone != null) {
                size.addAndGet(-gone.size());
            }
        }
    }

    /** The series of a metric whose cluster and labels match, with their points in the window. */
    public List<SeriesView> select(String metric, Predicate<SeriesId> match) {
        Map<String, Map<SeriesId, Series>> clusters = byMetric.get(metric);
        if (clusters == null) {
            return List.of();
        }
        List<SeriesView> out = new ArrayList<>();
        clusters.values().forEach(series -> collect(series, match, false, out));
        return out;
    }

    /** The series of a metric of one cluster whose labels match, with their points in the window. */
    public List<SeriesView> select(String metric, String cluster, Predicate<SeriesId> match) {
        return select(metric, cluster, match, false);
    }

    /**
     * Like {@link #select(String, String, Predicate)}; with {@code latestOnly} each view holds only its newest
     * point, which is all most signals need and saves copying the window.
     */
    public List<SeriesView> select(String metric, String cluster, Predicate<SeriesId> match, boolean latestOnly) {
        Map<String, Map<SeriesId, Series>> clusters = byMetric.get(metric);
        Map<SeriesId, Series> series = clusters == null ? null : clusters.get(cluster);
        if (series == null) {
            return List.of();
        }
        List<SeriesView> out = new ArrayList<>();
        collect(series, match, latestOnly, out);
        return out;
    }

    private static void collect(
            Map<SeriesId, Series> series, Predicate<SeriesId> match, boolean latestOnly, List<SeriesView> out) {
        series.forEach((id, s) -> {
            if (match.test(id)) {
                List<Point> copy;
                synchronized (s) {
                    copy = s.points.isEmpty()
                            ? List.of()
                            : latestOnly ? List.of(s.points.getLast()) : List.copyOf(s.points);
                }
                if (!copy.isEmpty()) {
                    out.add(new SeriesView(id, copy));
                }
            }
        });
    }

    public int size() {
        return size.get();
    }

    /** New series refused because the store was full, since start. */
    public long dropped() {
        return dropped.get();
    }

    public int maxSeries() {
        return maxSeries;
    }
}
