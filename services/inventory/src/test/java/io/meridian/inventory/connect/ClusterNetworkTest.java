package io.meridian.inventory.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.meridian.servicekit.endpoints.EndpointAllowList;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches, which fabric8 opens as WebSockets, connect to the address the allow-list judged, like every request: the
 * cluster network's transport turns a pinned name into its judged address and refuses names no connection pinned.
 * The names live under {@code .test}, which never resolves, so a watch only works when it went to the pinned address.
 */
class ClusterNetworkTest {

    private static final EndpointAllowList ANY = EndpointAllowList.of("test.allowed", Optional.empty());

    private KubernetesMockServer apiServer;
    private KubernetesClient direct;
    private ClusterNetwork network;

    @BeforeEach
    void start() {
        apiServer = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        apiServer.init(InetAddress.getLoopbackAddress(), 0);
        direct = new KubernetesClientBuilder()
                .withConfig(config("http://127.0.0.1:" + apiServer.getPort()))
                .build();
        network = new ClusterNetwork();
    }

    @AfterEach
    void stop() throws Exception {
        direct.close();
        network.close();
        apiServer.destroy();
    }

    @Test
    void aWatchGoesToThePinnedAddressAndStopsWhenTheNameRebindsToTheMetadataService() {
        String url = "http://api.watched.test:" + apiServer.getPort();
        EndpointAllowList.Resolver rebinding = dns("127.0.0.1", "169.254.169.254");
        PinnedEndpoint endpoint = PinnedEndpoint.resolve(url, u -> ANY.check(u, rebinding));
        network.pin("watched", endpoint);
        List<String> seen = new CopyOnWriteArrayList<>();

        try (KubernetesClient client = ClusterClients.connect(config(url), network.vertx(), endpoint);
                Watch watch = client.configMaps().inNamespace("default").watch(recording(seen))) {
            direct.configMaps()
                    .inNamespace("default")
                    .resource(configMap("first"))
                    .create();
            Awaitility.await()
                    .atMost(30, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThat(seen).contains("ADDED first"));

            endpoint.repin(); // DNS now answers the metadata service

            // What a watch's reconnect does, on the network's own HTTP client: the name no longer connects anywhere.
            var http = network.vertx().createHttpClient();
            var reconnect = http.webSocket(
                            apiServer.getPort(), "api.watched.test", "/api/v1/namespaces/default/configmaps?watch=true")
                    .toCompletionStage()
                    .toCompletableFuture();
            assertThatThrownBy(() -> reconnect.get(60, TimeUnit.SECONDS)).hasMessageContaining("unpinned.invalid");
            assertThatThrownBy(() -> network.addressFor("api.watched.test")).hasMessageContaining("169.254.169.254");
            http.close();
        }
    }

    @Test
    void aNameNoConnectionPinnedIsNotConnectedToEvenWhenItResolves() throws Exception {
        var http = network.vertx().createHttpClient();
        RequestOptions version = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost("localhost")
                .setPort(apiServer.getPort())
                .setURI("/version");

        var unpinned = http.request(version)
                .compose(request -> request.send())
                .toCompletionStage()
                .toCompletableFuture();
        assertThatThrownBy(() -> unpinned.get(60, TimeUnit.SECONDS))
                .as("localhost resolves, but no cluster pinned it")
                .hasMessageContaining("unpinned.invalid");

        network.pin(
                "local",
                PinnedEndpoint.resolve("http://localhost:" + apiServer.getPort(), u -> ANY.check(u, dns("127.0.0.1"))));
        int status = http.request(version)
                .compose(request -> request.send())
                .map(response -> response.statusCode())
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(status).isEqualTo(200);
        http.close();
    }

    @Test
    void aProxyIsAddressedByItsJudgedAddressSoVertxNeverResolvesItsName() throws Exception {
        assertThat(PinnedEndpoint.resolve("http://proxy.corp.test:3128", u -> ANY.check(u, dns("10.1.2.3")))
                        .addressedUrl())
                .isEqualTo("http://10.1.2.3:3128");
        assertThat(PinnedEndpoint.resolve("http://u:p@proxy6.corp.test:3128", u -> ANY.check(u, dns("fd00::1")))
                        .addressedUrl())
                .isEqualTo("http://u:p@[fd00:0:0:0:0:0:0:1]:3128");
        PinnedEndpoint metadata =
                PinnedEndpoint.resolve("http://proxy.evil.test:80", u -> ANY.check(u, dns("169.254.169.254")));
        assertThatThrownBy(metadata::addressedUrl)
                .isInstanceOf(java.net.ConnectException.class)
                .hasMessageContaining("169.254.169.254");
    }

    @Test
    void aClusterWhoseJudgementWasRefusedDoesNotBreakAnotherThatPinnedTheSameName() throws Exception {
        String url = "https://api.shared.test:6443";
        PinnedEndpoint refused = PinnedEndpoint.resolve(url, u -> ANY.check(u, dns("169.254.169.254")));
        PinnedEndpoint allowed = PinnedEndpoint.resolve(url, u -> ANY.check(u, dns("127.0.0.1")));
        network.pin("a-refused", refused);
        network.pin("b-allowed", allowed);

        assertThat(network.addressFor("api.shared.test").getHostAddress()).isEqualTo("127.0.0.1");

        network.unpin("b-allowed");
        assertThatThrownBy(() -> network.addressFor("api.shared.test")).hasMessageContaining("169.254.169.254");
    }

    /** A resolver that gives one scripted answer per lookup, the last one from then on. */
    private static EndpointAllowList.Resolver dns(String... answers) {
        Deque<String> script = new ArrayDeque<>(List.of(answers));
        return host -> new InetAddress[] {InetAddress.getByName(script.size() > 1 ? script.poll() : script.peek())};
    }

    private static Watcher<ConfigMap> recording(List<String> seen) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                seen.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {}
        };
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .addToData("k", "v")
                .build();
    }

    private static Config config(String url) {
        return new ConfigBuilder()
                .withMasterUrl(url)
                .withOauthToken("t")
                .withRequestRetryBackoffLimit(0)
                .build();
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
