package io.meridian.identity.persistence;

import io.meridian.identity.domain.ObservedRbac;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An RBAC object observed on a cluster, keyed like its record on {@code fleet.resources.v1}. */
@Entity
@Table(name = "observed_rbac")
public class ObservedRbacEntity {

    @Id
    @Column(name = "record_key")
    public String recordKey;

    @Column(name = "cluster_id")
    public String clusterId;

    public String kind;
    public String namespace;
    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> labels;

    @Column(name = "role_ref_kind")
    public String roleRefKind;

    @Column(name = "role_ref_name")
    public String roleRefName;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonLists.Subjects subjects;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonLists.Rules rules;

    @Column(name = "resync_epoch")
    public long resyncEpoch;

    @Column(name = "observed_at")
    public OffsetDateTime observedAt;

    public ObservedRbac toDomain() {
        return new ObservedRbac(
                clusterId,
                kind,
                namespace,
                name,
                labels,
                roleRefKind,
                roleRefName,
                subjects == null ? List.of() : subjects.items(),
                rules == null ? List.of() : rules.items());
    }
}
