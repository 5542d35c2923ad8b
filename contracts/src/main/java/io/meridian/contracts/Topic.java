package io.meridian.contracts;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The topic catalog of ARCHITECTURE.md. {@code clusterSegment} is the index of the clusterId in the
 * slash-separated key, so every stream about one cluster lands in one partition; -1 means the key is
 * not about a cluster and is hashed whole.
 *
 * <p>Desired bundles and audit records travel on one topic per producer ({@link Family}): Kafka authorizes per topic,
 * so a topic of its own is what lets an ACL say "identity writes only identity's bundles" and "each service writes
 * only its own audit records" (ADR 0010).
 */
public enum Topic {
    CLUSTERS("fleet.clusters.v1", "clusterId", 0, true, null, 6),
    RESOURCES("fleet.resources.v1", "clusterId/group/kind/namespace/name", 0, true, null, 12),
    /** Identity's desired RBAC bundles; the owner segment of every key is {@code identity}. */
    DESIRED_IDENTITY(Family.DESIRED, "identity"),
    /** Policy's desired admission-policy and enforcement bundles. */
    DESIRED_POLICY(Family.DESIRED, "policy"),
    /** Placement's desired workload bundles. */
    DESIRED_PLACEMENT(Family.DESIRED, "placement"),
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
    AUDIT_INVENTORY(Family.AUDIT, "inventory"),
    AUDIT_IDENTITY(Family.AUDIT, "identity"),
    AUDIT_POLICY(Family.AUDIT, "policy"),
    AUDIT_COST(Family.AUDIT, "cost"),
    AUDIT_OBSERVABILITY(Family.AUDIT, "observability"),
    AUDIT_PLACEMENT(Family.AUDIT, "placement");

    /**
     * The kinds of topic that exist once per producer, each named {@code fleet.<family>.<producer>.v1} and otherwise
     * configured alike.
     */
    public enum Family {
        /** Compacted bundles keyed {@code owner/clusterId}, partitioned by cluster: one topic per bundle owner. */
        DESIRED("desired", "owner/clusterId", 1, true, null, 6),
        /** The append-only audit trail, kept a year: one topic per service. */
        AUDIT("audit", "actor or target", -1, false, Duration.ofDays(365), 3);

        private final String segment;
        private final String key;
        private final int clusterSegment;
        private final boolean compacted;
        private final Duration retention;
        private final int partitions;

        Family(String segment, String key, int clusterSegment, boolean compacted, Duration retention, int partitions) {
            this.segment = segment;
            this.key = key;
            this.clusterSegment = clusterSegment;
            this.compacted = compacted;
            this.retention = retention;
            this.partitions = partitions;
        }

        /** The topic name of one producer of this family, e.g. {@code fleet.desired.identity.v1}. */
        public String topicName(String producer) {
            return "fleet." + segment + "." + producer + ".v1";
        }

        /** The topics of this family, one per producer, in catalog order. */
        public List<Topic> topics() {
            return Arrays.stream(Topic.values()).filter(t -> t.family == this).toList();
        }

        /** The topic of one producer of this family, if that producer has one. */
        public Optional<Topic> topicOf(String producer) {
            return Arrays.stream(Topic.values())
                    .filter(t -> t.family == this && t.producer.equals(producer))
                    .findFirst();
        }
    }

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
    private final Family family;
    private final String producer;

    Topic(String topicName, String key, int clusterSegment, boolean compacted, Duration retention, int partitions) {
        this.topicName = topicName;
        this.key = key;
        this.clusterSegment = clusterSegment;
        this.compacted = compacted;
        this.retention = retention;
        this.partitions = partitions;
        this.family = null;
        this.producer = null;
    }

    Topic(Family family, String producer) {
        this.topicName = family.topicName(producer);
        this.key = family.key;
        this.clusterSegment = family.clusterSegment;
        this.compacted = family.compacted;
        this.retention = family.retention;
        this.partitions = family.partitions;
        this.family = family;
        this.producer = producer;
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

    /** The family of a per-producer topic; empty for a topic that exists once. */
    public Optional<Family> family() {
        return Optional.ofNullable(family);
    }

    /**
     * The one producer a per-producer topic belongs to (a desired topic's bundle owner, an audit topic's service);
     * empty for a topic that exists once.
     */
    public Optional<String> producer() {
        return Optional.ofNullable(producer);
    }

    /** The desired topic of a bundle owner ({@code identity}, {@code policy}, {@code placement}), if it has one. */
    public static Optional<Topic> desiredFor(String owner) {
        return Family.DESIRED.topicOf(owner);
    }

    /** Every desired topic, one per bundle owner: what inventory reads. */
    public static List<Topic> desired() {
        return Family.DESIRED.topics();
    }

    /** The audit topic of a service, if it has one. */
    public static Optional<Topic> auditFor(String service) {
        return Family.AUDIT.topicOf(service);
    }

    /** Every audit topic, one per service: what the audit index and the ops CLI read. */
    public static List<Topic> audit() {
        return Family.AUDIT.topics();
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
