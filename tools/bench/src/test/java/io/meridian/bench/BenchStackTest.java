package io.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchStackTest {

    @Test
    void servicesRunWithTheJvmsOwnDefaultsUnlessARunAsksForOptions() {
        assertThat(BenchStack.jvmOptions(Map.of(), "inventory")).isEmpty();
        assertThat(BenchStack.jvmOptions(Map.of("BENCH_SERVICE_JAVA_OPTS", "  "), "inventory"))
                .isEmpty();
    }

    @Test
    void everyServiceGetsTheCommonOptionsAndEachItsOwnAfterThem() {
        Map<String, String> environment = Map.of(
                "BENCH_SERVICE_JAVA_OPTS", "  -XX:StartFlightRecording=filename=/tmp/%p.jfr   -Xlog:gc ",
                "BENCH_INVENTORY_JAVA_OPTS", "-Xmx1152m -XX:+UseG1GC",
                "BENCH_IDENTITY_JAVA_OPTS", "-Xmx576m");

        assertThat(BenchStack.jvmOptions(environment, "inventory"))
                .containsExactly(
                        "-XX:StartFlightRecording=filename=/tmp/%p.jfr", "-Xlog:gc", "-Xmx1152m", "-XX:+UseG1GC");
        assertThat(BenchStack.jvmOptions(environment, "observability"))
                .containsExactly("-XX:StartFlightRecording=filename=/tmp/%p.jfr", "-Xlog:gc");
    }
}
