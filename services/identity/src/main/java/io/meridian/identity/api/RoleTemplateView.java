package io.meridian.identity.api;

import io.meridian.contracts.resource.PolicyRule;
import io.meridian.identity.domain.RbacRisks;
import io.meridian.identity.domain.RoleTemplate;
import java.util.List;

/**
 * A role template, the ClusterRole it becomes, whether only fleet-admins may grant it (and why), and the hash of its
 * rules that an approval of a grant binds to.
 */
public record RoleTemplateView(
        String name,
        String description,
        List<PolicyRule> rules,
        String clusterRole,
        boolean privileged,
        List<String> risks,
        String contentHash) {

    static RoleTemplateView of(RoleTemplate t) {
        return new RoleTemplateView(
                t.name(),
                t.description(),
                t.rules(),
                t.clusterRoleName(),
                t.privileged(),
                RbacRisks.ofRules(t.rules()).stream().map(Enum::name).toList(),
                t.contentHash());
    }
}
