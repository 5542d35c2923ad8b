package io.meridian.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.selector.LabelSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ValidatingAdmissionPolicy manifests become Meridian policies; Meridian's fields ride on annotations. */
class VapImportTest {

    @Test
    void readsAnnotationsAndTheBindingsAction() {
        Map<String, Object> vap = Map.of(
                "apiVersion",
                "admissionregistration.k8s.io/v1",
                "kind",
                "ValidatingAdmissionPolicy",
                "metadata",
                Map.of(
                        "name",
                        "demo",
                        "annotations",
                        Map.of(
                                "meridian.io/severity", "critical",
                                "meridian.io/categories", "security, cost",
                                "meridian.io/clouds", "aws,gcp",
                                "meridian.io/cluster-selector", "tier=gold")),
                "spec",
                Map.of(
                        "matchConstraints",
                                Map.of(
                                        "resourceRules",
                                        List.of(Map.of(
                                                "apiGroups",
                                                List.of(""),
                                                "apiVersions",
                                                List.of("v1"),
                                                "resources",
                                                List.of("pods"),
                                                "operations",
                                                List.of("CREATE")))),
                        "validations", List.of(Map.of("expression", "true"))));
        Map<String, Object> binding = Map.of(
                "kind",
                "ValidatingAdmissionPolicyBinding",
                "spec",
                Map.of("policyName", "demo", "validationActions", List.of("Deny")));

        var result = VapImport.from(List.of(vap, binding));

        assertThat(result).isInstanceOf(VapImport.Imported.class);
        PolicyDefinition def = ((VapImport.Imported) result).definition();
        assertThat(def.name()).isEqualTo("demo");
        assertThat(def.severity()).isEqualTo(ComplianceResult.Severity.CRITICAL);
        assertThat(def.action()).isEqualTo(ComplianceResult.Action.DENY);
        assertThat(def.categories()).containsExactly("security", "cost");
        assertThat(def.fleetScope().clouds()).containsExactly("aws", "gcp");
        assertThat(def.fleetScope().clusterSelector().matchLabels()).containsEntry("tier", "gold");
        assertThat(def.spec().validations())
                .singleElement()
                .satisfies(v -> assertThat(v.expression()).isEqualTo("true"));
    }

    @Test
    void rejectsWhatIsNotAnAdmissionPolicy() {
        var result = VapImport.from(List.of(Map.of("apiVersion", "v1", "kind", "ConfigMap")));
        assertThat(result).isInstanceOf(VapImport.Rejected.class);
        assertThat(((VapImport.Rejected) result).problems())
                .extracting(FieldProblem::field)
                .containsExactly("kind");

        var badSeverity = VapImport.from(List.of(Map.of(
                "apiVersion",
                "admissionregistration.k8s.io/v1",
                "kind",
                "ValidatingAdmissionPolicy",
                "metadata",
                Map.of("name", "x", "annotations", Map.of("meridian.io/severity", "urgent")),
                "spec",
                Map.of())));
        assertThat(((VapImport.Rejected) badSeverity).problems())
                .extracting(FieldProblem::field)
                .containsExactly("metadata.annotations[meridian.io/severity]");
    }

    @Test
    void theClusterSelectorAnnotationIsAKubectlSelector() {
        var result =
                VapImport.from(List.of(withClusterSelector("tier in (gold,silver),!legacy,meridian.io/cloud=aws")));

        assertThat(result).isInstanceOf(VapImport.Imported.class);
        assertThat(((VapImport.Imported) result).definition().fleetScope().clusterSelector())
                .isEqualTo(LabelSelector.parse("meridian.io/cloud=aws,tier in (gold,silver),!legacy"));

        var bad = VapImport.from(List.of(withClusterSelector("tier in (gold")));
        assertThat(((VapImport.Rejected) bad).problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("metadata.annotations[meridian.io/cluster-selector]");
            assertThat(p.message()).contains("'tier in (gold'");
        });
    }

    private static Map<String, Object> withClusterSelector(String selector) {
        return Map.of(
                "apiVersion",
                "admissionregistration.k8s.io/v1",
                "kind",
                "ValidatingAdmissionPolicy",
                "metadata",
                Map.of("name", "scoped", "annotations", Map.of("meridian.io/cluster-selector", selector)),
                "spec",
                Map.of("validations", List.of(Map.of("expression", "true"))));
    }
}
