package io.meridian.inventory.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WatchedKindTest {

    @Test
    void parsesANamespacedKind() {
        assertThat(WatchedKind.parse("networking.k8s.io/v1/NetworkPolicy/networkpolicies"))
                .isEqualTo(new WatchedKind("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true));
    }

    @Test
    void parsesAClusterScopedCustomKind() {
        WatchedKind kind = WatchedKind.parse("cluster.x-k8s.io/v1beta1/Cluster/clusters/cluster");
        assertThat(kind).isEqualTo(new WatchedKind("cluster.x-k8s.io", "v1beta1", "Cluster", "clusters", false));
        assertThat(kind.apiVersion()).isEqualTo("cluster.x-k8s.io/v1beta1");
    }

    @Test
    void coreStandsForTheCoreGroup() {
        WatchedKind kind = WatchedKind.parse("core/v1/ConfigMap/configmaps");
        assertThat(kind.group()).isEmpty();
        assertThat(kind.apiVersion()).isEqualTo("v1");
        assertThat(kind.spec()).isEqualTo("core/v1/ConfigMap/configmaps");
    }

    @Test
    void specReadsBack() {
        assertThat(WatchedKinds.BUILT_IN)
                .allSatisfy(k -> assertThat(WatchedKind.parse(k.spec())).isEqualTo(k));
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "''| it is empty",
                "NetworkPolicy| it has 1 segment separated by '/', expected 4 or 5",
                "networking.k8s.io/v1/NetworkPolicy| it has 3 segments",
                "networking.k8s.io/v1/NetworkPolicy/networkpolicies/namespaced| the only one allowed is 'cluster'",
                "/v1/ConfigMap/configmaps| the group is empty",
                "Networking.K8s.io/v1/NetworkPolicy/networkpolicies| group 'Networking.K8s.io' is not a lower-case DNS subdomain",
                "networking.k8s.io/V1/NetworkPolicy/networkpolicies| version 'V1' is not a version",
                "networking.k8s.io/v1/networkpolicy/networkpolicies| kind 'networkpolicy' is not a CamelCase kind",
                "networking.k8s.io/v1/NetworkPolicy/NetworkPolicies| plural 'NetworkPolicies' is not a lower-case resource name",
                "a/b/c/d/e/f| it has 6 segments",
            })
    void saysWhatIsWrongAndWhatIsExpected(String spec, String problem) {
        assertThatThrownBy(() -> WatchedKind.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem)
                .hasMessageContaining("expected group/version/Kind/plural[/cluster]");
    }

    @Test
    void builtInKindsAreTheOnesFleetServicesRead() {
        assertThat(WatchedKinds.BUILT_IN)
                .extracting(WatchedKind::kind)
                .containsExactlyInAnyOrder(
                        "Namespace",
                        "Node",
                        "Pod",
                        "Deployment",
                        "StatefulSet",
                        "DaemonSet",
                        "Service",
                        "StorageClass",
                        "PersistentVolume",
                        "PersistentVolumeClaim",
                        "Role",
                        "RoleBinding",
                        "ClusterRole",
                        "ClusterRoleBinding");
        assertThat(WatchedKinds.BUILT_IN)
                .filteredOn(k -> !k.namespaced())
                .extracting(WatchedKind::kind)
                .containsExactlyInAnyOrder(
                        "Namespace", "Node", "StorageClass", "PersistentVolume", "ClusterRole", "ClusterRoleBinding");
        assertThat(WatchedKinds.BUILT_IN)
                .filteredOn(k -> k.kind().equals("Deployment"))
                .singleElement()
                .extracting(WatchedKind::apiVersion)
                .isEqualTo("apps/v1");
    }

    @Test
    void configuredKindsComeAfterTheBuiltInOnes() {
        List<WatchedKind> kinds = WatchedKinds.withConfigured(List.of(
                "networking.k8s.io/v1/NetworkPolicy/networkpolicies", "cluster.x-k8s.io/v1beta1/Cluster/clusters"));
        assertThat(kinds).hasSize(WatchedKinds.BUILT_IN.size() + 2);
        assertThat(kinds.subList(0, WatchedKinds.BUILT_IN.size())).isEqualTo(WatchedKinds.BUILT_IN);
        assertThat(kinds.getLast().kind()).isEqualTo("Cluster");
    }

    @Test
    void aKindIsWatchedOnce() {
        assertThatThrownBy(() -> WatchedKinds.withConfigured(List.of("apps/v1/Deployment/deployments")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "'apps/v1/Deployment/deployments' is already watched as 'apps/v1/Deployment/deployments'");
        assertThatThrownBy(() -> WatchedKinds.withConfigured(
                        List.of("example.com/v1/Widget/widgets", "example.com/v2/Widget/widgets")))
                .hasMessageContaining("already watched as 'example.com/v1/Widget/widgets'");
    }

    @Test
    void theRecordRejectsInvalidParts() {
        assertThatThrownBy(() -> new WatchedKind("apps", "v1", "deployment", "deployments", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kind 'deployment'");
    }
}
