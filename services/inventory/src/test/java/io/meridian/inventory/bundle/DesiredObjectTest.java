package io.meridian.inventory.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class DesiredObjectTest {

    private static Map<String, Object> roleBinding(String subject) {
        return Map.of(
                "apiVersion", "rbac.authorization.k8s.io/v1",
                "kind", "RoleBinding",
                "metadata", Map.of("name", "team-a", "namespace", "payments", "labels", Map.of("team", "a")),
                "roleRef", Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", "view"),
                "subjects", List.of(Map.of("kind", "Group", "name", subject)),
                "status", Map.of("ignored", true));
    }

    private static DesiredObject ok(Map<String, Object> manifest) {
        return ((DesiredObject.Ok) DesiredObject.of("identity", manifest)).object();
    }

    @Test
    void stampsOwnershipAndAContentHashThatFollowsTheContent() {
        DesiredObject a = ok(roleBinding("oidc:a"));
        assertThat(a.key()).isEqualTo("rbac.authorization.k8s.io/v1/RoleBinding/payments/team-a");
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) a.manifest().get("metadata");
        assertThat((Map<String, Object>) meta.get("labels"))
                .containsEntry("team", "a")
                .containsEntry("app.kubernetes.io/managed-by", "meridian")
                .containsEntry("meridian.io/owner", "identity");
        assertThat(a.manifest()).doesNotContainKey("status");
        assertThat(a.contentHash()).isEqualTo(ok(roleBinding("oidc:a")).contentHash());
        assertThat(a.contentHash()).isNotEqualTo(ok(roleBinding("oidc:b")).contentHash());
    }

    @Test
    void liveObjectWithServerAddedFieldsStillSatisfiesButAChangedFieldDoesNot() {
        DesiredObject desired = ok(roleBinding("oidc:a"));
        Map<String, Object> live = new HashMap<>(desired.manifest());
        Map<String, Object> meta = new HashMap<>((Map<String, Object>) live.get("metadata"));
        Map<String, Object> labels = new HashMap<>((Map<String, Object>) meta.get("labels"));
        labels.put("added-by", "kyverno");
        meta.put("labels", labels);
        meta.put("resourceVersion", "7");
        live.put("metadata", meta);
        live.put("status", Map.of("server", "added"));
        assertThat(desired.isSatisfiedBy(live)).isTrue();

        Map<String, Object> edited = new HashMap<>(live);
        edited.put("subjects", List.of(Map.of("kind", "User", "name", "mallory")));
        assertThat(desired.drift(edited)).contains("subjects");

        Map<String, Object> unlabelled = new HashMap<>(live);
        unlabelled.put("metadata", Map.of("name", "team-a"));
        assertThat(desired.drift(unlabelled)).contains("metadata.labels[app.kubernetes.io/managed-by]");
    }

    @Test
    void invalidManifestsSayWhatIsMissing() {
        assertThat(DesiredObject.of("identity", Map.of("kind", "RoleBinding", "metadata", Map.of("name", "x"))))
                .isInstanceOfSatisfying(
                        DesiredObject.Bad.class,
                        bad -> assertThat(bad.invalid().reason()).contains("apiVersion"));
        assertThat(DesiredObject.of("identity", Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of())))
                .isInstanceOfSatisfying(
                        DesiredObject.Bad.class,
                        bad -> assertThat(bad.invalid().reason()).contains("metadata.name"));
        assertThat(DesiredObject.of(
                        "identity",
                        Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "Not_Valid"))))
                .isInstanceOfSatisfying(
                        DesiredObject.Bad.class,
                        bad -> assertThat(bad.invalid().reason()).contains("not a valid"));
    }

    @Test
    void ownershipIsReadFromLabels() {
        assertThat(DesiredObject.ownerOf(
                        Map.of("app.kubernetes.io/managed-by", "meridian", "meridian.io/owner", "policy")))
                .isEqualTo("policy");
        assertThat(DesiredObject.ownerOf(Map.of("meridian.io/owner", "policy"))).isNull();
        assertThat(DesiredObject.ownedBy(
                        Map.of("app.kubernetes.io/managed-by", "meridian", "meridian.io/owner", "policy"), "identity"))
                .isFalse();
    }
}
