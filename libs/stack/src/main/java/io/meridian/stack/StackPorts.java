package io.meridian.stack;

import java.util.Map;

/**
 * The ports of one local stack. Each user of a stack has its own set, all below Linux's ephemeral range (32768-60999,
 * where outgoing connections take their ports) and apart from a developer's stack (9092, 9093, 15432, 8180), so the
 * system tests, a benchmark and a demo can run on one machine at once.
 */
public record StackPorts(int kafka, int kafkaController, int postgres, int keycloak) {

    /** The system tests' stack. */
    public static final StackPorts SYSTEM_TESTS = new StackPorts(19092, 19093, 25432, 18180);

    /** The benchmarks' stack. */
    public static final StackPorts BENCH = new StackPorts(29092, 29093, 27432, 28180);

    /** The variables through which {@code bin/meridian} takes these ports. */
    Map<String, String> environment() {
        return Map.of(
                "MERIDIAN_KAFKA_PORT", Integer.toString(kafka),
                "MERIDIAN_KAFKA_CONTROLLER_PORT", Integer.toString(kafkaController),
                "MERIDIAN_PG_PORT", Integer.toString(postgres),
                "MERIDIAN_KEYCLOAK_PORT", Integer.toString(keycloak));
    }
}
