package io.meridian.identity.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.SQLRestriction;

/**
 * What identity last declared for one cluster, read from the {@code desired_bundle} table that libs/eventing's
 * {@code DesiredBundleDeclarer} keeps (and alone writes); {@code contentHash} is null after a tombstone.
 */
@Entity
@Immutable
@Table(name = "desired_bundle")
// The table is keyed by owner and cluster; identity's rows are the ones of its own owner name.
@SQLRestriction("owner = 'identity'")
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

    public boolean tombstoned;
}
