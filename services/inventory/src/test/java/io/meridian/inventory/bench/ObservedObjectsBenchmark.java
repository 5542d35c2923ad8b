package io.meridian.inventory.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.fleetsim.Fleet;
import io.meridian.fleetsim.FleetOptions;
import io.meridian.inventory.observe.ObservedResourceMapper;
import io.meridian.inventory.observe.WatchedKind;
import io.meridian.inventory.observe.WatchedKinds;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What inventory spends per observed object before Kafka (not a test; surefire does not run it): the list answers of
 * one simulated cluster (every watched kind, as its API server sends them: defaults, managedFields, status) parsed
 * into fabric8's model as the cluster client does, mapped to an {@link ObservedResource} and written as the
 * {@code fleet.resources.v1} record value. The score is per list round over the whole cluster; divide by the object
 * count printed at setup for the cost per object ({@code -prof gc} adds the bytes allocated). Run with
 * {@code tools/bench/bin/jmh inventory ObservedObjectsBenchmark -prof gc}.
 */
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
@Threads(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class ObservedObjectsBenchmark {

    /** One cluster's list answers, captured once per trial from the simulator (not timed). */
    @State(Scope.Thread)
    public static class Cluster {

        @Param({"1000"})
        public int objects;

        // One serialization for every cluster client, as inventory's ClusterClients shares one.
        final KubernetesSerialization serialization = new KubernetesSerialization();
        final ObservedResourceMapper mapper = new ObservedResourceMapper();
        final List<byte[]> lists = new ArrayList<>();
        int count;

        @Setup
        public void capture() {
            try (Fleet fleet = Fleet.start(
                    FleetOptions.defaults().withClusters(1).withSeed(7).withObjectsPerCluster(objects))) {
                KubernetesClient client = fleet.clusters().getFirst().client();
                for (WatchedKind kind : WatchedKinds.withConfigured(List.of())) {
                    var list = client.genericKubernetesResources(kind.apiVersion(), kind.kind())
                            .inAnyNamespace()
                            .list();
                    list.setApiVersion(kind.apiVersion());
                    list.setKind(kind.kind() + "List");
                    count += list.getItems().size();
                    lists.add(serialization.asJson(list).getBytes(StandardCharsets.UTF_8));
                }
            }
            System.out.printf("%n%d objects in %d lists, %d bytes%n", count, lists.size(), bytes());
        }

        private long bytes() {
            return lists.stream().mapToLong(b -> b.length).sum();
        }
    }

    @Benchmark
    public long listParseMapWrite(Cluster cluster) {
        return run(cluster.serialization, cluster.mapper, cluster.lists);
    }

    /** Parses every list, maps each object and writes its record value; how many records were written. */
    static long run(KubernetesSerialization serialization, ObservedResourceMapper mapper, List<byte[]> lists) {
        long written = 0;
        Instant now = Instant.now();
        for (byte[] json : lists) {
            KubernetesResourceList<?> list = serialization.unmarshal(new ByteArrayInputStream(json));
            for (HasMetadata item : list.getItems()) {
                if (EventJson.write(mapper.map("bench", item, 1, now)).length > 0) {
                    written++;
                }
            }
        }
        return written;
    }
}
