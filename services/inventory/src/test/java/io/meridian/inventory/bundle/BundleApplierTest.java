package io.meridian.inventory.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.ObjectOutcome.Outcome;
import io.meridian.inventory.persistence.BundleStore.AppliedObject;
import io.meridian.testsupport.MockCluster;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The applier against a simulated API server (server-side apply, managedFields): what it writes, and what not. */
class BundleApplierTest {

    private static final String OWNER = "identity";

    @Test
    void anObjectLeftAloneKeepsItsDriftWhereAnyOtherIsPutBack() {
        try (MockCluster cluster = MockCluster.start("applier-drift");
                ExecutorService pool = Executors.newFixedThreadPool(2)) {
            BundleApplier applier = new BundleApplier(
                    cluster.client(), 4, pool, object -> BundleApplier.Cached.UNKNOWN, (object, live) -> {});
            DesiredObject desired = desired("guarded");
            Resource<RoleBinding> binding = cluster.client()
                    .rbac()
                    .roleBindings()
                    .inNamespace("payments")
                    .withName("guarded");

            BundleApplier.Result first = run(applier, false, desired, List.of());
            assertThat(first.outcomes()).extracting(ObjectOutcome::outcome).containsExactly(Outcome.Created);
            List<AppliedObject> applied = first.applied();

            binding.edit(rb -> new RoleBindingBuilder(rb)
                    .editFirstSubject()
                    .withName("mallory")
                    .endSubject()
                    .build());
            ObjectOutcome left = single(run(applier, true, desired, applied));
            assertThat(left.outcome()).isEqualTo(Outcome.Unchanged);
            assertThat(left.reason()).isEqualTo("changed on the cluster; left as it is (driftPolicy report)");
            assertThat(subject(binding)).isEqualTo("mallory");

            assertThat(single(run(applier, false, desired, applied)).outcome()).isEqualTo(Outcome.Patched);
            assertThat(subject(binding)).isEqualTo("oidc:guarded");

            binding.delete();
            ObjectOutcome leftDeleted = single(run(applier, true, desired, applied));
            assertThat(leftDeleted.outcome()).isEqualTo(Outcome.Unchanged);
            assertThat(leftDeleted.reason()).isEqualTo("deleted on the cluster; left deleted (driftPolicy report)");
            assertThat(binding.get()).isNull();

            assertThat(single(run(applier, false, desired, applied)).outcome())
                    .as("not left alone: put back")
                    .isEqualTo(Outcome.Created);
            ObjectOutcome asWanted = single(run(applier, true, desired, applied));
            assertThat(asWanted.outcome()).isEqualTo(Outcome.Unchanged);
            assertThat(asWanted.reason()).as("nothing drifted, nothing left").isNull();
        }
    }

    /**
     * An API server that does not answer is the cluster's failure, not the object's: the run fails and is retried with
     * back-off. fabric8 reports a read that got no answer with code -1, which was taken for an answer about the object:
     * every object came back Failed, and the bundle waited for the periodic resync (45 s in a chaos run).
     */
    @Test
    void aClusterThatDoesNotAnswerFailsTheRunInsteadOfEachObject() {
        try (MockCluster cluster = MockCluster.start("applier-down");
                ExecutorService pool = Executors.newFixedThreadPool(2);
                // A client of its own: the mock cluster closes its client when it stops, as inventory's does not.
                io.fabric8.kubernetes.client.KubernetesClient client =
                        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder()
                                        .withAutoConfigure(false)
                                        .withMasterUrl(cluster.url())
                                        .withOauthToken("sim-token")
                                        .withRequestRetryBackoffLimit(0)
                                        .build())
                                .build()) {
            BundleApplier applier =
                    new BundleApplier(client, 4, pool, object -> BundleApplier.Cached.UNKNOWN, (object, live) -> {});
            cluster.stop();

            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> run(applier, false, desired("unanswered"), List.of()))
                    .isInstanceOf(BundleApplier.ClusterUnavailable.class)
                    .hasMessageContaining("unanswered");
        }
    }

    private static BundleApplier.Result run(
            BundleApplier applier, boolean leaveAlone, DesiredObject desired, List<AppliedObject> previous) {
        return applier.apply(
                OWNER,
                false,
                leaveAlone ? java.util.Set.of(desired.key()) : java.util.Set.of(),
                List.of(desired),
                List.of(),
                previous,
                () -> {});
    }

    private static ObjectOutcome single(BundleApplier.Result result) {
        assertThat(result.outcomes()).hasSize(1);
        return result.outcomes().getFirst();
    }

    private static String subject(Resource<RoleBinding> binding) {
        return binding.get().getSubjects().getFirst().getName();
    }

    private static DesiredObject desired(String name) {
        return desired(name, "oidc:" + name);
    }

    private static DesiredObject desired(String name, String group) {
        Map<String, Object> manifest = Map.of(
                "apiVersion", "rbac.authorization.k8s.io/v1",
                "kind", "RoleBinding",
                "metadata", Map.of("name", name, "namespace", "payments"),
                "roleRef", Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", "view"),
                "subjects", List.of(Map.of("kind", "Group", "name", group)));
        return ((DesiredObject.Ok) DesiredObject.of(OWNER, manifest)).object();
    }
}
