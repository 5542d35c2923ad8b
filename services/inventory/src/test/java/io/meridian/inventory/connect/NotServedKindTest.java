package io.meridian.inventory.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A kind answered 404 is not served (its CRD is gone): its objects are gone too, unlike a forbidden one's. */
class NotServedKindTest {

    @Test
    void onlyA404AnywhereInTheChainMeansNotServed() {
        assertThat(ClusterConnection.notServed(new CompletionException(
                        new KubernetesClientException("the server could not find it", 404, null))))
                .isTrue();
        assertThat(ClusterConnection.notServed(new KubernetesClientException("forbidden", 403, null)))
                .as("RBAC denied: the objects may well exist")
                .isFalse();
        assertThat(ClusterConnection.notServed(new KubernetesClientException("timeout", 504, null)))
                .isFalse();
        assertThat(ClusterConnection.notServed(new IllegalStateException("no answer")))
                .isFalse();
    }
}
