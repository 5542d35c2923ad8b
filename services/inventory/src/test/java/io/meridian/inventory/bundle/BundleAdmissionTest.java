package io.meridian.inventory.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.inventory.bundle.BundleAdmission.Owner;
import io.meridian.inventory.bundle.BundleAdmission.Verdict;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BundleAdmissionTest {

    private static final Optional<URI> IDENTITY = Optional.of(URI.create("/meridian/identity"));
    private static final Optional<URI> POLICY = Optional.of(URI.create("/meridian/policy"));

    private final BundleAdmission admission = new BundleAdmission(
            Map.of(
                    "identity",
                    new Owner("identity", Owner.defaultSource("identity"), List.of("rbac.authorization.k8s.io/*")),
                    "policy",
                    new Owner(
                            "policy",
                            Owner.defaultSource("policy"),
                            List.of(
                                    "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
                                    "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
                                    "*"))),
            1000,
            10_000_000);

    @Test
    void anOwnerDeclaresItsOwnKindsUnderItsOwnSource() {
        assertThat(admission.judge("identity", IDENTITY, bundle("identity", 7, roleBinding()), OptionalLong.of(6)))
                .isInstanceOf(Verdict.Accepted.class);
        assertThat(admission.judge(
                        "policy",
                        POLICY,
                        bundle("policy", 1, object("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy")),
                        OptionalLong.empty()))
                .isInstanceOf(Verdict.Accepted.class);
        assertThat(admission.judge(
                        "policy",
                        POLICY,
                        bundle("policy", 2, object("networking.k8s.io/v1", "NetworkPolicy"), object("v1", "ConfigMap")),
                        OptionalLong.of(1)))
                .isInstanceOf(Verdict.Accepted.class);
    }

    @Test
    void anotherServiceCannotDeclareUnderAnOwnersKey() {
        assertThat(admission.judge(
                        "policy", IDENTITY, bundle("policy", 3, object("v1", "ConfigMap")), OptionalLong.of(2)))
                .isEqualTo(new Verdict.Refused("bundle of owner 'policy' has CloudEvent source '/meridian/identity',"
                        + " expected '/meridian/policy': only the owner's own service may declare its bundles"));
        assertThat(admission.judge(
                        "policy", Optional.empty(), bundle("policy", 3, object("v1", "ConfigMap")), OptionalLong.of(2)))
                .isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void aWildcardNeverCoversRbacSecretsOrAdmission() {
        assertThat(reason(admission.judge("policy", POLICY, bundle("policy", 3, roleBinding()), OptionalLong.of(2))))
                .contains("objects[0] is a rbac.authorization.k8s.io/v1 RoleBinding in namespace default, which owner"
                        + " 'policy' may not declare");
        assertThat(admission.judge("policy", POLICY, bundle("policy", 3, object("v1", "Secret")), OptionalLong.of(2)))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(admission.judge(
                        "policy",
                        POLICY,
                        bundle("policy", 3, object("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration")),
                        OptionalLong.of(2)))
                .isInstanceOf(Verdict.Refused.class);
        // A custom resource cannot pass for a sensitive kind under '*': the name is refused in every group and case.
        assertThat(admission.judge(
                        "policy", POLICY, bundle("policy", 3, object("example.com/v1", "Secret")), OptionalLong.of(2)))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(admission.judge("policy", POLICY, bundle("policy", 3, object("v1", "secret")), OptionalLong.of(2)))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(admission.judge(
                        "policy",
                        POLICY,
                        bundle("policy", 3, object("RBAC.authorization.k8s.io/v1", "Binding")),
                        OptionalLong.of(2)))
                .isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void aWildcardNeverReachesTheSystemNamespaces() {
        assertThat(reason(admission.judge(
                        "policy",
                        POLICY,
                        bundle("policy", 3, inNamespace(object("apps/v1", "DaemonSet"), "kube-system")),
                        OptionalLong.of(2))))
                .contains("apps/v1 DaemonSet in namespace kube-system, which owner 'policy' may not declare");
        assertThat(admission.judge(
                        "policy",
                        POLICY,
                        bundle("policy", 3, inNamespace(object("v1", "ConfigMap"), "payments")),
                        OptionalLong.of(2)))
                .isInstanceOf(Verdict.Accepted.class);
        // An owner that names a kind gets it everywhere: identity's RoleBinding in kube-system is its own business.
        assertThat(admission.judge(
                        "identity",
                        IDENTITY,
                        bundle("identity", 3, inNamespace(roleBinding(), "kube-system")),
                        OptionalLong.of(2)))
                .isInstanceOf(Verdict.Accepted.class);
    }

    @Test
    void identityDeclaresNothingButRbac() {
        assertThat(reason(admission.judge(
                        "identity",
                        IDENTITY,
                        bundle("identity", 2, roleBinding(), object("apps/v1", "Deployment")),
                        OptionalLong.of(1))))
                .startsWith(
                        "objects[1] is a apps/v1 Deployment in namespace default, which owner 'identity' may not declare");
    }

    @Test
    void theTopicARecordCameOnDecidesItsOwner() {
        // identity's principal may write only identity's topic: a key naming policy there is refused, whatever source
        // the producer set, and before any kind rule (policy's '*' would have admitted the ConfigMap).
        assertThat(reason(admission.judge(
                        "fleet.desired.identity.v1",
                        "policy",
                        POLICY,
                        bundle("policy", 1, object("v1", "ConfigMap")),
                        OptionalLong.empty())))
                .isEqualTo("key names owner 'policy' but the record came on fleet.desired.identity.v1, the topic of"
                        + " owner 'identity': an owner's bundles come only on its own topic, which only its own"
                        + " principal may write");
        assertThat(admission.judge("fleet.desired.identity.v1", "policy", POLICY, null, OptionalLong.of(3)))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(admission.judge(
                        "fleet.desired.policy.v1",
                        "policy",
                        POLICY,
                        bundle("policy", 1, object("v1", "ConfigMap")),
                        OptionalLong.empty()))
                .isInstanceOf(Verdict.Accepted.class);
        // The rules behind the topic still apply on the owner's own topic.
        assertThat(reason(admission.judge(
                        "fleet.desired.policy.v1",
                        "policy",
                        IDENTITY,
                        bundle("policy", 1, object("v1", "ConfigMap")),
                        OptionalLong.empty())))
                .contains("CloudEvent source '/meridian/identity', expected '/meridian/policy'");
        assertThat(reason(admission.judge(
                        "fleet.desired.placement.v1",
                        "placement",
                        Optional.of(URI.create("/meridian/placement")),
                        bundle("placement", 1, object("v1", "ConfigMap")),
                        OptionalLong.empty())))
                .contains("topic fleet.desired.placement.v1 is no bundle owner's desired topic");
        assertThat(admission.topics()).containsExactly("fleet.desired.identity.v1", "fleet.desired.policy.v1");
    }

    @Test
    void ownersAreOnTheirCatalogTopicsAndNeverShareOne() {
        assertThat(new Owner("placement", Owner.defaultSource("placement"), List.of("apps/Deployment")).topic())
                .isEqualTo("fleet.desired.placement.v1");
        assertThatThrownBy(() -> new Owner("mallory", Owner.defaultSource("mallory"), List.of("*")))
                .hasMessageContaining("bundle owner 'mallory' has no desired topic")
                .hasMessageContaining("meridian.inventory.bundles.owners.mallory.topic");
        Owner identity = new Owner("identity", Owner.defaultSource("identity"), List.of("rbac.authorization.k8s.io/*"));
        Owner squatter =
                new Owner("squatter", Owner.defaultSource("squatter"), "fleet.desired.identity.v1", List.of("*"));
        assertThatThrownBy(() -> new BundleAdmission(Map.of("identity", identity, "squatter", squatter), 1000, 10))
                .hasMessageContaining("share the topic fleet.desired.identity.v1");
    }

    @Test
    void anUnknownOwnerIsRefusedWithTheSettingToChange() {
        assertThat(reason(admission.judge(
                        "mallory",
                        Optional.of(URI.create("/meridian/mallory")),
                        bundle("mallory", 1, object("v1", "ConfigMap")),
                        OptionalLong.empty())))
                .contains("owner 'mallory' may not declare bundles")
                .contains("meridian.inventory.bundles.owners.mallory.kinds");
    }

    @Test
    void aGenerationThatWouldPinTheKeyIsRefused() {
        assertThat(reason(admission.judge(
                        "identity", IDENTITY, bundle("identity", 1_000_000, roleBinding()), OptionalLong.of(41))))
                .contains("jumps more than 1000 above the last one declared (41)");
        assertThat(admission.judge("identity", IDENTITY, bundle("identity", 1041, roleBinding()), OptionalLong.of(41)))
                .isInstanceOf(Verdict.Accepted.class);
        assertThat(admission.judge(
                        "identity", IDENTITY, bundle("identity", Long.MAX_VALUE, roleBinding()), OptionalLong.empty()))
                .isInstanceOf(Verdict.Refused.class);
        // Re-read from the compacted topic after a restart: a first bundle may carry a high generation.
        assertThat(admission.judge(
                        "identity", IDENTITY, bundle("identity", 52_000, roleBinding()), OptionalLong.empty()))
                .isInstanceOf(Verdict.Accepted.class);
    }

    @Test
    void tombstonesNeedTheOwnersSourceLikeBundles() {
        assertThat(reason(admission.judge("identity", Optional.empty(), null, OptionalLong.of(5))))
                .isEqualTo("tombstone of owner 'identity' has no CloudEvent source");
        assertThat(admission.judge("identity", IDENTITY, null, OptionalLong.of(5)))
                .isInstanceOf(Verdict.Accepted.class);
        assertThat(admission.judge("identity", POLICY, null, OptionalLong.of(5)))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(admission.judge("mallory", Optional.empty(), null, OptionalLong.empty()))
                .isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void aMalformedKindEntryFailsAtStartup() {
        assertThatThrownBy(() -> new Owner("policy", Owner.defaultSource("policy"), List.of("ConfigMap")))
                .hasMessageContaining("kind entry 'ConfigMap' is not group/Kind");
    }

    private static String reason(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Verdict.Refused.class);
        return ((Verdict.Refused) verdict).reason();
    }

    @SafeVarargs
    private static DesiredBundle bundle(String owner, long generation, Map<String, Object>... objects) {
        return new DesiredBundle(
                owner, "aws-prod-1", generation, DriftPolicy.REPAIR, false, List.of(objects), Instant.EPOCH);
    }

    private static Map<String, Object> roleBinding() {
        return object("rbac.authorization.k8s.io/v1", "RoleBinding");
    }

    private static Map<String, Object> inNamespace(Map<String, Object> object, String namespace) {
        Map<String, Object> copy = new java.util.HashMap<>(object);
        copy.put("metadata", Map.of("name", "x", "namespace", namespace));
        return copy;
    }

    private static Map<String, Object> object(String apiVersion, String kind) {
        return Map.of("apiVersion", apiVersion, "kind", kind, "metadata", Map.of("name", "x", "namespace", "default"));
    }
}
