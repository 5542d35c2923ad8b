package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A workload's selector is validated as a real API server validates it: it must select its template, and stay. */
class SelectorValidationTest {

    private static final String MANAGER = "meridian-placement";
    private static final AtomicInteger NAMES = new AtomicInteger();

    static TestApiServer server;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = TestApiServer.start(new MutableClock(Instant.parse("2026-12-07T10:00:00Z")), Cloud.GCP);
        client = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aDeploymentWhoseSelectorDoesNotSelectItsTemplateIsInvalidAndNothingIsStored() {
        String ns = namespace();
        Deployment odd = deployment(ns, "web", Map.of("app", "web"), Map.of("app", "other"));

        StatusCause byApply = invalid(
                        () -> apply(odd),
                        "Deployment.apps \"web\" is invalid: "
                                + "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}:"
                                + " `selector` does not match template `labels`")
                .getDetails()
                .getCauses()
                .getFirst();
        assertThat(byApply.getField()).isEqualTo("spec.template.metadata.labels");
        assertThat(byApply.getReason()).isEqualTo("FieldValueInvalid");
        invalid(() -> client.resource(odd).create(), "`selector` does not match template `labels`");
        invalid(() -> client.resource(odd).dryRun().create(), "`selector` does not match template `labels`");

        assertThat(client.apps().deployments().inNamespace(ns).withName("web").get())
                .as("a refused write stores nothing")
                .isNull();
    }

    @Test
    void aMissingOrEmptySelectorIsInvalid() {
        String ns = namespace();
        Deployment none = deployment(ns, "none", Map.of("app", "none"), Map.of("app", "none"));
        none.getSpec().setSelector(null);
        Status missing = invalid(
                () -> client.resource(none).create(),
                "Deployment.apps \"none\" is invalid: [spec.selector: Required value,"
                        + " spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"none\"}:"
                        + " `selector` does not match template `labels`]");
        assertThat(missing.getDetails().getKind()).isEqualTo("Deployment");
        assertThat(missing.getDetails().getGroup()).isEqualTo("apps");
        assertThat(missing.getDetails().getCauses())
                .extracting(StatusCause::getReason, StatusCause::getField)
                .containsExactly(
                        tuple("FieldValueRequired", "spec.selector"),
                        tuple("FieldValueInvalid", "spec.template.metadata.labels"));

        Deployment empty = deployment(ns, "empty", Map.of(), Map.of("app", "empty"));
        assertThat(invalid(() -> apply(empty), "spec.selector: Invalid value: ").getMessage())
                .endsWith("empty selector is invalid for deployment");
    }

    @Test
    void aMalformedRequirementIsInvalid() {
        String ns = namespace();
        Deployment noValues = deployment(ns, "novalues", Map.of("app", "novalues"), Map.of("app", "novalues"));
        noValues.getSpec()
                .getSelector()
                .getMatchExpressions()
                .add(new LabelSelectorRequirementBuilder()
                        .withKey("tier")
                        .withOperator("NotIn")
                        .build());
        invalid(
                () -> apply(noValues),
                "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In'"
                        + " or 'NotIn'");
        Deployment existsWithValues = deployment(ns, "exists", Map.of("app", "exists"), Map.of("app", "exists"));
        existsWithValues
                .getSpec()
                .getSelector()
                .getMatchExpressions()
                .add(new LabelSelectorRequirementBuilder()
                        .withKey("app")
                        .withOperator("Exists")
                        .withValues("exists")
                        .build());
        invalid(() -> apply(existsWithValues), "spec.selector.matchExpressions[0].values: Forbidden");
        assertThat(client.apps().deployments().inNamespace(ns).list().getItems())
                .isEmpty();
    }

    @Test
    void aSelectorWithExpressionsIsJudgedByThemToo() {
        String ns = namespace();
        Deployment byTier = deployment(ns, "tiered", Map.of("app", "tiered"), Map.of("app", "tiered", "tier", "web"));
        byTier.getSpec()
                .getSelector()
                .getMatchExpressions()
                .add(new LabelSelectorRequirementBuilder()
                        .withKey("tier")
                        .withOperator("In")
                        .withValues("web", "api")
                        .build());
        assertThat(apply(byTier).getMetadata().getGeneration()).isEqualTo(1L);

        Deployment notTier = deployment(ns, "untiered", Map.of("app", "untiered"), Map.of("app", "untiered"));
        notTier.getSpec()
                .getSelector()
                .getMatchExpressions()
                .add(new LabelSelectorRequirementBuilder()
                        .withKey("tier")
                        .withOperator("Exists")
                        .build());
        invalid(() -> apply(notTier), "`selector` does not match template `labels`");
    }

