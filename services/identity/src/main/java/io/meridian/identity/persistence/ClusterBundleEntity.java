package io.meridian.identity.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** What identity last declared for one cluster; {@code contentHash} is null after a tombstone. */
@Entity
@Table(name = "cluster_bundle")
public class ClusterBundleEntity {

    @Id
    @Column(name = "cluster_id")
    public String clusterId;

    public long generation;

    @Column(name = "content_hash")
    public String contentHash;

    @Column(name = "object_count")
    public int objectCount;

    @Column(name = "declared_at")
    public OffsetDateTime declaredAt;
}
