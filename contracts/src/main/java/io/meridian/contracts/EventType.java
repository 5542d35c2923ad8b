package io.meridian.contracts;

import io.meridian.contracts.access.AccessEvent;
import io.meridian.contracts.alert.AlertEvent;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.cost.BudgetEvent;
import io.meridian.contracts.cost.ClusterRatesPublished;
import io.meridian.contracts.cost.CostSummary;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.metrics.MetricsBatch;
import io.meridian.contracts.placement.FailoverMove;
import io.meridian.contracts.placement.FailoverSuppressed;
import io.meridian.contracts.placement.RolloutCompleted;
import io.meridian.contracts.placement.RolloutHalted;
import io.meridian.contracts.placement.RolloutStarted;
import io.meridian.contracts.placement.RolloutWaveCompleted;
import io.meridian.contracts.placement.WorkloadPlacement;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.contracts.sync.DriftEvent;
import io.meridian.contracts.sync.SyncReport;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every CloudEvent type Meridian publishes, with the topic it travels on, its data record and its JSON
 * Schema. Several types share one record and schema: the type names the fact, the data is the state.
 */
public enum EventType {
    CLUSTER_REGISTERED("io.meridian.inventory.cluster.registered.v1", Topic.CLUSTERS, ClusterSnapshot.class),
    CLUSTER_UPDATED("io.meridian.inventory.cluster.updated.v1", Topic.CLUSTERS, ClusterSnapshot.class),
    CLUSTER_STATUS_CHANGED("io.meridian.inventory.cluster.status-changed.v1", Topic.CLUSTERS, ClusterSnapshot.class),
    CLUSTER_DEREGISTERED("io.meridian.inventory.cluster.deregistered.v1", Topic.CLUSTERS, ClusterSnapshot.class),

    RESOURCE_OBSERVED("io.meridian.inventory.resource.observed.v1", Topic.RESOURCES, ObservedResource.class),
    /**
     * A deleted object. On the wire this is a Kafka tombstone (null value, so compaction drops the key)
     * whose {@code ce_type} header is this type; the data record is the last known object, which the
     * golden sample shows and which a producer may keep in its outbox for its own bookkeeping.
     */
    RESOURCE_DELETED("io.meridian.inventory.resource.deleted.v1", Topic.RESOURCES, ObservedResource.class),
    RESOURCE_RESYNC_STARTED("io.meridian.inventory.resource.resync-started.v1", Topic.RESOURCES, ResyncMarker.class),
    RESOURCE_RESYNC_COMPLETED(
            "io.meridian.inventory.resource.resync-completed.v1", Topic.RESOURCES, ResyncMarker.class),

    /** On the desired topic of the bundle's owner ({@link Topic#desiredFor}). */
    DESIRED_BUNDLE_DECLARED("io.meridian.desired.bundle.declared.v1", Topic.Family.DESIRED, DesiredBundle.class),

    SYNC_REPORTED("io.meridian.inventory.sync.reported.v1", Topic.SYNC, SyncReport.class),
    SYNC_DRIFT_DETECTED("io.meridian.inventory.sync.drift-detected.v1", Topic.SYNC, DriftEvent.class),
    SYNC_DRIFT_REPAIRED("io.meridian.inventory.sync.drift-repaired.v1", Topic.SYNC, DriftEvent.class),

    METRICS_SAMPLED("io.meridian.observability.metrics.sampled.v1", Topic.METRICS, MetricsBatch.class),

    VIOLATION_OPENED("io.meridian.policy.violation.opened.v1", Topic.COMPLIANCE, ComplianceResult.class),
    VIOLATION_CLOSED("io.meridian.policy.violation.closed.v1", Topic.COMPLIANCE, ComplianceResult.class),

    GRANT_REQUESTED("io.meridian.identity.grant.requested.v1", Topic.ACCESS, AccessEvent.class),
    GRANT_APPROVED("io.meridian.identity.grant.approved.v1", Topic.ACCESS, AccessEvent.class),
    GRANT_APPLIED("io.meridian.identity.grant.applied.v1", Topic.ACCESS, AccessEvent.class),
    GRANT_REVOKED("io.meridian.identity.grant.revoked.v1", Topic.ACCESS, AccessEvent.class),
    GRANT_EXPIRED("io.meridian.identity.grant.expired.v1", Topic.ACCESS, AccessEvent.class),

    COST_SUMMARY_COMPUTED("io.meridian.cost.summary.computed.v1", Topic.COST, CostSummary.class),
    BUDGET_THRESHOLD_CROSSED("io.meridian.cost.budget.threshold-crossed.v1", Topic.COST, BudgetEvent.class),
    /**
     * A cluster's rates, keyed {@code rates/<clusterId>}. Named {@code cost.rates.published} after the {@code
     * <service>.<aggregate>.<fact>} rule (the aggregate is the rates; the cluster is in the data and the key).
     */
    CLUSTER_RATES_PUBLISHED("io.meridian.cost.rates.published.v1", Topic.COST, ClusterRatesPublished.class),

    PLACEMENT_DECISION_MADE("io.meridian.placement.decision.made.v1", Topic.PLACEMENT, WorkloadPlacement.class),
    ROLLOUT_STARTED("io.meridian.placement.rollout.started.v1", Topic.PLACEMENT, RolloutStarted.class),
    ROLLOUT_WAVE_COMPLETED(
            "io.meridian.placement.rollout.wave-completed.v1", Topic.PLACEMENT, RolloutWaveCompleted.class),
    ROLLOUT_HALTED("io.meridian.placement.rollout.halted.v1", Topic.PLACEMENT, RolloutHalted.class),
    ROLLOUT_COMPLETED("io.meridian.placement.rollout.completed.v1", Topic.PLACEMENT, RolloutCompleted.class),
    FAILOVER_STARTED("io.meridian.placement.failover.started.v1", Topic.PLACEMENT, FailoverMove.class),
    FAILOVER_COMPLETED("io.meridian.placement.failover.completed.v1", Topic.PLACEMENT, FailoverMove.class),
    FAILOVER_SUPPRESSED("io.meridian.placement.failover.suppressed.v1", Topic.PLACEMENT, FailoverSuppressed.class),
    FAILBACK_COMPLETED("io.meridian.placement.failback.completed.v1", Topic.PLACEMENT, FailoverMove.class),

