package io.meridian.inventory.connect;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Builds the clients of member clusters. They share one serialization: a client builds its own by default, and each
 * one's Jackson mapper then introspects the whole Kubernetes model again. With a hundred clusters that was about
 * 200 MB of duplicated deserializer metadata (reflected methods, bean properties, types) and a cold cache per cluster.
 */
public final class ClusterClients {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ClusterClients() {}

    /** A client of one cluster; the caller closes it. */
    public static KubernetesClient connect(Config config) {
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withKubernetesSerialization(SERIALIZATION)
                .build();
    }
}
