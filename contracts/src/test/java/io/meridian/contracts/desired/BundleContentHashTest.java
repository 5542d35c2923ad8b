package io.meridian.contracts.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BundleContentHashTest {

    // Computed with the three copies this function replaces (identity's BundleDeclarations, policy's
    // ComplianceReconciler, inventory's DesiredObject) before they were removed: owners' tables and the
    // meridian.io/content-hash annotations on clusters hold values of exactly this function.
    private static final String GOLDEN_BUNDLE = "470517f9607c6e1eae53e0d83a1a61cd3cd8feda511f99110e7f4c79b701d271";
    private static final String GOLDEN_OBJECT = "ce6e71947f915fef17667083c05f0ec02593bd76d13c21c8edbe96e339d17cd3";
    private static final String GOLDEN_EMPTY = "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945";

    @Test
    void aFixedBundleHashesToTheValueOwnersAlreadyStored() {
        assertThat(BundleContentHash.of(List.of(roleBinding(), networkPolicy())))
                .isEqualTo(GOLDEN_BUNDLE);
        assertThat(BundleContentHash.ofObject(roleBinding())).isEqualTo(GOLDEN_OBJECT);
        assertThat(BundleContentHash.of(List.of())).isEqualTo(GOLDEN_EMPTY);
        assertThat(BundleContentHash.of(null)).isEqualTo(GOLDEN_EMPTY);
    }

    @Test
    void mapKeyOrderDoesNotMatterAtAnyDepth() {
        Map<String, Object> reordered = reverse(roleBinding());
        reordered.put("metadata", reverse(asMap(reordered.get("metadata"))));
        reordered.put("roleRef", new TreeMap<>(asMap(reordered.get("roleRef"))));
        assertThat(List.copyOf(reordered.keySet()))
                .isNotEqualTo(List.copyOf(roleBinding().keySet()));

        assertThat(BundleContentHash.ofObject(reordered)).isEqualTo(GOLDEN_OBJECT);
        assertThat(BundleContentHash.of(List.of(reordered, networkPolicy()))).isEqualTo(GOLDEN_BUNDLE);
    }

    @Test
    void listOrderMatters() {
        assertThat(BundleContentHash.of(List.of(networkPolicy(), roleBinding())))
                .isNotEqualTo(GOLDEN_BUNDLE);
        assertThat(BundleContentHash.ofObject(Map.of("verbs", List.of("get", "list"))))
                .isNotEqualTo(BundleContentHash.ofObject(Map.of("verbs", List.of("list", "get"))));
    }

    @Test
    void numbersHashAsTheirJavaTypeWritesThem() {
        // 1 and 1.0 are different JSON texts: a manifest that changes one into the other is a new generation.
        assertThat(BundleContentHash.ofObject(Map.of("replicas", 1)))
                .isNotEqualTo(BundleContentHash.ofObject(Map.of("replicas", 1.0)));
        // Integer and Long both write "1", BigDecimal 1.0 writes "1.0" like a double.
        assertThat(BundleContentHash.ofObject(Map.of("replicas", 1)))
                .isEqualTo(BundleContentHash.ofObject(Map.of("replicas", 1L)));
        assertThat(BundleContentHash.ofObject(Map.of("replicas", 1.0)))
                .isEqualTo(BundleContentHash.ofObject(Map.of("replicas", new BigDecimal("1.0"))));
    }

    @Test
    void anExplicitNullIsContentAndAnObjectIsNotABundleOfOne() {
        Map<String, Object> withNull = new LinkedHashMap<>(Map.of("kind", "ConfigMap"));
        withNull.put("data", null);
        assertThat(BundleContentHash.ofObject(withNull))
                .isNotEqualTo(BundleContentHash.ofObject(Map.of("kind", "ConfigMap")));
        assertThat(BundleContentHash.of(List.of(roleBinding()))).isNotEqualTo(GOLDEN_OBJECT);
        assertThat(GOLDEN_BUNDLE).matches("[0-9a-f]{64}");
    }

    @Test
    void aValueThatIsNoJsonIsRefusedNotHashedByIdentity() {
        Map<String, Object> unserialisable = Map.of("handle", new Object());
        assertThatThrownBy(() -> BundleContentHash.ofObject(unserialisable))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plain JSON values");
    }

    private static Map<String, Object> roleBinding() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("namespace", "payments");
        metadata.put("name", "meridian-grant-g1");
        metadata.put("labels", new LinkedHashMap<>(Map.of("team", "payments")));
        Map<String, Object> roleRef = new LinkedHashMap<>();
        roleRef.put("name", "edit");
        roleRef.put("kind", "ClusterRole");
        roleRef.put("apiGroup", "rbac.authorization.k8s.io");
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("name", "oidc:/payments");
        subject.put("kind", "Group");
        subject.put("apiGroup", "rbac.authorization.k8s.io");
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("kind", "RoleBinding");
        manifest.put("apiVersion", "rbac.authorization.k8s.io/v1");
        manifest.put("metadata", metadata);
        manifest.put("roleRef", roleRef);
        manifest.put("subjects", List.of(subject));
        return manifest;
    }

    private static Map<String, Object> networkPolicy() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("replicas", 1);
        spec.put("weight", 1.5);
        spec.put("note", null);
        spec.put("text", "\u00e9 \u2713");
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("metadata", Map.of("name", "default-deny"));
        manifest.put("kind", "NetworkPolicy");
        manifest.put("apiVersion", "networking.k8s.io/v1");
        manifest.put("spec", spec);
        return manifest;
    }

    private static Map<String, Object> reverse(Map<String, Object> map) {
        List<String> keys = new ArrayList<>(map.keySet());
        Map<String, Object> reversed = new LinkedHashMap<>();
        for (String key : keys.reversed()) {
            reversed.put(key, map.get(key));
        }
        return reversed;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }
}
