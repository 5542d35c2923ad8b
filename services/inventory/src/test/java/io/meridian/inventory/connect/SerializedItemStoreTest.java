package io.meridian.inventory.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerializedItemStoreTest {

    private final SerializedItemStore<Pod> pods = new SerializedItemStore<>(ClusterClients.mapper(), Pod.class);

    @Test
    void whatIsReadBackEqualsWhatWasStoredAndPutAnswersThePreviousObjectsMetadata() {
        Pod first = pod("checkout-1", "100");
        Pod second = pod("checkout-1", "101");

        assertThat(pods.put(pods.getKey(first), first)).isNull();
        Pod previous = pods.put(pods.getKey(second), second);
        // What fabric8 and the update handlers read of it: the resourceVersion, the labels, the kind.
        assertThat(previous.getMetadata()).isEqualTo(first.getMetadata());
        assertThat(previous.getKind()).isEqualTo("Pod");
        assertThat(previous.getApiVersion()).isEqualTo("v1");
        assertThat(previous.getSpec()).as("the rest is not read back").isNull();

        assertThat(pods.getKey(first)).isEqualTo("payments/checkout-1");
        assertThat(pods.get("payments/checkout-1")).isEqualTo(second);
        assertThat(pods.size()).isOne();
        assertThat(pods.keySet()).containsExactly("payments/checkout-1");
        assertThat(pods.values()).containsExactly(second);
    }

    @Test
    void removeAnswersTheObjectItHeldAndForgetsIt() {
        Pod pod = pod("checkout-1", "100");
        pods.put(pods.getKey(pod), pod);

        assertThat(pods.remove("payments/checkout-1").getMetadata()).isEqualTo(pod.getMetadata());
        assertThat(pods.remove("payments/checkout-1")).isNull();
        assertThat(pods.get("payments/checkout-1")).isNull();
        assertThat(pods.size()).isZero();
    }

    @Test
    void aReaderThatChangesWhatItWasGivenChangesNothingStored() {
        Pod pod = pod("checkout-1", "100");
        pods.put(pods.getKey(pod), pod);

        pods.get("payments/checkout-1").getMetadata().getLabels().put("app", "changed");
        pod.getMetadata().getLabels().put("app", "changed-after-put");

        assertThat(pods.get("payments/checkout-1").getMetadata().getLabels()).containsEntry("app", "checkout");
    }

    @Test
    void genericObjectsOfConfiguredKindsKeepEveryField() {
        SerializedItemStore<GenericKubernetesResource> generic =
                new SerializedItemStore<>(ClusterClients.mapper(), GenericKubernetesResource.class);
        GenericKubernetesResource widget = new GenericKubernetesResourceBuilder()
                .withApiVersion("example.com/v1")
                .withKind("Widget")
                .withNewMetadata()
                .withName("blue")
                .withResourceVersion("7")
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("size", 3, "tags", java.util.List.of("a", "b"))))
                .build();

        generic.put(generic.getKey(widget), widget);

        assertThat(generic.getKey(widget)).isEqualTo("blue");
        assertThat(generic.get("blue")).isEqualTo(widget);
        GenericKubernetesResource previous = generic.put(generic.getKey(widget), widget);
        assertThat(previous.getKind()).isEqualTo("Widget");
        assertThat(previous.getApiVersion()).isEqualTo("example.com/v1");
        assertThat(previous.getMetadata()).isEqualTo(widget.getMetadata());
        assertThat(previous.getAdditionalProperties()).doesNotContainKey("spec");
    }

    private static Pod pod(String name, String resourceVersion) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("payments")
                .withName(name)
                .withResourceVersion(resourceVersion)
                .withLabels(new java.util.HashMap<>(Map.of("app", "checkout")))
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-1")
                .addNewContainer()
                .withName("app")
                .withImage("registry.example.com/checkout:1.4.2")
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("256Mi")))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
    }
}
