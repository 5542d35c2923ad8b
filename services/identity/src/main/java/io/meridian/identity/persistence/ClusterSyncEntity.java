package io.meridian.identity.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The latest sync report of identity's bundle on one cluster; failures by {@code Kind/namespace/name}. */
@Entity
@Table(name = "cluster_sync")
public class ClusterSyncEntity {

    @Id
    @Column(name = "cluster_id")
    public String clusterId;

    @Column(name = "generation_wanted")
    public long generationWanted;

    @Column(name = "generation_applied")
    public long generationApplied;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> failures;

    @Column(name = "reported_at")
    public OffsetDateTime reportedAt;
}
