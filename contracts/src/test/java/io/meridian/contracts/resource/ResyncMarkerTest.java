package io.meridian.contracts.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.EventJson;
import io.meridian.contracts.resource.ResyncMarker.GroupKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a completed relist says is gone: only older objects of the kinds it listed completely. */
class ResyncMarkerTest {

    private static final Instant AT = Instant.parse("2026-11-24T12:00:00Z");
    private static final GroupKind CLUSTER_ROLE = new GroupKind("rbac.authorization.k8s.io", "ClusterRole");

    @Test
    void aCompleteRelistRemovesEveryOlderObjectAndNothingNewer() {
        ResyncMarker marker = new ResyncMarker("c1", 9, ResyncMarker.Phase.Completed, 10, AT);

        assertThat(marker.removes("rbac.authorization.k8s.io", "ClusterRole", 8))
                .isTrue();
        assertThat(marker.removes("", "Namespace", 8)).isTrue();
        assertThat(marker.removes("", "Namespace", 9)).isFalse();
        assertThat(marker.removesKey("c1/apps/Deployment/shop/cart", 8)).isTrue();
        assertThat(marker.removesKey("c1/apps/Deployment/shop/cart", 9)).isFalse();
    }

    @Test
    void aPartialRelistKeepsTheObjectsOfTheKindsItCouldNotList() {
        ResyncMarker marker = new ResyncMarker(
                "c1", 9, ResyncMarker.Phase.Completed, 10, AT, List.of(CLUSTER_ROLE, new GroupKind(null, "Namespace")));

        assertThat(marker.resynced("rbac.authorization.k8s.io", "ClusterRole")).isFalse();
        assertThat(marker.removes("rbac.authorization.k8s.io", "ClusterRole", 8))
                .isFalse();
        assertThat(marker.removes("", "Namespace", 8)).isFalse();
        assertThat(marker.removesKey("c1/rbac.authorization.k8s.io/ClusterRole//ops-debug-all", 8))
                .isFalse();
        assertThat(marker.removesKey("c1//Namespace//checkout", 8)).isFalse();
        // Same kind name, other group: listed, so gone.
        assertThat(marker.removes("example.com", "ClusterRole", 8)).isTrue();
        assertThat(marker.removesKey("c1/rbac.authorization.k8s.io/ClusterRoleBinding//legacy-admin", 8))
                .isTrue();
        assertThat(marker.removesKey("c1/apps/Deployment/shop/cart", 8)).isTrue();
        assertThat(CLUSTER_ROLE).hasToString("ClusterRole.rbac.authorization.k8s.io");
    }

    @Test
    void theFieldIsOptionalOnTheWireBothWays() {
        ResyncMarker old = EventJson.read("""
                {"clusterId":"c1","epoch":9,"phase":"Completed","objectCount":3,"at":"2026-11-24T12:00:00Z"}""".getBytes(StandardCharsets.UTF_8), ResyncMarker.class);
        assertThat(old.notResynced()).isEmpty();
        assertThat(new String(EventJson.write(old), StandardCharsets.UTF_8)).doesNotContain("notResynced");

        ResyncMarker partial = new ResyncMarker("c1", 9, ResyncMarker.Phase.Completed, 3, AT, List.of(CLUSTER_ROLE));
        assertThat(new String(EventJson.write(partial), StandardCharsets.UTF_8))
                .contains("\"notResynced\":[{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\"}]");
        assertThat(EventJson.read(EventJson.write(partial), ResyncMarker.class)).isEqualTo(partial);
    }
}
