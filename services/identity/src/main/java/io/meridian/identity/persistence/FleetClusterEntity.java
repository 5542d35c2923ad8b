package io.meridian.identity.persistence;

import io.meridian.identity.domain.FleetCluster;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The latest snapshot of a cluster from {@code fleet.clusters.v1}. */
@Entity
@Table(name = "fleet_cluster")
public class FleetClusterEntity {

    @Id
    public String id;

    public String cloud;
    public String region;
    public String environment;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> labels;

    public long revision;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public FleetCluster toDomain() {
        return new FleetCluster(id, cloud, region, environment, labels);
    }
}
