package io.meridian.inventory.persistence;

import io.meridian.contracts.cluster.Condition;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** What inventory last observed about a cluster. */
@Entity
@Table(name = "cluster_status")
public class ClusterStatusEntity {

    @Id
    public String name;

    public String phase;

    // JSON objects, not arrays: Hibernate Reactive reads a top-level JSON array back as a map.
    @JdbcTypeCode(SqlTypes.JSON)
    public Conditions conditions;

    @Column(name = "kubernetes_version")
    public String kubernetesVersion;

    @Column(name = "node_count")
    public int nodeCount;

    @Column(name = "allocatable_cpu_millis")
    public long allocatableCpuMillis;

    @Column(name = "allocatable_memory_bytes")
    public long allocatableMemoryBytes;

    @Column(name = "detected_cloud")
    public String detectedCloud;

    @Column(name = "detected_region")
    public String detectedRegion;

    @JdbcTypeCode(SqlTypes.JSON)
    public Warnings warnings;

    @Column(name = "observed_at")
    public OffsetDateTime observedAt;

    /** The conditions column. */
    public record Conditions(List<Condition> items) {
        public Conditions {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    /** The warnings column. */
    public record Warnings(List<String> items) {
        public Warnings {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    public List<Condition> conditionList() {
        return conditions == null ? List.of() : conditions.items();
    }

    public List<String> warningList() {
        return warnings == null ? List.of() : warnings.items();
    }
}
