package io.meridian.contracts;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The topic catalog of ARCHITECTURE.md. {@code clusterSegment} is the index of the clusterId in the
 * slash-separated key, so every stream about one cluster lands in one partition; -1 means the key is
 * not about a cluster and is hashed whole.
 */
public enum Topic {
    CLUSTERS("fleet.clusters.v1", "clusterId", 0, true, null, 6),
    RESOURCES("fleet.resources.v1", "clusterId/group/kind/namespace/name", 0, true, null, 12),
    DESIRED("fleet.desired.v1", "owner/clusterId", 1, true, null, 6),
    SYNC("fleet.sync.v1", "owner/clusterId", 1, true, null, 6),
    METRICS("fleet.metrics.v1", "clusterId", 0, false, Duration.ofDays(2), 6),
    COMPLIANCE("fleet.compliance.v1", "policy/clusterId/object", 1, true, null, 6),
    ACCESS("fleet.access.v1", "subject", -1, false, Duration.ofDays(90), 3),
    COST("fleet.cost.v1", "scope or rates/clusterId", -1, false, Duration.ofDays(90), 3),
    /**
     * Compacted, three keys per workload (see {@code PlacementKey}): its latest decision under the bare name, its latest
     * rollout fact and its latest failover fact under suffixed keys, so that compaction never drops a decision.
     */
    PLACEMENT("fleet.placement.v1", "workload, workload/rollout or workload/failover", -1, true, null, 3),
    ALERTS("fleet.alerts.v1", "fingerprint", -1, false, Duration.ofDays(30), 3),
    AUDIT("fleet.audit.v1", "actor or target", -1, false, Duration.ofDays(365), 3);

    /** Suffix of the dead-letter topic each consumer of a topic writes unprocessable records to. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    /** Dead-letter records are kept long enough for someone to look at them after a holiday. */
    public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);

    private final String topicName;
    private final String key;
    private final int clusterSegment;
    private final boolean compacted;
    private final Duration retention;
    private final int partitions;

    Topic(String topicName, String key, int clusterSegment, boolean compacted, Duration retention, int partitions) {
        this.topicName = topicName;
        this.key = key;
        this.clusterSegment = clusterSegment;
        this.compacted = compacted;
        this.retention = retention;
        this.partitions = partitions;
    }

    public String topicName() {
        return topicName;
    }

    /** What the record key is made of, as documented in the catalog. */
    public String key() {
        return key;
    }

    public int clusterSegment() {
        return clusterSegment;
    }

    public boolean compacted() {
        return compacted;
    }

    /** Time-based retention; empty for compacted topics, which keep the latest record per key forever. */
    public Optional<Duration> retention() {
        return Optional.ofNullable(retention);
    }

    /** Default partition count the bootstrap creates; deployments may choose more. */
    public int partitions() {
        return partitions;
    }

    public String deadLetterTopicName() {
        return topicName + DEAD_LETTER_SUFFIX;
    }

    /** The catalog entry for a topic name, if the name is one of Meridian's topics. */
    public static Optional<Topic> byName(String name) {
        return Arrays.stream(values()).filter(t -> t.topicName.equals(name)).findFirst();
    }

    /** The clusterId inside a key of this topic, or empty when the topic is not keyed by cluster. */
    public Optional<String> clusterIdOf(String recordKey) {
        if (clusterSegment < 0 || recordKey == null) {
            return Optional.empty();
        }
        String[] segments = recordKey.split("/", clusterSegment + 2);
        return segments.length > clusterSegment ? Optional.of(segments[clusterSegment]) : Optional.empty();
    }
}
