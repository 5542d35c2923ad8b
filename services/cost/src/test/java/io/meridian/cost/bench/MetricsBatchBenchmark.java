package io.meridian.cost.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.metrics.MetricsBatch;
import io.meridian.contracts.metrics.Sample;
import io.meridian.cost.domain.UsageLedger;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one scrape of one cluster costs on {@code fleet.metrics.v1} (not a test; surefire does not run it): writing
 * the batch (observability), reading it and folding it into the hourly usage (cost). A batch is shaped like the
 * simulator's scrape of a cluster with 100 pods on 5 nodes: 327 samples. {@code codec=binding} is Jackson's record
 * binding with the settings and modules of {@link EventJson} (its fast reader of instants included), as every batch
 * was handled before {@code MetricsBatchJson}; {@code codec=streaming} is {@link EventJson} itself. The trial fails
 * unless both read the batch alike. Run with
 * {@code tools/bench/bin/jmh cost io.meridian.cost.bench.MetricsBatchBenchmark}.
 */
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class MetricsBatchBenchmark {

    private static final ObjectMapper BINDING = EventJson.recordBinding();

    @Param({"streaming", "binding"})
    public String codec;

    private MetricsBatch batch;
    private byte[] bytes;
    private UsageLedger ledger;
    private Instant scrapedAt;

    @Setup(Level.Trial)
    public void scrape() {
        scrapedAt = Instant.parse("2026-12-07T21:16:20.513Z");
        List<Sample> samples = new ArrayList<>();
        for (int node = 0; node < 5; node++) {
            Map<String, String> labels = Map.of("node", "node-" + node);
            samples.add(new Sample(UsageLedger.NODE_CPU, labels, 1.5 + node, scrapedAt));
            samples.add(new Sample(UsageLedger.NODE_MEMORY, labels, 3.2e9 + node, scrapedAt));
            for (String status : List.of("true", "false", "unknown")) {
                samples.add(new Sample(
                        "kube_node_status_condition",
                        Map.of("node", "node-" + node, "condition", "Ready", "status", status),
                        status.equals("true") ? 1 : 0,
                        scrapedAt));
            }
        }
        for (int pod = 0; pod < 100; pod++) {
            Map<String, String> labels = Map.of(
                    "namespace", "team-" + pod % 7, "pod", "web-" + pod + "-7d9f8b6c5d-x2k4p", "container", "app");
            samples.add(new Sample(UsageLedger.CONTAINER_CPU, labels, 0.0421337 * (pod + 1), scrapedAt));
            samples.add(new Sample(UsageLedger.CONTAINER_MEMORY, labels, 1.34217728e8 + pod, scrapedAt));
            samples.add(new Sample("kube_pod_container_status_restarts_total", labels, pod % 3, scrapedAt));
        }
        samples.add(new Sample(
                UsageLedger.TCP_SENT,
                Map.of(
                        "source_cluster", "aws-prod-1",
                        "source_workload", "web",
                        "source_namespace", "team-1",
                        "destination_cluster", "gcp-prod-1",
                        "destination_workload", "db",
                        "destination_namespace", "team-1"),
                9.8304e8,
                scrapedAt));
        batch = new MetricsBatch("aws-prod-1", scrapedAt, samples);
        bytes = EventJson.write(batch);
        try {
            if (!EventJson.read(bytes, MetricsBatch.class).equals(BINDING.readValue(bytes, MetricsBatch.class))
                    || !java.util.Arrays.equals(bytes, BINDING.writeValueAsBytes(batch))) {
                throw new IllegalStateException("the streaming codec and the binding disagree on the batch");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Setup(Level.Iteration)
    public void freshLedger() {
        ledger = new UsageLedger();
    }

    @Benchmark
    public byte[] write() throws IOException {
        return codec.equals("streaming") ? EventJson.write(batch) : BINDING.writeValueAsBytes(batch);
    }

    @Benchmark
    public MetricsBatch read() throws IOException {
        return codec.equals("streaming")
                ? EventJson.read(bytes, MetricsBatch.class)
                : BINDING.readValue(bytes, MetricsBatch.class);
    }

    /** What cost does with a batch: read it and fold every sample into the hour's usage. */
    @Benchmark
    public UsageLedger readAndFold() throws IOException {
        MetricsBatch read = read();
        for (Sample s : read.samples()) {
            ledger.record(read.clusterId(), read.scrapedAt(), s.metric(), s.labels(), s.value(), s.timestamp());
        }
        return ledger;
    }
}
