package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A watch asked for over plain HTTP (no WebSocket upgrade) is a chunked stream of JSON lines, as a real API server
 * serves it. fabric8's client falls back to such a watch when a new watch's WebSocket cannot be opened, for instance
 * while the API server is down, and keeps it: answered 400 as it was, the informer never heard of a change again.
 */
class HttpWatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EVENTUALLY = Duration.ofSeconds(20);

    /**
     * A plain HTTP watch from before a deletion it selects is answered as a real API server's watch cache answers it:
     * 200, one ERROR event carrying the 410 Expired Status, and the end of the stream (not a 410 answer: fabric8 would
     * retry that resourceVersion for ever).
     */
    @Test
    void aPlainHttpWatchFromBeforeADeletionGetsA410EventAndEnds() throws Exception {
        try (StandaloneApiServer server = StandaloneApiServer.start("http-watch-gone");
                KubernetesClient client = WatchExpiryTest.client(server)) {
            WatchExpiryTest.namespace(client, "http-watch");
            client.configMaps()
                    .inNamespace("http-watch")
                    .resource(configMap("gone"))
                    .create();
            String before = client.configMaps()
                    .inNamespace("http-watch")
                    .list()
                    .getMetadata()
                    .getResourceVersion();
            client.configMaps().inNamespace("http-watch").withName("gone").delete();

            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            plainWatch(server, "&resourceVersion=" + before)
                                    .timeout(EVENTUALLY)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            List<String> lines = response.body().lines().toList();
            assertThat(lines).singleElement().satisfies(line -> {
                JsonNode event = JSON.readTree(line);
                assertThat(event.path("type").asText()).isEqualTo("ERROR");
                assertThat(event.path("object").path("code").asInt()).isEqualTo(410);
                assertThat(event.path("object").path("reason").asText()).isEqualTo("Expired");
            });
        }
    }

    @Test
    void aPlainHttpWatchStreamsOneJsonEventPerLineAndEndsWhenTheClientHangsUp() throws Exception {
        try (StandaloneApiServer server = StandaloneApiServer.start("http-watch-1");
                KubernetesClient client = WatchExpiryTest.client(server)) {
            WatchExpiryTest.namespace(client, "http-watch");
            client.configMaps()
                    .inNamespace("http-watch")
                    .resource(configMap("before"))
                    .create();
            int watchesBefore = server.openWatches();

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<InputStream> response =
                    http.send(plainWatch(server, "").build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");

            List<JsonNode> events = new CopyOnWriteArrayList<>();
            InputStream body = response.body();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        events.add(JSON.readTree(line));
                    }
                } catch (java.io.IOException e) {
                    // the stream was closed by this test
                }
            });
            await().atMost(EVENTUALLY).until(() -> events.size() == 1);

            client.configMaps()
                    .inNamespace("http-watch")
                    .resource(configMap("after"))
                    .create();
            client.configMaps()
                    .inNamespace("http-watch")
                    .withName("after")
                    .edit(c -> new ConfigMapBuilder(c).addToData("v", "2").build());
            client.configMaps().inNamespace("http-watch").withName("before").delete();

            await().atMost(EVENTUALLY).until(() -> events.size() == 4);
            assertThat(events)
                    .extracting(e -> e.path("type").asText() + " "
                            + e.path("object").path("metadata").path("name").asText())
                    .containsExactly("ADDED before", "ADDED after", "MODIFIED after", "DELETED before");
            assertThat(events.get(2).path("object").path("data").path("v").asText())
                    .isEqualTo("2");
            assertThat(server.openWatches()).isEqualTo(watchesBefore + 1);

            body.close();
            await().atMost(EVENTUALLY).until(() -> server.openWatches() == watchesBefore);
            reading.join();
        }
    }

    @Test
    void anInformerWatchingOverHttpHearsChangesAfterAnExpiryAndAfterAnOutage() {
        try (Fleet fleet =
                Fleet.start(FleetOptions.defaults().withClusters(1).withSeed(3).withObjectsPerCluster(20))) {
            SimulatedCluster cluster = fleet.clusters().getFirst();
            KubernetesClient writer = cluster.client();
            WatchExpiryTest.namespace(writer, "http-watch");
            try (KubernetesClient httpOnly = new KubernetesClientBuilder()
                    .withConfig(new ConfigBuilder()
                            .withMasterUrl(cluster.apiServerUrl())
                            .withOauthToken("sim-token")
                            .withRequestRetryBackoffLimit(0)
                            .withOnlyHttpWatches(true)
                            .build())
                    .build()) {
                SharedIndexInformer<ConfigMap> informer =
                        httpOnly.configMaps().inNamespace("http-watch").inform();
                try {
                    await().atMost(EVENTUALLY).until(informer::hasSynced);
                    assertHeard(writer, informer, "first");

                    cluster.expireWatches(); // 410 Expired in the stream: the informer lists again and watches on
                    assertHeard(writer, informer, "after-expiry");

                    cluster.down(Duration.ofSeconds(2));
                    await().atMost(EVENTUALLY).until(cluster::isUp);
                    assertHeard(writer, informer, "after-outage");

                    writer.configMaps()
                            .inNamespace("http-watch")
                            .withName("first")
                            .delete();
                    await().atMost(EVENTUALLY).until(() -> informer.getStore().getByKey("http-watch/first") == null);
                } finally {
                    informer.stop();
                }
            }
        }
    }

    private static void assertHeard(KubernetesClient writer, SharedIndexInformer<ConfigMap> informer, String name) {
        writer.configMaps().inNamespace("http-watch").resource(configMap(name)).create();
        await().atMost(EVENTUALLY)
                .alias("the informer hears of " + name)
                .until(() -> informer.getStore().getByKey("http-watch/" + name) != null);
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace("http-watch")
                .withName(name)
                .endMetadata()
                .withData(Map.of("v", "1"))
                .build();
    }

    /** A watch of the test namespace's ConfigMaps over plain HTTP; {@code query} adds parameters ({@code &...}). */
    private static HttpRequest.Builder plainWatch(StandaloneApiServer server, String query) {
        return HttpRequest.newBuilder(
                        URI.create(server.url() + "/api/v1/namespaces/http-watch/configmaps?watch=true" + query))
                .header("Authorization", "Bearer sim-token");
    }
}
