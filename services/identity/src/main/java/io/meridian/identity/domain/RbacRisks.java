package io.meridian.identity.domain;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** What makes RBAC dangerous: the rules a role holds, and whom a binding hands them to. */
public final class RbacRisks {

    /** One kind of risky access, named for a person reading a finding. */
    public enum Risk {
        ClusterAdmin("binds the cluster-admin ClusterRole"),
        SystemMasters("binds the system:masters group, which bypasses RBAC"),
        WildcardVerbs("grants every verb (*)"),
        WildcardResources("grants every resource or API group (*)"),
        ReadsSecrets("can read Secrets"),
        Escalation("can escalate, bind or impersonate");

        private final String description;

        Risk(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private static final Set<String> READ = Set.of("get", "list", "watch", "*");
    private static final Set<String> ESCALATING = Set.of("escalate", "bind", "impersonate");

    private RbacRisks() {}

    /** The risks of a set of rules. */
    public static Set<Risk> ofRules(List<Rule> rules) {
        Set<Risk> risks = EnumSet.noneOf(Risk.class);
        for (Rule rule : rules) {
            if (rule.verbs().contains("*")) {
                risks.add(Risk.WildcardVerbs);
            }
            if (rule.resources().contains("*") || rule.apiGroups().contains("*")) {
                risks.add(Risk.WildcardResources);
            }
            boolean coreGroup =
                    rule.apiGroups().contains("") || rule.apiGroups().contains("*");
            boolean secrets =
                    rule.resources().contains("secrets") || rule.resources().contains("*");
            if (coreGroup && secrets && rule.verbs().stream().anyMatch(READ::contains)) {
                risks.add(Risk.ReadsSecrets);
            }
            if (rule.verbs().stream().anyMatch(ESCALATING::contains)) {
                risks.add(Risk.Escalation);
            }
        }
        return risks;
    }

    /**
     * The risks of a binding: whom it binds ({@code system:masters}), what it binds ({@code cluster-admin}), and the
     * rules of the bound role when they are known ({@code roleRules} empty otherwise).
     */
    public static Set<Risk> ofBinding(String roleRefName, List<SubjectRef> subjects, List<Rule> roleRules) {
        Set<Risk> risks = EnumSet.noneOf(Risk.class);
        if ("cluster-admin".equals(roleRefName)) {
            risks.add(Risk.ClusterAdmin);
        }
        if (subjects.stream().anyMatch(s -> "Group".equals(s.kind()) && "system:masters".equals(s.name()))) {
            risks.add(Risk.SystemMasters);
        }
        risks.addAll(ofRules(roleRules));
        return risks;
    }

    /** A binding subject: User, Group or ServiceAccount. */
    public record SubjectRef(String kind, String name, String namespace) {}
}
