package io.meridian.identity.persistence;

import io.meridian.identity.domain.RoleTemplate;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A role template row. */
@Entity
@Table(name = "role_template")
public class RoleTemplateEntity {

    @Id
    public String name;

    public String description;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonLists.Rules rules;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Version
    public long version;

    public RoleTemplate toDomain() {
        return new RoleTemplate(name, description, rules == null ? List.of() : rules.items());
    }

    public void apply(RoleTemplate template) {
        description = template.description();
        rules = new JsonLists.Rules(template.rules());
    }
}
