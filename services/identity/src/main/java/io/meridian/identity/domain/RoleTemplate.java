package io.meridian.identity.domain;

import java.util.List;

/** A fleet role with its own rules; becomes the ClusterRole {@code meridian-template-<name>} where it is granted. */
public record RoleTemplate(String name, String description, List<Rule> rules) {

    public static final String CLUSTER_ROLE_PREFIX = "meridian-template-";

    public RoleTemplate {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public String clusterRoleName() {
        return CLUSTER_ROLE_PREFIX + name;
    }

    /** Wildcard verbs, resources or API groups, or verbs that hand out more power: fleet-admins only. */
    public boolean privileged() {
        return RbacRisks.ofRules(rules).stream().anyMatch(r -> r != RbacRisks.Risk.ReadsSecrets);
    }
}
