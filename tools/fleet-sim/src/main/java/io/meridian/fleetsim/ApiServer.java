package io.meridian.fleetsim;

import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The HTTP side of one simulated Kubernetes API server, on a fixed loopback port it keeps across outages. */
final class ApiServer {

    static final String HOST = "127.0.0.1";

    private final ClusterDispatcher dispatcher;
    private final VersionInfo version;
    private int port;
    private KubernetesMockServer server;

    private ApiServer(ClusterDispatcher dispatcher, VersionInfo version) {
        this.dispatcher = dispatcher;
        this.version = version;
    }

    /** Starts an API server on a free port (or {@code port} when not 0) in front of {@code dispatcher}. */
    static ApiServer start(ClusterDispatcher dispatcher, VersionInfo version, int port) {
        ApiServer api = new ApiServer(dispatcher, version);
        api.listen(port);
        return api;
    }

    static VersionInfo version(Cloud cloud) {
        return new VersionInfo.Builder()
                .withMajor("1")
                .withMinor("31")
                .withGitVersion(ClusterContents.KUBERNETES_VERSION + cloud.versionSuffix())
                .withGitCommit("a78aa47129b8539636eb86a9d00e31b2720fe06b")
                .withGitTreeState("clean")
                .withGoVersion("go1.22.9")
                .withCompiler("gc")
                .withPlatform("linux/amd64")
                .build();
    }

    private void listen(int wanted) {
        dispatcher.expectations().clear();
        KubernetesMockServer next = new KubernetesMockServer(
                new Context(), new MockWebServer(), dispatcher.expectations(), dispatcher, false, version);
        try {
            next.init(InetAddress.getByName(HOST), wanted);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        server = next;
        port = next.getPort();
    }

    synchronized boolean isUp() {
        return server != null;
    }

    /** Stops answering: connections are refused, open watches break, as in a control-plane outage. */
    synchronized void stop() {
        if (server != null) {
            server.destroy();
            server = null;
        }
    }

    /** Answers again on the same port, with whatever the store holds now. */
    synchronized void restart() {
        if (server == null) {
            listen(port);
        }
    }

    int port() {
        return port;
    }

    /** The API server URL as a kubeconfig names it, without a trailing slash. */
    String url() {
        return "http://" + HOST + ":" + port;
    }
}
