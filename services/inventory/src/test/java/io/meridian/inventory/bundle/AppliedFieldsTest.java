package io.meridian.inventory.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppliedFieldsTest {

    private static Map<String, Object> deployment(Object containers) {
        return Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", "web", "labels", Map.of("meridian.io/owner", "placement")),
                "spec",
                Map.of("template", Map.of("spec", Map.of("containers", containers))));
    }

    private static Map<String, Object> container(String name, String image, Object... more) {
        var map = new java.util.LinkedHashMap<String, Object>();
        map.put("name", name);
        map.put("image", image);
        for (int i = 0; i < more.length; i += 2) {
            map.put((String) more[i], more[i + 1]);
        }
        return map;
    }

    @Test
    void containersMatchByNameSoAnInjectedSidecarAndDefaultsAreNotDrift() {
        var desired = deployment(List.of(container("app", "shop:1", "ports", List.of(Map.of("containerPort", 8080)))));
        var live = deployment(List.of(
                container("istio-proxy", "proxyv2:1.23"),
                container(
                        "app",
                        "shop:1",
                        "imagePullPolicy",
                        "IfNotPresent",
                        "ports",
                        List.of(Map.of("containerPort", 8080, "protocol", "TCP")))));
        assertThat(AppliedFields.firstDifference(desired, live)).isEmpty();

        var edited = deployment(List.of(container("app", "shop:2"), container("istio-proxy", "proxyv2:1.23")));
        assertThat(AppliedFields.firstDifference(desired, edited))
                .contains("spec.template.spec.containers[name=app].image");
        var gone = deployment(List.of(container("istio-proxy", "proxyv2:1.23")));
        assertThat(AppliedFields.firstDifference(desired, gone)).contains("spec.template.spec.containers[name=app]");
        var portGone = deployment(List.of(container("app", "shop:1")));
        assertThat(AppliedFields.firstDifference(desired, portGone))
                .contains("spec.template.spec.containers[name=app].ports");
    }

    @Test
    void atomicListsAreComparedWholeButElementDefaultsAreNotDrift() {
        Map<String, Object> desired = Map.of(
                "kind",
                "ValidatingAdmissionPolicy",
                "spec",
                Map.of("matchConstraints", Map.of("resourceRules", List.of(Map.of("operations", List.of("CREATE"))))));
        Map<String, Object> live = Map.of(
                "kind",
                "ValidatingAdmissionPolicy",
                "spec",
                Map.of(
                        "failurePolicy",
                        "Fail",
                        "matchConstraints",
                        Map.of(
                                "matchPolicy",
                                "Equivalent",
                                "resourceRules",
                                List.of(Map.of("operations", List.of("CREATE"), "scope", "*")))));
        assertThat(AppliedFields.firstDifference(desired, live)).isEmpty();

        Map<String, Object> added = Map.of(
                "spec",
                Map.of(
                        "matchConstraints",
                        Map.of(
                                "resourceRules",
                                List.of(
                                        Map.of("operations", List.of("CREATE")),
                                        Map.of("operations", List.of("DELETE"))))));
        assertThat(AppliedFields.firstDifference(desired, added)).contains("spec.matchConstraints.resourceRules");
        Map<String, Object> changed = Map.of(
                "spec",
                Map.of(
                        "matchConstraints",
                        Map.of("resourceRules", List.of(Map.of("operations", List.of("CREATE", "UPDATE"))))));
        assertThat(AppliedFields.firstDifference(desired, changed)).contains("spec.matchConstraints.resourceRules");
    }

    @Test
    void quantitiesCompareByAmountOnlyWhereKubernetesKeepsQuantities() {
        var desired = deployment(List.of(
                container("app", "shop:1", "resources", Map.of("limits", Map.of("cpu", "0.5", "memory", "1024Mi")))));
        var live = deployment(List.of(
                container("app", "shop:1", "resources", Map.of("limits", Map.of("cpu", "500m", "memory", "1Gi")))));
        assertThat(AppliedFields.firstDifference(desired, live)).isEmpty();
        var more = deployment(List.of(
                container("app", "shop:1", "resources", Map.of("limits", Map.of("cpu", "600m", "memory", "1Gi")))));
        assertThat(AppliedFields.firstDifference(desired, more))
                .contains("spec.template.spec.containers[name=app].resources.limits.cpu");

        Map<String, Object> config = Map.of("kind", "ConfigMap", "data", Map.of("size", "1k"));
        assertThat(AppliedFields.firstDifference(config, Map.of("kind", "ConfigMap", "data", Map.of("size", "1000"))))
                .contains("data.size");
        assertThat(AppliedFields.quantity("1e3")).isEqualByComparingTo("1000");
        assertThat(AppliedFields.quantity("2E")).isEqualByComparingTo("2000000000000000000");
        assertThat(AppliedFields.quantity("abc")).isNull();
    }

    @Test
    void setsNumbersAndEmptyValues() {
        Map<String, Object> desired = Map.of(
                "kind",
                "Namespace",
                "spec",
                Map.of("finalizers", List.of("kubernetes"), "selector", Map.of(), "items", List.of()),
                "replicas",
                3);
        Map<String, Object> live = Map.of(
                "kind", "Namespace", "spec", Map.of("finalizers", List.of("other", "kubernetes")), "replicas", 3L);
        assertThat(AppliedFields.firstDifference(desired, live)).isEmpty();
        Map<String, Object> missing =
                Map.of("kind", "Namespace", "spec", Map.of("finalizers", List.of("other")), "replicas", 3L);
        assertThat(AppliedFields.firstDifference(desired, missing)).contains("spec.finalizers");
        assertThat(AppliedFields.firstDifference(
                        desired, Map.of("spec", Map.of("finalizers", List.of("kubernetes")), "replicas", 4)))
                .contains("replicas");
        assertThat(AppliedFields.firstDifference(desired, null)).contains("");
    }
}
