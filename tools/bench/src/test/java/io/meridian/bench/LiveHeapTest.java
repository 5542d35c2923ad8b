package io.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LiveHeapTest {

    @Test
    void readsTheLiveBytesFromTheTotalLineOfAClassHistogram() {
        String histogram = """
                12345:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:        166920       13452312  [B (java.base@25)
                   2:        160540        3852960  java.lang.String (java.base@25)
                Total       1234567       98765432
                """;

        assertThat(LiveHeap.totalBytes(histogram)).isEqualTo(98_765_432L);
        assertThat(LiveHeap.mib(98_765_432L)).isEqualTo("94.2 MiB");
        assertThat(LiveHeap.top(histogram, 5))
                .containsExactly(
                        new LiveHeap.ClassShare("[B (java.base@25)", 166_920, 13_452_312),
                        new LiveHeap.ClassShare("java.lang.String (java.base@25)", 160_540, 3_852_960));
        assertThat(LiveHeap.top(histogram, 1)).hasSize(1);
    }

    @Test
    void anErrorOfJcmdIsNotAFigure() {
        assertThatThrownBy(() -> LiveHeap.totalBytes("12345:\ncom.sun.tools.attach.AttachNotSupportedException: gone"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AttachNotSupportedException");
    }

    @Test
    void measuresTheJvmThatRunsTheTest() {
        LiveHeap.Histogram heap = LiveHeap.of(ProcessHandle.current().pid(), 3);

        // This JVM holds at least the test framework's classes' objects, and never more than its maximum heap.
        assertThat(heap.totalBytes())
                .isPositive()
                .isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(heap.top())
                .hasSize(3)
                .allSatisfy(share -> assertThat(share.bytes()).isPositive().isLessThanOrEqualTo(heap.totalBytes()));
    }
}
