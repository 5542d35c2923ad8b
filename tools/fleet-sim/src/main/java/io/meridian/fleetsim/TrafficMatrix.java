package io.meridian.fleetsim;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/** Which workloads talk across clusters, and how much: the source of the Istio-style traffic metrics. */
public final class TrafficMatrix {

    private final long seed;
    private final List<TrafficFlow> flows = new CopyOnWriteArrayList<>();

    TrafficMatrix(long seed) {
        this.seed = seed;
    }

    /**
     * The default chatter of a fleet: each cluster's checkout calls payments in the next cluster, and its ETL worker
     * feeds Kafka in another one, at rates drawn from the seed.
     */
    void seedDefaults(List<String> clusters, double second) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x7261666669634CL);
        int n = clusters.size();
        if (n < 2) {
            return;
        }
        for (int i = 0; i < n; i++) {
            String here = clusters.get(i);
            String next = clusters.get((i + 1) % n);
            String other = clusters.get((i + 1 + random.nextInt(n - 1)) % n);
            add(
                    new Endpoint(here, "checkout", "checkout-api"),
                    new Endpoint(next, "payments", "payments-api"),
                    20_000 + random.nextInt(180_000),
                    second);
            add(
                    new Endpoint(here, "data", "etl-worker"),
                    new Endpoint(other, "data", "kafka"),
                    200_000 + random.nextInt(1_800_000),
                    second);
        }
    }

    /** Sets the rate of a flow, creating it if the pair did not talk yet. */
    public TrafficFlow set(Endpoint from, Endpoint to, double bytesPerSecond, double second) {
        for (TrafficFlow flow : flows) {
            if (flow.from().equals(from) && flow.to().equals(to)) {
                flow.rate(bytesPerSecond, second);
                return flow;
            }
        }
        return add(from, to, bytesPerSecond, second);
    }

    private TrafficFlow add(Endpoint from, Endpoint to, double bytesPerSecond, double second) {
        TrafficFlow flow = new TrafficFlow(from, to, bytesPerSecond, seed, second);
        flows.add(flow);
        return flow;
    }

    /** Flows whose source is in {@code cluster}: the source side reports them, as Istio's source reporter does. */
    public List<TrafficFlow> from(String cluster) {
        return flows.stream().filter(f -> f.from().cluster().equals(cluster)).toList();
    }

    public List<TrafficFlow> all() {
        return List.copyOf(flows);
    }
}
