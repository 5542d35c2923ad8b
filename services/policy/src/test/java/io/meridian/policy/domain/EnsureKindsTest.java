package io.meridian.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.compliance.ComplianceResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may ensure which kind: the operator allow-list, the fleet-admin's privilege, and what nobody gets. */
class EnsureKindsTest {

    @Test
    void theOperatorAllowListIsByGroupAndKind() {
        assertThat(EnsureKinds.tier("networking.k8s.io/v1", "NetworkPolicy")).isEqualTo(EnsureKinds.Tier.OPERATOR);
        assertThat(EnsureKinds.tier("v1", "LimitRange")).isEqualTo(EnsureKinds.Tier.OPERATOR);
        assertThat(EnsureKinds.tier("v1", "ResourceQuota")).isEqualTo(EnsureKinds.Tier.OPERATOR);
        assertThat(EnsureKinds.tier("v1", "ConfigMap")).isEqualTo(EnsureKinds.Tier.OPERATOR);
        // Look-alikes of other groups are someone's custom resources, and need a fleet-admin.
        assertThat(EnsureKinds.tier("crd.projectcalico.org/v1", "NetworkPolicy"))
                .isEqualTo(EnsureKinds.Tier.ADMIN);
        assertThat(EnsureKinds.tier("example.com/v1", "ConfigMap")).isEqualTo(EnsureKinds.Tier.ADMIN);
        assertThat(EnsureKinds.tier("apps/v1", "Deployment")).isEqualTo(EnsureKinds.Tier.ADMIN);
        assertThat(EnsureKinds.tier("v1", "ServiceAccount")).isEqualTo(EnsureKinds.Tier.ADMIN);
        assertThat(EnsureKinds.tier("v1", "Pod")).isEqualTo(EnsureKinds.Tier.ADMIN);
    }

    @Test
    void rbacAdmissionSecretsAndTokensAreNeverEnsured() {
        for (String[] kind : List.of(
                new String[] {"rbac.authorization.k8s.io/v1", "RoleBinding"},
                new String[] {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
                new String[] {"rbac.authorization.k8s.io/v1", "Role"},
                new String[] {"rbac.authorization.k8s.io/v1", "ClusterRole"},
                new String[] {"rbac.authorization.k8s.io/v1", "SomethingNew"},
                new String[] {"RBAC.authorization.k8s.io/v1", "RoleBinding"},
                new String[] {"example.com/v1", "clusterrolebinding"},
                new String[] {"v1", "Secret"},
                new String[] {"authentication.k8s.io/v1", "TokenRequest"},
                new String[] {"certificates.k8s.io/v1", "CertificateSigningRequest"},
                new String[] {"admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"},
                new String[] {"admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"},
                new String[] {"admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"},
                new String[] {"admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding"},
                new String[] {"apiregistration.k8s.io/v1", "APIService"})) {
            assertThat(EnsureKinds.tier(kind[0], kind[1]))
                    .as(kind[0] + " " + kind[1])
                    .isEqualTo(EnsureKinds.Tier.NEVER);
        }
    }

    @Test
    void neverKindsAreInvalidForEveryoneAndNameTheirField() {
        PolicyDefinition def = ensuring(
                object("networking.k8s.io/v1", "NetworkPolicy"),
                object("rbac.authorization.k8s.io/v1", "RoleBinding"),
                object("apps/v1", "DaemonSet"));

        assertThat(PolicyRules.check(def)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("ensure.objects[1].kind");
            assertThat(p.message()).contains("/api/v1/grants");
        });
        assertThat(EnsureKinds.beyondOperators(def))
                .extracting(EnsureKinds.Finding::field, EnsureKinds.Finding::tier)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ensure.objects[1].kind", EnsureKinds.Tier.NEVER),
                        org.assertj.core.groups.Tuple.tuple("ensure.objects[2].kind", EnsureKinds.Tier.ADMIN));
    }

    @Test
    void thePlannerLeavesTheClustersSystemNamespacesAlone() {
        CompiledPolicy policy = FleetComplianceTest.compile(ensuring(object("v1", "ConfigMap")), 3);
        List<FleetObject> namespaces = List.of(
                FleetComplianceTest.namespace("c1", "kube-system", Map.of()),
                FleetComplianceTest.namespace("c1", "kube-public", Map.of()),
                FleetComplianceTest.namespace("c1", "kube-node-lease", Map.of()),
                FleetComplianceTest.namespace("c1", "shop", Map.of()));

        List<Map<String, Object>> objects = EnforcementPlanner.desired(
                FleetCluster.of("c1", "aws", null, "prod", Map.of()), List.of(policy), namespaces);

        assertThat(objects)
                .extracting(o -> (Object) ((Map<?, ?>) o.get("metadata")).get("namespace"))
                .containsExactly("shop");
    }

    @Test
    void aStoredDefinitionWithAKindNobodyMayEnsureNoLongerCompilesSoItIsNotInForce() {
        // Policies stored before these guard rails are compiled again on start; this one is refused, not planned.
        assertThat(CompiledPolicy.compile(ensuring(object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")), 1))
                .isInstanceOf(CompiledPolicy.Invalid.class);
    }

    private static Map<String, Object> object(String apiVersion, String kind) {
        return Map.of("apiVersion", apiVersion, "kind", kind, "metadata", Map.of("name", "x"));
    }

    @SafeVarargs
    private static PolicyDefinition ensuring(Map<String, Object>... objects) {
        return new PolicyDefinition(
                "ensures",
                null,
                null,
                ComplianceResult.Action.AUDIT,
                List.of(),
                null,
                new PolicyDefinition.Spec(
                        new PolicyDefinition.MatchResources(
                                List.of(new PolicyDefinition.ResourceRule(
                                        List.of(""), List.of("v1"), List.of("namespaces"), List.of())),
                                null,
                                null,
                                null),
                        null,
                        null,
                        null,
                        null),
                new PolicyDefinition.Ensure(null, List.of(objects)));
    }
}
