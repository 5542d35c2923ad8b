package io.meridian.cost.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Usage samples folded into hourly windows per cluster: gauge statistics per container and node, how many scrapes
 * saw each pod (how long it ran), and counter increases of cross-cluster traffic. Counters are cumulative: the
 * increase between consecutive samples of a series counts, a decrease is a counter reset (the new value counts).
 * Not thread-safe; the caller serialises access.
 */
public final class UsageLedger {

    public static final String CONTAINER_CPU = "container_cpu_usage_cores";
    public static final String CONTAINER_MEMORY = "container_memory_working_set_bytes";
    public static final String NODE_CPU = "node_cpu_usage_cores";
    public static final String NODE_MEMORY = "node_memory_usage_bytes";
    public static final String TCP_SENT = "istio_tcp_sent_bytes_total";

    /** What one cluster used in one hour. */
    public static final class HourUsage {
        private final Set<Instant> scrapes = new HashSet<>();
        private final Map<String, Set<Instant>> podScrapes = new HashMap<>();
        private final Map<String, SeriesStats> containerCpu = new HashMap<>();
        private final Map<String, SeriesStats> containerRam = new HashMap<>();
        private final Map<String, SeriesStats> nodeCpu = new HashMap<>();
        private final Map<String, SeriesStats> nodeRam = new HashMap<>();
        private final Map<List<String>, Double> traffic = new HashMap<>();

        public int scrapes() {
            return scrapes.size();
        }

        /** The share of this hour's scrapes that saw the pod; 1 when the hour had no scrapes at all. */
        public double runningFraction(String namespace, String pod) {
            if (scrapes.isEmpty()) {
                return 1.0;
            }
            Set<Instant> seen = podScrapes.get(namespace + "/" + pod);
            return seen == null ? 0.0 : (double) seen.size() / scrapes.size();
        }

        public boolean sawPod(String namespace, String pod) {
            return podScrapes.containsKey(namespace + "/" + pod);
        }

        public SeriesStats containerCpu(String namespace, String pod, String container) {
            return containerCpu.get(namespace + "/" + pod + "/" + container);
        }

        public SeriesStats containerRam(String namespace, String pod, String container) {
            return containerRam.get(namespace + "/" + pod + "/" + container);
        }

        public Map<String, SeriesStats> nodeCpu() {
            return nodeCpu;
        }

        public Map<String, SeriesStats> nodeRam() {
            return nodeRam;
        }

        /**
         * Bytes sent per flow in this hour, keyed by [source cluster, source namespace, source workload, destination
         * cluster, destination namespace, destination workload].
         */
        public Map<List<String>, Double> traffic() {
            return traffic;
        }
    }

    private final Map<String, Map<Instant, HourUsage>> byCluster = new HashMap<>();
    private final Map<String, Double> lastCounter = new HashMap<>();

    /** Folds one sample scraped from {@code cluster} at {@code scrapedAt} (its own timestamp, if any, wins). */
    public void record(
            String cluster, Instant scrapedAt, String metric, Map<String, String> labels, double value, Instant at) {
        if (!Double.isFinite(value)) {
            return;
        }
        Instant when = at != null ? at : scrapedAt;
        HourUsage hour = hour(cluster, when);
        hour.scrapes.add(scrapedAt);
        switch (metric) {
            case CONTAINER_CPU, CONTAINER_MEMORY -> {
                String ns = labels.get("namespace");
                String pod = labels.get("pod");
                String container = labels.get("container");
                if (ns == null || pod == null || container == null) {
                    return;
                }
                hour.podScrapes
                        .computeIfAbsent(ns + "/" + pod, k -> new HashSet<>())
                        .add(scrapedAt);
                Map<String, SeriesStats> target = metric.equals(CONTAINER_CPU) ? hour.containerCpu : hour.containerRam;
                target.computeIfAbsent(ns + "/" + pod + "/" + container, k -> new SeriesStats())
                        .add(value);
            }
            case NODE_CPU, NODE_MEMORY -> {
                String node = labels.get("node");
                if (node != null) {
                    (metric.equals(NODE_CPU) ? hour.nodeCpu : hour.nodeRam)
                            .computeIfAbsent(node, k -> new SeriesStats())
                            .add(value);
                }
            }
            case TCP_SENT -> {
                List<String> flow = List.of(
                        labels.getOrDefault("source_cluster", cluster),
                        labels.getOrDefault("source_namespace", ""),
                        labels.getOrDefault("source_workload", ""),
                        labels.getOrDefault("destination_cluster", ""),
                        labels.getOrDefault("destination_namespace", ""),
                        labels.getOrDefault("destination_workload", ""));
                String series = cluster + "|" + String.join("|", flow);
                Double previous = lastCounter.put(series, value);
                if (previous == null) {
                    return; // the first sample of a series is a baseline, not an increase
                }
                double increase = value >= previous ? value - previous : value;
                if (increase > 0) {
                    hour.traffic.merge(flow, increase, Double::sum);
                }
            }
            default -> {
                // other series (restarts, node conditions) do not bear on cost
            }
        }
    }

    /** The usage of a cluster in the hour starting at {@code hourStart}, if any was recorded. */
    public HourUsage usage(String cluster, Instant hourStart) {
        Map<Instant, HourUsage> hours = byCluster.get(cluster);
        return hours == null ? null : hours.get(hourStart);
    }

    /** Every hour start that holds usage of any cluster, in order. */
    public TreeSet<Instant> hours() {
        TreeSet<Instant> out = new TreeSet<>();
        byCluster.values().forEach(h -> out.addAll(h.keySet()));
        return out;
    }

    /** Forgets hours that started before {@code cutoff}. */
    public void forgetBefore(Instant cutoff) {
        byCluster.values().forEach(h -> h.keySet().removeIf(start -> start.isBefore(cutoff)));
    }

    public static Instant hourOf(Instant at) {
        return at.truncatedTo(ChronoUnit.HOURS);
    }

    public static final Duration HOUR = Duration.ofHours(1);

    private HourUsage hour(String cluster, Instant at) {
        return byCluster
                .computeIfAbsent(cluster, k -> new HashMap<>())
                .computeIfAbsent(hourOf(at), k -> new HourUsage());
    }
}
