package io.meridian.contracts.resource;

/** CPU and memory of a container's requests or limits; {@code null} means not set. */
public record ResourceAmounts(Long cpuMillis, Long memoryBytes) {

    /** Neither CPU nor memory set. */
    public static final ResourceAmounts NONE = new ResourceAmounts(null, null);
}
