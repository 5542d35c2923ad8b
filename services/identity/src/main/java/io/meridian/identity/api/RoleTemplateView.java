package io.meridian.identity.api;

import io.meridian.identity.domain.RoleTemplate;
import io.meridian.identity.domain.Rule;
import java.util.List;

/** A role template, the ClusterRole it becomes, and whether only fleet-admins may grant it. */
public record RoleTemplateView(
        String name, String description, List<Rule> rules, String clusterRole, boolean privileged) {

    static RoleTemplateView of(RoleTemplate t) {
        return new RoleTemplateView(t.name(), t.description(), t.rules(), t.clusterRoleName(), t.privileged());
    }
}
