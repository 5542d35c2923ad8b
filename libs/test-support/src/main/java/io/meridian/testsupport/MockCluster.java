package io.meridian.testsupport;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meridian.fleetsim.StandaloneApiServer;
import java.time.Duration;
import java.util.Map;

/**
 * A Kubernetes API server for tests, standing for one cluster: a simulated API server of the fleet simulator,
 * starting empty. It behaves as the simulator's clusters do: CRUD, list and watch, server-side apply with
 * managedFields and conflicts, a v1.31 server's defaults, Deployment and StatefulSet controllers (a Deployment
 * written here gets a ReplicaSet, pods and a status about a second later), and watches that can be expired.
 */
public final class MockCluster implements AutoCloseable {

    /** The version a mock API server reports on {@code /version}. */
    public static final String KUBERNETES_VERSION = "v1.31.4";

    private final String name;
    private final StandaloneApiServer server;
    private KubernetesClient client;

    private MockCluster(String name, StandaloneApiServer server) {
        this.name = name;
        this.server = server;
        this.client = newClient();
    }

    /** Starts a mock API server on a free loopback port. */
    public static MockCluster start(String name) {
        return new MockCluster(name, StandaloneApiServer.start(name));
    }

    /** Takes the API server down: connections are refused until {@link #startAgain()}. */
    public void stop() {
        client.close();
        server.stop();
    }

    /**
     * Brings the API server back on the same port, empty (as after a restore from an older backup):
     * the test seeds what the cluster should hold now.
     */
    public void startAgain() {
        server.startEmpty();
        client = newClient();
    }

    public String name() {
        return name;
    }

    /** The API server URL, e.g. {@code http://127.0.0.1:40123/}. */
    public String url() {
        return server.url() + "/";
    }

    public int port() {
        return server.port();
    }

    /** A client with full access, for seeding objects and checking what the service did. */
    public KubernetesClient client() {
        return client;
    }

    /**
     * How many write requests (create, update, patch, apply, delete) clients sent since the last start: what a
     * service under test wrote, plus {@link #hpaScale}; the cluster's own controllers and status churn do not count.
     */
    public long writeRequests() {
        return server.writeRequests();
    }

    /**
     * Ends every open watch as a real API server does when their resourceVersion has been compacted (an ERROR event
     * with a 410 Expired Status); for 30 s a watch from an older resourceVersion gets that event at once, so a client
     * has to list again.
     *
     * @return how many watches were ended
     */
    public int expireWatches() {
        return server.expireWatches();
    }

    /**
     * Sets {@code spec.replicas} of a Deployment or StatefulSet as the HPA does: through the scale subresource as
     * field manager {@code kube-controller-manager}; the controller then follows.
     */
    public Map<String, Object> hpaScale(String namespace, String kind, String name, int replicas) {
        return server.hpaScale(namespace, kind, name, replicas);
    }

    /**
     * Answers every request for these kinds (e.g. {@code ClusterRole}) with 403 Forbidden, as RBAC would, this client's
     * too, also after {@link #startAgain()}; empty allows everything again.
     */
    public void forbidKinds(java.util.Collection<String> kinds) {
        server.forbidKinds(kinds);
    }

    /**
     * Answers every write of these kinds (e.g. {@code ConfigMap}) with 429 TooManyRequests, as API Priority and
     * Fairness does under load, also after {@link #startAgain()}; reads and watches still work; empty lets writes
     * through again.
     */
    public void throttleWrites(java.util.Collection<String> kinds) {
        server.throttleWrites(kinds);
    }

    /** Delays every API response but watch streams by {@code latency} (zero: none), as a busy API server does. */
    public void latency(Duration latency) {
        server.latency(latency);
    }

    /** Rewrites the status of every Deployment and StatefulSet every {@code every}, as heartbeats do; zero stops. */
    public void statusChurn(Duration every) {
        server.statusChurn(every);
    }

    /** Marks a Deployment or StatefulSet as never becoming ready (its pods crash-loop), or heals it. */
    public Map<String, Object> rolloutBroken(String namespace, String name, boolean broken) {
        return server.rolloutBroken(namespace, name, broken);
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

    /** A client configured as the fabric8 mock server's own was: namespace {@code test}, no HTTP/2. */
    private KubernetesClient newClient() {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl(url())
                        .withTrustCerts(true)
                        .withNamespace("test")
                        .withHttp2Disable(true)
                        .withOauthToken("mock-token-" + name)
                        .build())
                .build();
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
