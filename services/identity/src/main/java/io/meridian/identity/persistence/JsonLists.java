package io.meridian.identity.persistence;

import io.meridian.contracts.resource.PolicyRule;
import io.meridian.identity.domain.RbacRisks;
import java.util.List;

/**
 * Lists stored in JSON columns, each wrapped in an object: Hibernate Reactive reads a top-level JSON array back as a
 * map, so every column holds {@code {"items": [...]}}.
 */
public final class JsonLists {

    private JsonLists() {}

    /** Namespace names. */
    public record Names(List<String> items) {
        public Names {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    /** RBAC rules. */
    public record Rules(List<PolicyRule> items) {
        public Rules {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    /** Binding subjects. */
    public record Subjects(List<RbacRisks.SubjectRef> items) {
        public Subjects {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }
}
