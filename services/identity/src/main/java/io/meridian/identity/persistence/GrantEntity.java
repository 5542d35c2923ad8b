package io.meridian.identity.persistence;

import io.meridian.identity.domain.ClusterScope;
import io.meridian.identity.domain.Grant;
import io.meridian.identity.domain.GrantState;
import io.meridian.identity.domain.Subject;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A grant row. */
@Entity
@Table(name = "access_grant")
public class GrantEntity {

    @Id
    public String id;

    @Column(name = "subject_kind")
    public String subjectKind;

    @Column(name = "subject_name")
    public String subjectName;

    public String role;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "scope_labels")
    public Map<String, String> scopeLabels;

    @Column(name = "scope_cloud")
    public String scopeCloud;

    @Column(name = "scope_environment")
    public String scopeEnvironment;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonLists.Names namespaces;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    public String reason;
    public String state;

    @Column(name = "approval_required")
    public boolean approvalRequired;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "approved_by")
    public String approvedBy;

    @Column(name = "approved_at")
    public OffsetDateTime approvedAt;

    @Column(name = "ended_by")
    public String endedBy;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;

    @Column(name = "applied_at")
    public OffsetDateTime appliedAt;

    /** What the approver approved: {@link Grant#approvalDigest}; null before approval, or approved before V13. */
    @Column(name = "approved_digest")
    public String approvedDigest;

    /** The template hash the approver saw ({@code RoleTemplate.contentHash}); null for built-in roles. */
    @Column(name = "approved_template_hash")
    public String approvedTemplateHash;

    @Column(name = "reopened_by")
    public String reopenedBy;

    @Column(name = "reopened_at")
    public OffsetDateTime reopenedAt;

    @Version
    public long version;

    public Grant toDomain() {
        return new Grant(
                id,
                new Subject(Subject.Kind.valueOf(subjectKind), subjectName),
                role,
                new ClusterScope(scopeLabels, scopeCloud, scopeEnvironment),
                namespaces == null ? List.of() : namespaces.items(),
                instant(expiresAt),
                reason,
                GrantState.valueOf(state),
                approvalRequired,
                createdBy,
                instant(createdAt),
                approvedBy,
                instant(approvedAt),
                endedBy,
                instant(endedAt),
                approvedDigest,
                reopenedBy,
                instant(reopenedAt));
    }

    public static GrantEntity of(Grant grant) {
        GrantEntity e = new GrantEntity();
        e.id = grant.id();
        e.subjectKind = grant.subject().kind().name();
        e.subjectName = grant.subject().name();
        e.role = grant.role();
        e.scopeLabels = new HashMap<>(grant.scope().labels());
        e.scopeCloud = grant.scope().cloud();
        e.scopeEnvironment = grant.scope().environment();
        e.namespaces = new JsonLists.Names(grant.namespaces());
        e.expiresAt = time(grant.expiresAt());
        e.reason = grant.reason();
        e.state = grant.state().name();
        e.approvalRequired = grant.approvalRequired();
        e.createdBy = grant.createdBy();
        e.createdAt = time(grant.createdAt());
        e.approvedBy = grant.approvedBy();
        e.approvedAt = time(grant.approvedAt());
        e.endedBy = grant.endedBy();
        e.endedAt = time(grant.endedAt());
        e.approvedDigest = grant.approvedDigest();
        e.reopenedBy = grant.reopenedBy();
        e.reopenedAt = time(grant.reopenedAt());
        return e;
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
