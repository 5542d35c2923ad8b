package io.meridian.testsupport;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * A Kubernetes API server for tests: the fabric8 mock server in CRUD mode (create, get, patch, delete,
 * list and watch behave like a real API server for plain objects). Stands for one cluster.
 */
public final class MockCluster implements AutoCloseable {

    private final String name;
    private final int port;
    private KubernetesMockServer server;
    private KubernetesClient client;

    private MockCluster(String name, KubernetesMockServer server) {
        this.name = name;
        this.server = server;
        this.port = server.getPort();
        this.client = server.createClient();
    }

    static {
        // The mock server logs every request at INFO; thousands of lines per test say nothing.
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    }

    /** The version a mock API server reports on {@code /version}. */
    public static final String KUBERNETES_VERSION = "v1.31.4";

    /** Starts a mock API server on a free loopback port. */
    public static MockCluster start(String name) {
        KubernetesMockServer server = newServer();
        server.init();
        return new MockCluster(name, server);
    }

    /** CRUD for objects, answering {@code /version} like a real API server. */
    private static KubernetesMockServer newServer() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        VersionInfo version = new VersionInfo.Builder()
                .withMajor("1")
                .withMinor("31")
                .withGitVersion(KUBERNETES_VERSION)
                .withPlatform("linux/amd64")
                .build();
        return new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                responses,
                new KubernetesMixedDispatcher(responses),
                false,
                version);
    }

    /** Takes the API server down: connections are refused until {@link #startAgain()}. */
    public void stop() {
        client.close();
        server.destroy();
    }

    /**
     * Brings the API server back on the same port, empty (as after a restore from an older backup):
     * the test seeds what the cluster should hold now.
     */
    public void startAgain() {
        server = newServer();
        try {
            server.init(java.net.InetAddress.getByName("localhost"), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        client = server.createClient();
    }

    public String name() {
        return name;
    }

    /** The API server URL, e.g. {@code http://localhost:40123/}. */
    public String url() {
        return server.url("/");
    }

    public int port() {
        return port;
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
