package io.meridian.observability.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.observability.domain.SeriesStore.SeriesId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesStoreTest {

    private static SeriesId id(String cluster, String pod) {
        return new SeriesId(cluster, "kube_pod_container_status_restarts_total", Map.of("pod", pod));
    }

    @Test
    void capsTheNumberOfSeriesButKeepsUpdatingKnownOnes() {
        SeriesStore store = new SeriesStore(2, 60_000);

        assertThat(store.append(id("a", "p1"), 1_000, 1)).isTrue();
        assertThat(store.append(id("a", "p2"), 1_000, 1)).isTrue();
        assertThat(store.append(id("a", "p3"), 1_000, 1)).isFalse();
        assertThat(store.append(id("a", "p1"), 2_000, 2)).isTrue();

        assertThat(store.size()).isEqualTo(2);
        assertThat(store.dropped()).isEqualTo(1);
    }

    @Test
    void keepsOnlyTheWindowAndForgetsEmptySeries() {
        SeriesStore store = new SeriesStore(10, 10_000);
        store.append(id("a", "p1"), 0, 1);
        store.append(id("a", "p1"), 5_000, 2);
        store.append(id("a", "p1"), 15_000, 3);

        assertThat(store.select(id("a", "p1").metric(), s -> true).getFirst().points())
                .extracting(SeriesStore.Point::value)
                .containsExactly(2.0, 3.0);

        assertThat(store.prune(40_000)).isEqualTo(1);
        assertThat(store.size()).isZero();
    }

    @Test
    void increaseTreatsADecreaseAsACounterReset() {
        SeriesStore store = new SeriesStore(10, 600_000);
        long[] times = {0, 10_000, 20_000, 30_000, 40_000};
        double[] values = {5, 7, 7, 2, 4};
        for (int i = 0; i < times.length; i++) {
            store.append(id("a", "p1"), times[i], values[i]);
        }
        var view = store.select(id("a", "p1").metric(), s -> true).getFirst();

        assertThat(view.increaseSince(0)).isEqualTo(2 + 0 + 2 + 2);
        assertThat(view.increaseSince(25_000)).isEqualTo(2 + 2);
    }

    @Test
    void aRedeliveredSampleReplacesInsteadOfDuplicating() {
        SeriesStore store = new SeriesStore(10, 600_000);
        store.append(id("a", "p1"), 1_000, 1);
        store.append(id("a", "p1"), 1_000, 1);
        store.append(id("a", "p1"), 500, 9);

        assertThat(store.select(id("a", "p1").metric(), s -> true).getFirst().points())
                .hasSize(1);
    }

    @Test
    void forgetsAClusterAndRefusesNonFiniteValues() {
        SeriesStore store = new SeriesStore(10, 600_000);
        store.append(id("a", "p1"), 1_000, 1);
        store.append(id("b", "p1"), 1_000, 1);
        assertThat(store.append(id("b", "p2"), 1_000, Double.NaN)).isFalse();

        store.forgetCluster("a");

        assertThat(store.size()).isEqualTo(1);
    }
}
