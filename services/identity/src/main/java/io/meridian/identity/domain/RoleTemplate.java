package io.meridian.identity.domain;

import io.meridian.contracts.resource.PolicyRule;
import java.util.ArrayList;
import java.util.List;

/** A fleet role with its own rules; becomes the ClusterRole {@code meridian-template-<name>} where it is granted. */
public record RoleTemplate(String name, String description, List<PolicyRule> rules) {

    public static final String CLUSTER_ROLE_PREFIX = "meridian-template-";

    public RoleTemplate {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public String clusterRoleName() {
        return CLUSTER_ROLE_PREFIX + name;
    }

    /**
     * Whether any rule opens an escalation path ({@link RbacRisks}: wildcards, Secrets reads, exec/attach/port-forward,
     * nodes/proxy, service account tokens, admission configuration, certificate approval, escalate/bind/impersonate):
     * only fleet-admins define or grant it, and every grant of it needs a second fleet-admin.
     */
    public boolean privileged() {
        return !RbacRisks.ofRules(rules).isEmpty();
    }

    /**
     * The SHA-256 of the rules, the content that lands on clusters (the description does not): what an approval of a
     * grant of this template binds to.
     */
    public String contentHash() {
        List<String> fields = new ArrayList<>();
        for (PolicyRule rule : rules) {
            fields.add("rule");
            for (List<String> values : List.of(
                    rule.apiGroups(), rule.resources(), rule.verbs(), rule.resourceNames(), rule.nonResourceURLs())) {
                fields.add(String.valueOf(values.size()));
                fields.addAll(values);
            }
        }
        return Digests.sha256(fields);
    }
}
