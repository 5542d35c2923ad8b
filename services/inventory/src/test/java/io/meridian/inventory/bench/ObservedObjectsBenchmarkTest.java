package io.meridian.inventory.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keeps the benchmark honest: it reads every kind inventory watches, and writes a record for every object listed. */
class ObservedObjectsBenchmarkTest {

    @Test
    void everyListedObjectOfEveryWatchedKindBecomesARecord() {
        ObservedObjectsBenchmark.Cluster cluster = new ObservedObjectsBenchmark.Cluster();
        cluster.objects = 200;
        cluster.capture();

        assertThat(cluster.lists).hasSize(14);
        assertThat(cluster.count).isGreaterThan(150);
        assertThat(ObservedObjectsBenchmark.run(cluster.serialization, cluster.mapper, cluster.lists))
                .isEqualTo(cluster.count);
    }
}
