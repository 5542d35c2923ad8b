package io.meridian.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.resource.PolicyRule;
import io.meridian.identity.domain.RbacRisks.Risk;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RbacRisksTest {

    private static final String CORE = "";
    private static final String ADMISSION = "admissionregistration.k8s.io";
    private static final String CERTIFICATES = "certificates.k8s.io";

    /** Every escalation path, and the harmless rules next to it that must stay unprivileged. */
    static Stream<Arguments> rules() {
        return Stream.of(
                // Secrets reads: any of get, list, watch; writing alone is not reading.
                row("secrets get", rule(CORE, "secrets", "get"), Risk.ReadsSecrets),
                row("secrets list", rule(CORE, "secrets", "list"), Risk.ReadsSecrets),
                row("secrets watch", rule(CORE, "secrets", "watch"), Risk.ReadsSecrets),
                row("one named secret", named(CORE, "secrets", "get", "db-password"), Risk.ReadsSecrets),
                row("secrets create", rule(CORE, "secrets", "create")),
                row("secrets in another group", rule("example.com", "secrets", "get")),
                // Into pods and nodes: any verb, a GET upgrades to a WebSocket.
                row("pods/exec create", rule(CORE, "pods/exec", "create"), Risk.ExecIntoPods),
                row("pods/exec get", rule(CORE, "pods/exec", "get"), Risk.ExecIntoPods),
                row("pods/attach", rule(CORE, "pods/attach", "create"), Risk.ExecIntoPods),
                row("pods/portforward", rule(CORE, "pods/portforward", "create"), Risk.ExecIntoPods),
                row("every exec subresource", rule(CORE, "*/exec", "create"), Risk.ExecIntoPods),
                row("pods/log", rule(CORE, "pods/log", "get")),
                row("nodes/proxy get", rule(CORE, "nodes/proxy", "get"), Risk.ProxiesToNodes),
                row("nodes", rule(CORE, "nodes", "get", "list")),
                row("serviceaccounts/token", rule(CORE, "serviceaccounts/token", "create"), Risk.MintsTokens),
                row("serviceaccounts", rule(CORE, "serviceaccounts", "get", "list")),
                // Admission: writes only.
                row(
                        "validating webhooks",
                        rule(ADMISSION, "validatingwebhookconfigurations", "patch"),
                        Risk.ChangesAdmission),
                row(
                        "mutating webhooks",
                        rule(ADMISSION, "mutatingwebhookconfigurations", "create"),
                        Risk.ChangesAdmission),
                row(
                        "admission policies",
                        rule(ADMISSION, "validatingadmissionpolicies", "update"),
                        Risk.ChangesAdmission),
                row(
                        "admission policy bindings",
                        rule(ADMISSION, "validatingadmissionpolicybindings", "delete"),
                        Risk.ChangesAdmission),
                row("admission policies read", rule(ADMISSION, "validatingadmissionpolicies", "get", "list")),
                // Certificates: approving a CSR, approving or signing for a signer.
                row(
                        "csr approval",
                        rule(CERTIFICATES, "certificatesigningrequests/approval", "update"),
                        Risk.SignsCertificates),
                row(
                        "signers approve",
                        named(CERTIFICATES, "signers", "approve", "kubernetes.io/kube-apiserver-client"),
                        Risk.SignsCertificates),
                row("signers sign", rule(CERTIFICATES, "signers", "sign"), Risk.SignsCertificates),
                row("csr create", rule(CERTIFICATES, "certificatesigningrequests", "create", "get")),
                // Verbs that hand out more power.
                row("escalate", rule("rbac.authorization.k8s.io", "clusterroles", "escalate"), Risk.Escalation),
                row("bind", rule("rbac.authorization.k8s.io", "roles", "bind"), Risk.Escalation),
                row("impersonate", rule(CORE, "users", "impersonate"), Risk.Escalation),
                // Wildcards.
                row("every resource of a group", rule("apps", "*", "get"), Risk.WildcardResources),
                row("every group", rule("*", "deployments", "get"), Risk.WildcardResources),
                row("every verb on pods", rule(CORE, "pods", "*"), Risk.WildcardVerbs),
                row("every verb on pods/exec", rule(CORE, "pods/exec", "*"), Risk.WildcardVerbs, Risk.ExecIntoPods),
                row(
                        "every non-resource URL",
                        new PolicyRule(null, null, List.of("get"), null, List.of("*")),
                        Risk.WildcardResources),
                row("healthz", new PolicyRule(null, null, List.of("get"), null, List.of("/healthz"))),
                // Plain workloads stay plain.
                row("pods read", rule(CORE, "pods", "get", "list", "watch")),
                row("deployments write", rule("apps", "deployments", "create", "update", "patch", "delete")),
                // Names are compared as the API server would, but never less strictly.
                row("upper-case Secrets", rule(CORE, "Secrets", "GET"), Risk.ReadsSecrets));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachEscalationPathMakesATemplatePrivileged(String name, PolicyRule rule, Risk[] expected) {
        EnumSet<Risk> wanted = EnumSet.noneOf(Risk.class);
        wanted.addAll(List.of(expected));
        assertThat(RbacRisks.ofRule(rule)).as(name).isEqualTo(wanted);
        RoleTemplate template = new RoleTemplate("t", null, List.of(rule(CORE, "pods", "get"), rule));
        assertThat(template.privileged()).as(name).isEqualTo(expected.length > 0);
        assertThat(GuardRails.privileged("t", template)).isEqualTo(expected.length > 0);
        assertThat(GuardRails.adminOnlyTemplate(template))
                .extracting(FieldProblem::field)
                .isEqualTo(expected.length > 0 ? List.of("rules[1]") : List.of());
    }

    @org.junit.jupiter.api.Test
    void aWildcardRuleHoldsEveryRisk() {
        assertThat(RbacRisks.ofRules(List.of(rule("*", "*", "*"))))
                .isEqualTo(EnumSet.complementOf(EnumSet.of(Risk.ClusterAdmin, Risk.SystemMasters, Risk.Escalation)));
    }

    @org.junit.jupiter.api.Test
    void bindingsOfClusterAdminOrSystemMastersAreRisky() {
        assertThat(RbacRisks.ofBinding(
                        "cluster-admin", List.of(new RbacRisks.SubjectRef("User", "x", null)), List.of()))
                .containsExactly(Risk.ClusterAdmin);
        assertThat(RbacRisks.ofBinding(
                        "view", List.of(new RbacRisks.SubjectRef("Group", "system:masters", null)), List.of()))
                .containsExactly(Risk.SystemMasters);
    }

    @org.junit.jupiter.api.Test
    void builtInAdminRolesArePrivilegedAndViewAndEditAreNot() {
        assertThat(GuardRails.privileged("cluster-admin", null)).isTrue();
        assertThat(GuardRails.privileged("admin", null)).isTrue();
        assertThat(GuardRails.privileged("edit", null)).isFalse();
        assertThat(GuardRails.privileged("view", null)).isFalse();
    }

    private static Arguments row(String name, PolicyRule rule, Risk... expected) {
        return Arguments.of(name, rule, expected);
    }

    private static PolicyRule rule(String group, String resource, String... verbs) {
        return new PolicyRule(List.of(group), List.of(resource), List.of(verbs), null, null);
    }

    private static PolicyRule named(String group, String resource, String verb, String name) {
        return new PolicyRule(List.of(group), List.of(resource), List.of(verb), List.of(name), null);
    }
}
