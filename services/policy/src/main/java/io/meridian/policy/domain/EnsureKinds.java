package io.meridian.policy.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which objects a policy may {@code ensure} on every matching cluster, and who may ask for them. Meridian writes
 * ensure objects with cluster-admin rights, so the kind of an ensure object decides what a policy's author can do
 * to the fleet: guard rails hold per kind, whichever endpoint a policy comes through (create, replace, import,
 * built-ins).
 *
 * <ul>
 *   <li>{@link Tier#OPERATOR}: NetworkPolicy ({@code networking.k8s.io}), LimitRange, ResourceQuota and ConfigMap
 *       (core), matched by API group and kind, so a look-alike kind of another group is not one of them.
 *   <li>{@link Tier#ADMIN}: every other kind; only a fleet-admin may ask for it, and the change is audited as
 *       privileged.
 *   <li>{@link Tier#NEVER}: RBAC (anything in {@code rbac.authorization.k8s.io}, and Role, RoleBinding, ClusterRole,
 *       ClusterRoleBinding of any group), admission configuration ({@code admissionregistration.k8s.io}: webhooks
 *       and admission policies), API aggregation ({@code apiregistration.k8s.io}), Secrets, and credentials minted
 *       by the API server ({@code authentication.k8s.io} TokenRequest and friends, {@code certificates.k8s.io}).
 *       Access goes through identity's grants, admission through policies themselves: nobody gets them this way.
 * </ul>
 */
public final class EnsureKinds {

    /** Who may ensure a kind. */
    public enum Tier {
        OPERATOR,
        ADMIN,
        NEVER
    }

    /** One ensure object that is beyond the operator allow-list, by its position, for problems and audit. */
    public record Finding(int index, String apiVersion, String kind, Tier tier, String reason) {

        /** The field a refusal names: {@code ensure.objects[2].kind}. */
        public String field() {
            return "ensure.objects[" + index + "].kind";
        }

        /** {@code apps/v1 Deployment}, as audit records list privileged kinds. */
        public String describe() {
            return apiVersion + " " + kind;
        }
    }

    /** The namespaces of the cluster itself: ensure objects never go there, whatever the selector says. */
    public static final Set<String> SYSTEM_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");

    // API group -> kinds an operator may ensure ("" is the core group).
    private static final Map<String, Set<String>> OPERATOR_KINDS = Map.of(
            "networking.k8s.io", Set.of("NetworkPolicy"), "", Set.of("LimitRange", "ResourceQuota", "ConfigMap"));

    private static final Map<String, String> NEVER_GROUPS = Map.of(
            "rbac.authorization.k8s.io", "RBAC objects",
            "admissionregistration.k8s.io", "admission webhooks and admission policies",
            "apiregistration.k8s.io", "API services, which route API requests to a service of their choice",
            "authentication.k8s.io", "tokens minted by the API server",
            "certificates.k8s.io", "certificate requests and trust bundles");

    // Compared lower-case: the names of these kinds are refused in every group, so a CRD cannot pass for one.
    private static final Map<String, String> NEVER_KINDS = Map.ofEntries(
            Map.entry("role", "RBAC objects"),
            Map.entry("rolebinding", "RBAC objects"),
            Map.entry("clusterrole", "RBAC objects"),
            Map.entry("clusterrolebinding", "RBAC objects"),
            Map.entry("secret", "Secrets"),
            Map.entry("tokenrequest", "tokens minted by the API server"),
            Map.entry("validatingwebhookconfiguration", "admission webhooks and admission policies"),
            Map.entry("mutatingwebhookconfiguration", "admission webhooks and admission policies"),
            Map.entry("validatingadmissionpolicy", "admission webhooks and admission policies"),
            Map.entry("validatingadmissionpolicybinding", "admission webhooks and admission policies"),
            Map.entry("mutatingadmissionpolicy", "admission webhooks and admission policies"),
            Map.entry("mutatingadmissionpolicybinding", "admission webhooks and admission policies"));

    private EnsureKinds() {}

    /** The tier of one kind; {@code apiVersion} is {@code group/version}, or {@code version} for the core group. */
    public static Tier tier(String apiVersion, String kind) {
        return never(apiVersion, kind).isPresent()
                ? Tier.NEVER
                : OPERATOR_KINDS.getOrDefault(group(apiVersion), Set.of()).contains(kind) ? Tier.OPERATOR : Tier.ADMIN;
    }

    /** Every ensure object of {@code def} beyond the operator allow-list, NEVER and ADMIN alike, in order. */
    public static List<Finding> beyondOperators(PolicyDefinition def) {
        List<Finding> findings = new ArrayList<>();
        if (def.ensure() == null) {
            return findings;
        }
        List<Map<String, Object>> objects = def.ensure().objects();
        for (int i = 0; i < objects.size(); i++) {
            Map<String, Object> o = objects.get(i);
            if (!(o.get("apiVersion") instanceof String v) || !(o.get("kind") instanceof String k)) {
                continue; // PolicyRules names the missing field
            }
            Optional<String> never = never(v, k);
            if (never.isPresent()) {
                findings.add(new Finding(
                        i,
                        v,
                        k,
                        Tier.NEVER,
                        "Meridian never ensures " + never.get() + ", for anyone: grant access with identity's"
                                + " /api/v1/grants and enforce admission rules with the policy itself"
                                + " (action deny or warn)"));
            } else if (tier(v, k) == Tier.ADMIN) {
                findings.add(new Finding(
                        i,
                        v,
                        k,
                        Tier.ADMIN,
                        k + " (" + v + ") is not on the operator allow-list (networking.k8s.io NetworkPolicy,"
                                + " v1 LimitRange, ResourceQuota, ConfigMap): ask a fleet-admin to write this"
                                + " policy"));
            }
        }
        return findings;
    }

    private static Optional<String> never(String apiVersion, String kind) {
        String byGroup = NEVER_GROUPS.get(group(apiVersion));
        if (byGroup != null) {
            return Optional.of(byGroup);
        }
        return Optional.ofNullable(NEVER_KINDS.get(kind.toLowerCase(Locale.ROOT)));
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash).toLowerCase(Locale.ROOT);
    }
}
