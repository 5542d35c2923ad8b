package io.meridian.fleetsim;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;

/** One simulated API server of a cloud's Kubernetes version, and a client of it that does not retry: a test's cluster. */
record TestApiServer(ClusterDispatcher dispatcher, ApiServer api, KubernetesClient client) implements AutoCloseable {

    static TestApiServer start(Clock clock, Cloud cloud) {
        ClusterDispatcher dispatcher = new ClusterDispatcher(clock);
        ApiServer api = ApiServer.start(dispatcher, ApiServer.version(cloud), 0);
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl(api.url())
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
        return new TestApiServer(dispatcher, api, client);
    }

    @Override
    public void close() {
        client.close();
        api.stop();
    }
}
