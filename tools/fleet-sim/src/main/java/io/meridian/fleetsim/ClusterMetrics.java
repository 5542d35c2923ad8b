package io.meridian.fleetsim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Prometheus metrics of one cluster, computed from the pods and nodes it holds right now. Gauges follow
 * deterministic waves and jitter keyed by (seed, series, time); counters are monotonic. Served in the Prometheus text
 * format 0.0.4 or in OpenMetrics 1.0 text, by the request's Accept header; like a real fleet, where some exporters
 * predate OpenMetrics, a cluster with an odd seed answers 0.0.4 whatever it is asked, so scrapers meet both formats.
 */
final class ClusterMetrics {

    /** The exposition formats the metrics endpoint serves. */
    enum Format {
        PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
        OPENMETRICS_TEXT("application/openmetrics-text; version=1.0.0; charset=utf-8");

        private final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }

        String contentType() {
            return contentType;
        }
    }

    private static final double MIB = 1024.0 * 1024.0;

    private final String cluster;
    private final long seed;
    private final ClusterStore store;
    private final TrafficMatrix traffic;
    private volatile Spike spike = new Spike(1.0, Double.NEGATIVE_INFINITY, null);

    ClusterMetrics(String cluster, long seed, ClusterStore store, TrafficMatrix traffic) {
        this.cluster = cluster;
        this.seed = seed;
        this.store = store;
        this.traffic = traffic;
    }

    /** Multiplies CPU usage (of one namespace, or all when null) by {@code factor} until {@code untilSecond}. */
    void spike(double factor, double untilSecond, String namespace) {
        spike = new Spike(factor, untilSecond, namespace);
    }

    /** Whether this cluster's endpoint answers OpenMetrics when asked (an even seed) or always 0.0.4. */
    boolean speaksOpenMetrics() {
        return (seed & 1) == 0;
    }

    /** The format this cluster answers a request with this Accept header in. */
    Format formatFor(String accept) {
        return speaksOpenMetrics() ? negotiate(accept) : Format.PROMETHEUS_TEXT;
    }

    /**
     * The format an Accept header asks for: OpenMetrics when its quality is positive and not below text/plain's
     * (or {@code *}/{@code *}'s when text/plain is not named), else the 0.0.4 text format, which is also the answer to
     * no Accept header at all.
     */
    static Format negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return Format.PROMETHEUS_TEXT;
        }
        double openMetrics = 0;
        double text = -1;
        double any = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String media = parts[0].strip().toLowerCase(java.util.Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String[] param = parts[i].strip().split("=", 2);
                if (param.length == 2 && param[0].strip().equalsIgnoreCase("q")) {
                    try {
                        q = Double.parseDouble(param[1].strip());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            switch (media) {
                case "application/openmetrics-text" -> openMetrics = Math.max(openMetrics, q);
                case "text/plain" -> text = Math.max(text, q);
                case "*/*" -> any = Math.max(any, q);
                default -> {
                    // a type the endpoint does not serve
                }
            }
        }
        double rival = text >= 0 ? text : any;
        return openMetrics > 0 && openMetrics >= rival ? Format.OPENMETRICS_TEXT : Format.PROMETHEUS_TEXT;
    }

    /** The exposition text (0.0.4) at {@code second} seconds after the fleet started. */
    String render(double second) {
        return render(second, Format.PROMETHEUS_TEXT);
    }

    /** The exposition at {@code second} seconds after the fleet started, in {@code format}. */
    String render(double second, Format format) {
        boolean om = format == Format.OPENMETRICS_TEXT;
        List<Pod> pods = store.list(ResourceKind.of("Pod"), null, Pod.class);
        List<Node> nodes = store.list(ResourceKind.of("Node"), null, Node.class);
        Spike currentSpike = spike;

        Map<String, double[]> perNode = new TreeMap<>();
        nodes.forEach(n -> perNode.put(n.getMetadata().getName(), new double[2]));
        StringBuilder cpu = new StringBuilder();
        StringBuilder memory = new StringBuilder();
        StringBuilder restarts = new StringBuilder();
        for (Pod pod : pods) {
            if (pod.getSpec() == null || pod.getSpec().getNodeName() == null) {
                continue; // not scheduled (e.g. created by hand without a node): it runs nowhere and uses nothing
            }
            String ns = pod.getMetadata().getNamespace();
            String name = pod.getMetadata().getName();
            Map<String, Integer> restartCounts = new LinkedHashMap<>();
            if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
                for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
                    restartCounts.put(
                            status.getName(), status.getRestartCount() == null ? 0 : status.getRestartCount());
                }
            }
            for (Container container : pod.getSpec().getContainers()) {
                String series = ns + "/" + name + "/" + container.getName();
                long h = SplitMix.hash(seed, series);
                double spikeFactor = currentSpike.applies(ns, second) ? currentSpike.factor() : 1.0;
                double cores = request(container, "cpu", 0.1)
                        * (0.2 + 0.7 * SplitMix.unit(h))
                        * (1 + wave(h, second) + jitter(h, second))
                        * spikeFactor;
                double bytes = request(container, "memory", 128 * MIB)
                        * (0.45 + 0.5 * SplitMix.unit(h + 7))
                        * (1 + 0.05 * Math.sin(second / 300.0 + h % 100));
                int restarted = restartCounts.getOrDefault(container.getName(), 0);
                // Crash-looping containers keep restarting every five minutes or so.
                long restartTotal = restarted + (restarted >= 5 ? (long) (second / 300) : 0);
                String labels = labels("namespace", ns, "pod", name, "container", container.getName());
                sample(cpu, "container_cpu_usage_cores", labels, Math.max(0.001, cores));
                sample(memory, "container_memory_working_set_bytes", labels, Math.round(bytes));
                sample(restarts, "kube_pod_container_status_restarts_total", labels, restartTotal);
                double[] onNode = perNode.get(pod.getSpec().getNodeName());
                if (onNode != null) {
                    onNode[0] += Math.max(0.001, cores);
                    onNode[1] += bytes;
                }
            }
        }

        StringBuilder out = new StringBuilder(cpu.length() + memory.length() + restarts.length() + 4096);
        header(out, om, "node_cpu_usage_cores", "gauge", "CPU cores in use on the node, system daemons included.");
        for (Map.Entry<String, double[]> node : perNode.entrySet()) {
            long h = SplitMix.hash(seed, "node/" + node.getKey());
            double system = 0.15 + 0.1 * SplitMix.unit(h) + 0.05 * wave(h, second);
            sample(out, "node_cpu_usage_cores", labels("node", node.getKey()), node.getValue()[0] + system);
        }
        header(out, om, "node_memory_usage_bytes", "gauge", "Memory in use on the node, system daemons included.");
        for (Map.Entry<String, double[]> node : perNode.entrySet()) {
            long h = SplitMix.hash(seed, "node/" + node.getKey());
            double system = (700 + 300 * SplitMix.unit(h + 3)) * MIB;
            sample(
                    out,
                    "node_memory_usage_bytes",
                    labels("node", node.getKey()),
                    Math.round(node.getValue()[1] + system));
        }
        header(out, om, "kube_node_status_condition", "gauge", "The condition of a cluster node.");
        for (Node node : nodes) {
            String ready = readyStatus(node);
            for (String status : List.of("true", "false", "unknown")) {
                sample(
                        out,
                        "kube_node_status_condition",
                        labels("node", node.getMetadata().getName(), "condition", "Ready", "status", status),
                        status.equals(ready) ? 1 : 0);
            }
        }
        header(out, om, "container_cpu_usage_cores", "gauge", "CPU cores a container uses.");
        out.append(cpu);
        header(out, om, "container_memory_working_set_bytes", "gauge", "Current working set of a container in bytes.");
        out.append(memory);
        header(
                out,
                om,
                "kube_pod_container_status_restarts_total",
                "counter",
                "The number of container restarts per container.");
        out.append(restarts);
        header(
                out,
                om,
                "istio_tcp_sent_bytes_total",
                "counter",
                "Bytes sent by a workload to a workload in another cluster, reported by the source.");
        for (TrafficFlow flow : traffic.from(cluster)) {
            sample(
                    out,
                    "istio_tcp_sent_bytes_total",
                    labels(
                            "source_cluster", flow.from().cluster(),
                            "source_workload", flow.from().workload(),
                            "source_namespace", flow.from().namespace(),
                            "destination_cluster", flow.to().cluster(),
                            "destination_workload", flow.to().workload(),
                            "destination_namespace", flow.to().namespace()),
                    flow.totalAt(second));
        }
        if (om) {
            out.append("# EOF\n");
        }
        return out.toString();
    }

    private static String readyStatus(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return "unknown";
        }
        for (NodeCondition condition : node.getStatus().getConditions()) {
            if ("Ready".equals(condition.getType())) {
                return condition.getStatus() == null
                        ? "unknown"
                        : condition.getStatus().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return "unknown";
    }

    /** Slow and fast swings: a daily-ish trend and a minute-scale wobble, in [-0.35, 0.35]. */
    private static double wave(long h, double second) {
        double slow = 600 + (h & 0xFFF) % 3000;
        double fast = 45 + ((h >>> 16) & 0xFF) % 120;
        double phase = SplitMix.unit(h + 11) * 2 * Math.PI;
        return 0.25 * Math.sin(2 * Math.PI * second / slow + phase)
                + 0.1 * Math.sin(2 * Math.PI * second / fast + phase);
    }

    /** Noise that changes every ten seconds, in [-0.05, 0.05). */
    private static double jitter(long h, double second) {
        return (SplitMix.unit(h ^ (long) Math.floor(second / 10)) - 0.5) * 0.1;
    }

    private static double request(Container container, String resource, double fallback) {
        if (container.getResources() == null || container.getResources().getRequests() == null) {
            return fallback;
        }
        Quantity q = container.getResources().getRequests().get(resource);
        if (q == null) {
            return fallback;
        }
        BigDecimal amount = q.getNumericalAmount();
        return amount.doubleValue();
    }

    private static void header(StringBuilder out, boolean om, String name, String type, String help) {
        // OpenMetrics names a counter family without the _total its samples carry.
        String family = om && type.equals("counter") && name.endsWith("_total")
                ? name.substring(0, name.length() - "_total".length())
                : name;
        out.append("# HELP ").append(family).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(family).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name)
                .append(labels)
                .append(' ')
                .append(Math.round(value * 10_000) / 10_000.0)
                .append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, long value) {
        out.append(name).append(labels).append(' ').append(value).append('\n');
    }

    private static String labels(String... pairs) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                s.append(',');
            }
            s.append(pairs[i]).append("=\"").append(escape(pairs[i + 1])).append('"');
        }
        return s.append('}').toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private record Spike(double factor, double untilSecond, String namespace) {
        boolean applies(String ns, double second) {
            return second < untilSecond && (namespace == null || namespace.equals(ns));
        }
    }
}
