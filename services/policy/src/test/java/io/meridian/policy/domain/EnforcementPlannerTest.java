package io.meridian.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.selector.LabelSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What goes to a cluster: admission policies for deny/warn, remediation objects for ensure, nothing for audit. */
class EnforcementPlannerTest {

    @Test
    @SuppressWarnings("unchecked")
    void denyAndWarnBecomeAdmissionPoliciesWithTheirBinding() {
        FleetCluster prod = FleetCluster.of("c1", "aws", null, "prod", Map.of());
        CompiledPolicy deny = withAction("no-privileged", ComplianceResult.Action.DENY);
        CompiledPolicy warn = withAction("probes", ComplianceResult.Action.WARN);
        CompiledPolicy audit = withAction("labels", ComplianceResult.Action.AUDIT);

        List<Map<String, Object>> objects = EnforcementPlanner.desired(prod, List.of(warn, audit, deny), List.of());

        assertThat(objects)
                .extracting(o -> o.get("kind") + "/" + ((Map<String, Object>) o.get("metadata")).get("name"))
                .containsExactly(
                        "ValidatingAdmissionPolicy/meridian-no-privileged",
                        "ValidatingAdmissionPolicyBinding/meridian-no-privileged",
                        "ValidatingAdmissionPolicy/meridian-probes",
                        "ValidatingAdmissionPolicyBinding/meridian-probes");
        Map<String, Object> vapSpec = (Map<String, Object>) objects.get(0).get("spec");
        assertThat(vapSpec).containsEntry("failurePolicy", "Fail");
        assertThat((List<Map<String, Object>>) vapSpec.get("validations"))
                .singleElement()
                .satisfies(v -> assertThat(v).containsEntry("expression", FleetComplianceTest.NO_PRIVILEGED));
        assertThat((Map<String, Object>) objects.get(1).get("spec"))
                .containsEntry("validationActions", List.of("Deny"));
        assertThat((Map<String, Object>) objects.get(3).get("spec"))
                .containsEntry("validationActions", List.of("Warn"));
        assertThat(objects.get(0)).containsEntry("apiVersion", "admissionregistration.k8s.io/v1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void ensurePoliciesPutTheirObjectsInEveryMatchingNamespace() {
        FleetCluster prod = FleetCluster.of("c1", "aws", null, "prod", Map.of());
        var ensure = new PolicyDefinition.Ensure(
                new LabelSelector(Map.of(), List.of(LabelSelector.Requirement.exists("team"))),
                List.of(Map.of(
                        "apiVersion",
                        "v1",
                        "kind",
                        "LimitRange",
                        "metadata",
                        Map.of("name", "defaults"),
                        "spec",
                        Map.of("limits", List.of(Map.of("type", "Container"))))));
        var def = new PolicyDefinition(
                "team-defaults",
                null,
                null,
                ComplianceResult.Action.AUDIT,
                List.of("reliability"),
                null,
                spec(),
                ensure);
        CompiledPolicy policy = FleetComplianceTest.compile(def, 7);
        List<FleetObject> namespaces = List.of(
                FleetComplianceTest.namespace("c1", "team-b", Map.of("team", "b")),
                FleetComplianceTest.namespace("c1", "kube-system", Map.of()),
                FleetComplianceTest.namespace("c1", "team-a", Map.of("team", "a")));

        List<Map<String, Object>> objects = EnforcementPlanner.desired(prod, List.of(policy), namespaces);

        assertThat(objects)
                .extracting(o -> ((Map<String, Object>) o.get("metadata")).get("namespace"))
                .containsExactly("team-a", "team-b");
        Map<String, Object> meta = (Map<String, Object>) objects.get(0).get("metadata");
        assertThat((Map<String, Object>) meta.get("labels")).containsEntry("meridian.io/policy", "team-defaults");
        assertThat((Map<String, Object>) meta.get("annotations")).containsEntry("meridian.io/policy-generation", "7");
    }

    @Test
    void clustersOutsideTheScopeGetNothing() {
        FleetCluster dev = FleetCluster.of("c2", "gcp", null, "dev", Map.of());
        var def = new PolicyDefinition(
                "prod-only",
                null,
                null,
                ComplianceResult.Action.DENY,
                List.of(),
                new PolicyDefinition.FleetScope(null, List.of(), List.of("prod")),
                spec(),
                null);
        assertThat(EnforcementPlanner.desired(dev, List.of(FleetComplianceTest.compile(def, 1)), List.of()))
                .isEmpty();
    }

    private static CompiledPolicy withAction(String name, ComplianceResult.Action action) {
        return FleetComplianceTest.compile(
                new PolicyDefinition(name, null, null, action, List.of(), null, spec(), null), 1);
    }

    private static PolicyDefinition.Spec spec() {
        return new PolicyDefinition.Spec(
                new PolicyDefinition.MatchResources(
                        List.of(new PolicyDefinition.ResourceRule(
                                List.of(""), List.of("v1"), List.of("pods"), List.of("CREATE", "UPDATE"))),
                        null,
                        null,
                        null),
                null,
                null,
                List.of(new PolicyDefinition.Validation(FleetComplianceTest.NO_PRIVILEGED, null, null, null)),
                null);
    }
}
