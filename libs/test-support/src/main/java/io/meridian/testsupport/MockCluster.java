package io.meridian.testsupport;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.List;

/**
 * A Kubernetes API server for tests: the fabric8 mock server in CRUD mode (create, get, patch, delete,
 * list and watch behave like a real API server for plain objects). Stands for one cluster.
 */
public final class MockCluster implements AutoCloseable {

    private final String name;
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private MockCluster(String name, KubernetesMockServer server) {
        this.name = name;
        this.server = server;
        this.client = server.createClient();
    }

    /** Starts a mock API server on a free loopback port. */
    public static MockCluster start(String name) {
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        return new MockCluster(name, server);
    }

    public String name() {
        return name;
    }

    /** The API server URL, e.g. {@code http://localhost:40123/}. */
    public String url() {
        return server.url("/");
    }

    public int port() {
        return server.getPort();
    }

    /** A client with full access, for seeding objects and checking what the service did. */
    public KubernetesClient client() {
        return client;
    }

    /** A kubeconfig with a bearer token for this cluster, as a user would register it. */
    public String kubeconfig() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                    insecure-skip-tls-verify: true
                users:
                - name: %1$s-admin
                  user:
                    token: mock-token-%1$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s-admin
                    namespace: default
                current-context: %1$s
                """.formatted(name, url());
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