    @Test
    void aDeploymentsSelectorCannotChangeByAnyWrite() {
        String ns = namespace();
        apply(deployment(ns, "web", Map.of("app", "web"), Map.of("app", "web")));

        Deployment moved = deployment(ns, "web", Map.of("app", "web2"), Map.of("app", "web2"));
        String immutable = "Deployment.apps \"web\" is invalid: spec.selector: Invalid value: "
                + "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"},"
                + " MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable";
        invalid(() -> apply(moved), immutable);
        invalid(
                () -> client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("web")
                        .edit(d -> {
                            d.getSpec().getSelector().setMatchLabels(Map.of("app", "web2"));
                            d.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "web2"));
                            return d;
                        }),
                immutable);

        Deployment live =
                client.apps().deployments().inNamespace(ns).withName("web").get();
        assertThat(live.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("app", "web"));
        assertThat(live.getMetadata().getGeneration()).isEqualTo(1L);

        // The template may change, as long as it stays selected.
        Deployment extraLabel = deployment(ns, "web", Map.of("app", "web"), Map.of("app", "web", "track", "canary"));
        assertThat(apply(extraLabel).getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void aStatefulSetMayChangeItsTemplateAndReplicasButNotItsServiceName() {
        String ns = namespace();
        apply(statefulSet(ns, "db", "db", 1, "postgres:17"));

        StatefulSet scaledAndRolled = apply(statefulSet(ns, "db", "db", 3, "postgres:17.1"));
        assertThat(scaledAndRolled.getSpec().getReplicas()).isEqualTo(3);
        assertThat(scaledAndRolled.getMetadata().getGeneration()).isEqualTo(2L);

        Status forbidden = invalid(
                () -> apply(statefulSet(ns, "db", "db-headless", 3, "postgres:17.1")),
                "StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other"
                        + " than 'replicas', 'ordinals', 'template', 'updateStrategy',"
                        + " 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
        assertThat(forbidden.getDetails().getCauses())
                .singleElement()
                .satisfies(cause -> assertThat(cause.getReason()).isEqualTo("FieldValueForbidden"));
        assertThat(client.apps()
                        .statefulSets()
                        .inNamespace(ns)
                        .withName("db")
                        .get()
                        .getSpec()
                        .getServiceName())
                .isEqualTo("db");

        // A v1.31 server refuses a new revisionHistoryLimit too, though its message does not name the field.
        StatefulSet moreHistory = statefulSet(ns, "db", "db", 3, "postgres:17.1");
        moreHistory.getSpec().setRevisionHistoryLimit(3);
        invalid(() -> apply(moreHistory), "spec: Forbidden: updates to statefulset spec");
        // An empty list the client sends is the same as none.
        StatefulSet noClaims = statefulSet(ns, "db", "db", 3, "postgres:17.1");
        noClaims.getSpec().setVolumeClaimTemplates(List.of());
        assertThat(apply(noClaims).getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void aStatefulSetsClaimSizeSpeltAnotherWayIsNoChangeButAnotherSizeIsRefused() {
        String ns = namespace();
        apply(withClaim(statefulSet(ns, "db", "db", 1, "postgres:17"), "1Gi"));

        // The server keeps quantities canonical (1024Mi is stored as 1Gi), so the fixed fields compare equal.
        StatefulSet sameSize = apply(withClaim(statefulSet(ns, "db", "db", 2, "postgres:17"), "1024Mi"));
        assertThat(sameSize.getSpec().getReplicas()).isEqualTo(2);
        assertThat(sameSize.getSpec()
                        .getVolumeClaimTemplates()
                        .getFirst()
                        .getSpec()
                        .getResources()
                        .getRequests()
                        .get("storage")
                        .toString())
                .isEqualTo("1Gi");

        // Kept as written ("1073741824" is canonical), yet the same size: compared by value, as the server does.
        assertThat(apply(withClaim(statefulSet(ns, "db", "db", 3, "postgres:17"), "1073741824"))
                        .getSpec()
                        .getReplicas())
                .isEqualTo(3);

        invalid(
                () -> apply(withClaim(statefulSet(ns, "db", "db", 2, "postgres:17"), "2Gi")),
                "spec: Forbidden: updates to statefulset spec");
    }

    private static StatefulSet withClaim(StatefulSet set, String storage) {
        set.getSpec()
                .setVolumeClaimTemplates(List.of(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                        .withNewMetadata()
                        .withName("data")
                        .endMetadata()
                        .withNewSpec()
                        .withAccessModes("ReadWriteOnce")
                        .withNewResources()
                        .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity(storage))
                        .endResources()
                        .endSpec()
                        .build()));
        return set;
    }

    /** Asserts a 422 Invalid whose message contains {@code message}, and returns its Status. */
    private static Status invalid(ThrowingCallable write, String message) {
        Throwable thrown = catchThrowable(write);
        assertThat(thrown).as("the write is refused").isInstanceOf(KubernetesClientException.class);
        KubernetesClientException refused = (KubernetesClientException) thrown;
        assertThat(refused.getCode()).isEqualTo(422);
        assertThat(refused.getStatus().getReason()).isEqualTo("Invalid");
        assertThat(refused.getStatus().getMessage()).contains(message);
        return refused.getStatus();
    }

    private static <T extends HasMetadata> T apply(T object) {
        return client.resource(object).fieldManager(MANAGER).forceConflicts().serverSideApply();
    }

    private static Deployment deployment(
            String ns, String name, Map<String, String> selector, Map<String, String> templateLabels) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .withMatchLabels(selector)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(templateLabels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("registry.example/" + name + ":1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static StatefulSet statefulSet(String ns, String name, String serviceName, int replicas, String image) {
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(serviceName)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("db")
                .withImage(image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static String namespace() {
        return "validation-" + NAMES.incrementAndGet();
    }
}
