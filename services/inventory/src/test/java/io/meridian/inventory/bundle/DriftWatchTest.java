package io.meridian.inventory.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meridian.testsupport.MockCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the drift watch's cache may tell the applier, against a simulated API server. */
class DriftWatchTest {

    private static final String ROLE_BINDING = "rbac.authorization.k8s.io/v1/RoleBinding";

    @Test
    void anObjectWhoseLabelsWereTakenOffIsReportedByItsLabelsAndTheManagersItHasNow() {
        RoleBinding before = new RoleBindingBuilder()
                .withNewMetadata()
                .withName("readers")
                .withNamespace("shop")
                .withLabels(Map.of("app.kubernetes.io/managed-by", "meridian", "meridian.io/owner", "identity"))
                .withManagedFields(new ManagedFieldsEntryBuilder()
                        .withManager("meridian-identity")
                        .build())
                .endMetadata()
                .build();
        RoleBinding now = new RoleBindingBuilder(before)
                .editMetadata()
                .withLabels(Map.of())
                .withManagedFields(
                        new ManagedFieldsEntryBuilder()
                                .withManager("meridian-identity")
                                .build(),
                        new ManagedFieldsEntryBuilder()
                                .withManager("kubectl-edit")
                                .build())
                .endMetadata()
                .build();

        HasMetadata reported = DriftWatch.unlabelled(before, now, "rbac.authorization.k8s.io/v1", "RoleBinding");

        assertThat(reported.getKind()).isEqualTo("RoleBinding");
        assertThat(reported.getApiVersion()).isEqualTo("rbac.authorization.k8s.io/v1");
        assertThat(reported.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(reported.getMetadata().getLabels()).containsEntry("meridian.io/owner", "identity");
        assertThat(reported.getMetadata().getManagedFields())
                .extracting(ManagedFieldsEntry::getManager)
                .containsExactly("meridian-identity", "kubectl-edit");
        assertThat(before.getMetadata().getManagedFields())
                .as("nothing it was given changes")
                .hasSize(1);
    }

    @Test
    void aCacheWhoseWatchIsClosedIsNotTrustedSoTheApplierAsksTheServer() {
        try (MockCluster cluster = MockCluster.start("drift-watch-closed")) {
            DriftWatch drift = new DriftWatch((name, live, deleted) -> {}, (name, kind) -> null);
            DesiredObject binding = binding("readers");
            try {
                drift.watch(cluster.name(), cluster.client(), List.of(ROLE_BINDING));
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> drift.cached(cluster.name(), binding).known());
                assertThat(drift.cached(cluster.name(), binding).live())
                        .as("absent, and the cache knows it")
                        .isNull();

                // The watch ends (410) and cannot list again: its cache holds what it last saw, for as long as it
                // takes.
                cluster.forbidKinds(List.of("RoleBinding"));
                cluster.expireWatches();

                await().atMost(Duration.ofSeconds(15))
                        .until(() -> !drift.cached(cluster.name(), binding).known());
            } finally {
                drift.stop(cluster.name());
            }
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aConnectionsInformerIsFollowedFromItsStartAndNothingIsHandedOverAgainWhenABundleDeclaresTheKind() {
        try (MockCluster cluster = MockCluster.start("drift-watch-shared")) {
            Map<String, Integer> heard = new java.util.concurrent.ConcurrentHashMap<>();
            SharedIndexInformer<HasMetadata> connections = (SharedIndexInformer)
                    cluster.client().rbac().roleBindings().inAnyNamespace().runnableInformer(0);
            DriftWatch drift = new DriftWatch(
                    (name, live, deleted) -> heard.merge(live.getMetadata().getName(), 1, Integer::sum),
                    (name, kind) -> kind.equals(ROLE_BINDING) ? connections : null);
            for (int i = 0; i < 20; i++) {
                cluster.client().resource(managed("before-" + i)).create();
            }
            cluster.client().resource(unmanaged("someone-elses")).create();
            try {
                drift.informerCreated(cluster.name(), ROLE_BINDING, connections);
                connections.start().toCompletableFuture().join();
                await().atMost(Duration.ofSeconds(15)).until(() -> heard.size() == 20);
                assertThat(drift.cached(cluster.name(), binding("before-3")).live())
                        .as("the connection's informer answers for the kind before any bundle declared it")
                        .isNotNull();

                drift.watch(cluster.name(), cluster.client(), List.of(ROLE_BINDING));
                cluster.client().resource(managed("after")).create();

                await().atMost(Duration.ofSeconds(15)).until(() -> heard.containsKey("after"));
                assertThat(heard)
                        .as("each managed object heard once: its own creation, never a replay of the store")
                        .hasSize(21)
                        .allSatisfy((name, times) -> assertThat(times).as(name).isEqualTo(1))
                        .doesNotContainKey("someone-elses");
            } finally {
                drift.stop(cluster.name());
                connections.stop();
            }
        }
    }

    private static RoleBinding managed(String name) {
        return new RoleBindingBuilder(unmanaged(name))
                .editMetadata()
                .withLabels(Map.of("app.kubernetes.io/managed-by", "meridian", "meridian.io/owner", "identity"))
                .endMetadata()
                .build();
    }

    private static RoleBinding unmanaged(String name) {
        return new RoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("payments")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
                .addNewSubject()
                .withKind("Group")
                .withName("oidc:" + name)
                .endSubject()
                .build();
    }

    private static DesiredObject binding(String name) {
        Map<String, Object> manifest = Map.of(
                "apiVersion", "rbac.authorization.k8s.io/v1",
                "kind", "RoleBinding",
                "metadata", Map.of("name", name, "namespace", "payments"),
                "roleRef", Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", "view"),
                "subjects", List.of(Map.of("kind", "Group", "name", "oidc:" + name)));
        return ((DesiredObject.Ok) DesiredObject.of("identity", manifest)).object();
    }
}