    ALERT_PENDING("io.meridian.observability.alert.pending.v1", Topic.ALERTS, AlertEvent.class),
    ALERT_FIRING("io.meridian.observability.alert.firing.v1", Topic.ALERTS, AlertEvent.class),
    ALERT_RESOLVED("io.meridian.observability.alert.resolved.v1", Topic.ALERTS, AlertEvent.class),

    /** On the audit topic of the service that recorded it ({@link Topic#auditFor}). */
    AUDIT_RECORD_APPENDED("io.meridian.audit.record.appended.v1", Topic.Family.AUDIT, AuditRecord.class);

    /** Where every schema is published; the file name is appended. */
    public static final String SCHEMA_BASE_URI = "https://schemas.meridian.io/";

    /** Classpath folder of the JSON Schemas. */
    public static final String SCHEMA_FOLDER = "schemas/";

    private static final Map<String, EventType> BY_TYPE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));

    private static final Map<Class<?>, String> SCHEMA_FILES = Map.ofEntries(
            Map.entry(ClusterSnapshot.class, "cluster-snapshot.v1.json"),
            Map.entry(ObservedResource.class, "observed-resource.v1.json"),
            Map.entry(ResyncMarker.class, "resync-marker.v1.json"),
            Map.entry(DesiredBundle.class, "desired-bundle.v1.json"),
            Map.entry(SyncReport.class, "sync-report.v1.json"),
            Map.entry(DriftEvent.class, "drift-event.v1.json"),
            Map.entry(MetricsBatch.class, "metrics-batch.v1.json"),
            Map.entry(ComplianceResult.class, "compliance-result.v1.json"),
            Map.entry(AccessEvent.class, "access-event.v1.json"),
            Map.entry(CostSummary.class, "cost-summary.v1.json"),
            Map.entry(BudgetEvent.class, "budget-event.v1.json"),
            Map.entry(ClusterRatesPublished.class, "cluster-rates.v1.json"),
            Map.entry(WorkloadPlacement.class, "workload-placement.v1.json"),
            Map.entry(RolloutStarted.class, "rollout-started.v1.json"),
            Map.entry(RolloutWaveCompleted.class, "rollout-wave-completed.v1.json"),
            Map.entry(RolloutHalted.class, "rollout-halted.v1.json"),
            Map.entry(RolloutCompleted.class, "rollout-completed.v1.json"),
            Map.entry(FailoverMove.class, "failover-move.v1.json"),
            Map.entry(FailoverSuppressed.class, "failover-suppressed.v1.json"),
            Map.entry(AlertEvent.class, "alert-event.v1.json"),
            Map.entry(AuditRecord.class, "audit-record.v1.json"));

    private final String type;
    private final List<Topic> topics;
    private final Class<?> dataClass;

    EventType(String type, Topic topic, Class<?> dataClass) {
        this.type = type;
        this.topics = List.of(topic);
        this.dataClass = dataClass;
    }

    EventType(String type, Topic.Family family, Class<?> dataClass) {
        this.type = type;
        this.topics = family.topics();
        this.dataClass = dataClass;
    }

    /** The CloudEvents {@code type} attribute. */
    public String type() {
        return type;
    }

    /**
     * The one topic this type travels on.
     *
     * @throws IllegalStateException for a type that travels on one topic per producer (desired bundles, audit
     *     records): its producer picks the topic with {@link Topic#desiredFor} or {@link Topic#auditFor}
     */
    public Topic topic() {
        if (topics.size() != 1) {
            throw new IllegalStateException(
                    type + " travels on one topic per producer (" + topics + "): name the producer's topic");
        }
        return topics.getFirst();
    }

    /** Every topic this type travels on: one, or one per producer. */
    public List<Topic> topics() {
        return topics;
    }

    /** Whether this type may travel on {@code topic}. */
    public boolean travelsOn(Topic topic) {
        return topics.contains(topic);
    }

    /** The record the event data is read into with {@link EventJson#read(byte[], Class)}. */
    public Class<?> dataClass() {
        return dataClass;
    }

    /** File name of the data's JSON Schema, e.g. {@code cluster-snapshot.v1.json}. */
    public String schemaFile() {
        return SCHEMA_FILES.get(dataClass);
    }

    /** Classpath path of the data's JSON Schema, e.g. {@code schemas/cluster-snapshot.v1.json}. */
    public String schemaResource() {
        return SCHEMA_FOLDER + schemaFile();
    }

    /** The CloudEvents {@code dataschema} attribute, which is also the schema's {@code $id}. */
    public URI dataschema() {
        return URI.create(SCHEMA_BASE_URI + schemaFile());
    }

    /** Whether this type travels as a Kafka tombstone: headers only, no value. */
    public boolean tombstone() {
        return this == RESOURCE_DELETED;
    }

    /** The event type of a CloudEvents {@code type} attribute, if Meridian knows it. */
    public static Optional<EventType> of(String type) {
        return Optional.ofNullable(type == null ? null : BY_TYPE.get(type));
    }

    /** The types that travel on one topic. */
    public static List<EventType> on(Topic topic) {
        return Arrays.stream(values()).filter(t -> t.topics.contains(topic)).toList();
    }
}
