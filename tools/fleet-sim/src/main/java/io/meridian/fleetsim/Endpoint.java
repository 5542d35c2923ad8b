package io.meridian.fleetsim;

/** A workload somewhere in the fleet: {@code cluster/namespace/workload}. */
public record Endpoint(String cluster, String namespace, String workload) {

    /** Parses {@code cluster/namespace/workload}. */
    public static Endpoint parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("/", -1);
        if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
            throw new IllegalArgumentException("expected cluster/namespace/workload, got '" + text + "'");
        }
        return new Endpoint(parts[0], parts[1], parts[2]);
    }

    @Override
    public String toString() {
        return cluster + "/" + namespace + "/" + workload;
    }
}
