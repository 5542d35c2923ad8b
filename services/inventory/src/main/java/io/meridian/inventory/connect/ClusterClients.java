package io.meridian.inventory.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Vertx;

/**
 * Builds the clients of member clusters. They share one serialization: a client builds its own by default, and each
 * one's Jackson mapper then introspects the whole Kubernetes model again. With a hundred clusters that was about
 * 200 MB of duplicated deserializer metadata (reflected methods, bean properties, types) and a cold cache per cluster.
 */
final class ClusterClients {

    // The mapper fabric8 configures for the model; informer stores write and read their objects with it too.
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization(MAPPER, true);

    private ClusterClients() {}

    /** The Jackson mapper of every cluster client's serialization, configured by fabric8 for its model. */
    static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A client of one cluster that connects only to the address {@code endpoint} judged (DNS pinning), on the
     * {@link ClusterNetwork}'s Vert.x; the caller closes it. There is no other way to build one: every cluster URL
     * is a caller's to choose.
     */
    static KubernetesClient connect(Config config, Vertx vertx, PinnedEndpoint endpoint) {
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new PinnedHttpClientFactory(vertx, endpoint))
                .withKubernetesSerialization(SERIALIZATION)
                .build();
    }
}
