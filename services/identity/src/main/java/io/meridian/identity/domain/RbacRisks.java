package io.meridian.identity.domain;

import io.meridian.contracts.resource.PolicyRule;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What makes RBAC dangerous: the rules a role holds, and whom a binding hands them to. A rule is judged as the API
 * server would match it (a {@code *} group, resource or verb matches everything, {@code *}{@code /exec} matches every
 * {@code exec} subresource), so a wildcard never hides a risk.
 */
public final class RbacRisks {

    /** One kind of risky access, named for a person reading a finding. */
    public enum Risk {
        ClusterAdmin("binds the cluster-admin ClusterRole"),
        SystemMasters("binds the system:masters group, which bypasses RBAC"),
        WildcardVerbs("grants every verb (*)"),
        WildcardResources("grants every resource, API group or non-resource URL (*)"),
        ReadsSecrets("can read Secrets (get, list or watch)"),
        Escalation("can escalate, bind or impersonate"),
        ExecIntoPods("can exec into, attach to or port-forward to pods"),
        ProxiesToNodes("can reach the kubelet API through nodes/proxy"),
        MintsTokens("can create service account tokens (serviceaccounts/token)"),
        ChangesAdmission("can change admission webhooks or admission policies and their bindings"),
        SignsCertificates("can approve certificate signing requests or approve and sign for a signer");

        private final String description;

        Risk(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private static final String CORE = "";
    private static final String ADMISSION = "admissionregistration.k8s.io";
    private static final String CERTIFICATES = "certificates.k8s.io";
    private static final Set<String> READ = Set.of("get", "list", "watch");
    private static final Set<String> WRITE = Set.of("create", "update", "patch", "delete", "deletecollection");
    private static final Set<String> ESCALATING = Set.of("escalate", "bind", "impersonate");
    private static final List<String> POD_ACCESS = List.of("pods/exec", "pods/attach", "pods/portforward");
    private static final List<String> ADMISSION_RESOURCES = List.of(
            "validatingwebhookconfigurations",
            "mutatingwebhookconfigurations",
            "validatingadmissionpolicies",
            "validatingadmissionpolicybindings",
            "mutatingadmissionpolicies",
            "mutatingadmissionpolicybindings");

    private RbacRisks() {}

    /** The risks of a set of rules. */
    public static Set<Risk> ofRules(List<PolicyRule> rules) {
        Set<Risk> risks = EnumSet.noneOf(Risk.class);
        for (PolicyRule rule : rules) {
            risks.addAll(ofRule(rule));
        }
        return risks;
    }

    /** The risks of one rule; empty when it hands out nothing on the list of escalation paths. */
    public static Set<Risk> ofRule(PolicyRule rule) {
        Set<Risk> risks = EnumSet.noneOf(Risk.class);
        Set<String> verbs = lower(rule.verbs());
        Set<String> groups = lower(rule.apiGroups());
        Set<String> resources = lower(rule.resources());
        if (verbs.contains("*")) {
            risks.add(Risk.WildcardVerbs);
        }
        if (resources.contains("*")
                || groups.contains("*")
                || rule.nonResourceURLs().stream().anyMatch(url -> url != null && url.contains("*"))) {
            risks.add(Risk.WildcardResources);
        }
        if (covers(groups, resources, CORE, "secrets") && anyOf(verbs, READ)) {
            risks.add(Risk.ReadsSecrets);
        }
        // Named explicitly: a * verb is WildcardVerbs already, and on most resources these verbs mean nothing.
        if (verbs.stream().anyMatch(ESCALATING::contains)) {
            risks.add(Risk.Escalation);
        }
        // Any verb: a GET on pods/exec or nodes/proxy is enough to run commands through a WebSocket upgrade.
        if (!verbs.isEmpty() && POD_ACCESS.stream().anyMatch(r -> covers(groups, resources, CORE, r))) {
            risks.add(Risk.ExecIntoPods);
        }
        if (!verbs.isEmpty() && covers(groups, resources, CORE, "nodes/proxy")) {
            risks.add(Risk.ProxiesToNodes);
        }
        if (!verbs.isEmpty() && covers(groups, resources, CORE, "serviceaccounts/token")) {
            risks.add(Risk.MintsTokens);
        }
        if (anyOf(verbs, WRITE)
                && ADMISSION_RESOURCES.stream().anyMatch(r -> covers(groups, resources, ADMISSION, r))) {
            risks.add(Risk.ChangesAdmission);
        }
        if ((anyOf(verbs, Set.of("update", "patch"))
                        && covers(groups, resources, CERTIFICATES, "certificatesigningrequests/approval"))
                || (anyOf(verbs, Set.of("approve", "sign")) && covers(groups, resources, CERTIFICATES, "signers"))) {
            risks.add(Risk.SignsCertificates);
        }
        return risks;
    }

    /**
     * The risks of a binding: whom it binds ({@code system:masters}), what it binds ({@code cluster-admin}), and the
     * rules of the bound role when they are known ({@code roleRules} empty otherwise).
     */
    public static Set<Risk> ofBinding(String roleRefName, List<SubjectRef> subjects, List<PolicyRule> roleRules) {
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

    /** Whether a rule's groups and resources match {@code resource} (maybe {@code kind/subresource}) of {@code group}. */
    private static boolean covers(Set<String> groups, Set<String> resources, String group, String resource) {
        if (!groups.contains(group) && !groups.contains("*")) {
            return false;
        }
        if (resources.contains("*") || resources.contains(resource)) {
            return true;
        }
        int slash = resource.indexOf('/');
        return slash > 0 && resources.contains("*" + resource.substring(slash));
    }

    /** Whether {@code verbs} (of a rule) include one of {@code wanted}, a {@code *} included. */
    private static boolean anyOf(Set<String> verbs, Set<String> wanted) {
        return verbs.contains("*") || verbs.stream().anyMatch(wanted::contains);
    }

    // The API server compares exactly; lower-casing only ever finds more, never less.
    private static Set<String> lower(List<String> values) {
        return values.stream()
                .filter(v -> v != null)
                .map(v -> v.toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** A binding subject: User, Group or ServiceAccount. */
    public record SubjectRef(String kind, String name, String namespace) {}
}
