package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;

/** The HTTP side of a simulated API server answers requests side by side, as a real one does. */
class ApiServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void aProbeIsAnsweredWhileAListOfTheSameServerIsStillBeingServed() throws Exception {
        ClusterDispatcher dispatcher = new ClusterDispatcher();
        ApiServer api = ApiServer.start(dispatcher, ApiServer.version(Cloud.AWS), 0);
        var store = (ReentrantReadWriteLock) ClusterDispatcher.storeLock(dispatcher.crud());
        CompletableFuture<HttpResponse<String>> list;
        try {
            store.writeLock().lock();
            try {
                // The list cannot be served while the store is held: it stands for a large list being encoded.
                list = HTTP.sendAsync(get(api, "/api/v1/configmaps"), HttpResponse.BodyHandlers.ofString());
                await().atMost(Duration.ofSeconds(10)).until(store::hasQueuedThreads);
                HttpResponse<String> version = HTTP.send(get(api, "/version"), HttpResponse.BodyHandlers.ofString());
                assertThat(version.statusCode()).isEqualTo(200);
                assertThat(version.body()).contains("\"gitVersion\":\"" + ClusterContents.KUBERNETES_VERSION);
                assertThat(list).isNotDone();
            } finally {
                store.writeLock().unlock();
            }
            HttpResponse<String> listed = list.get(10, TimeUnit.SECONDS);
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).contains("\"items\"");
        } finally {
            api.stop();
        }
    }

    @Test
    void anOutageRefusesConnectionsAndARestartAnswersOnTheSamePort() throws Exception {
        ApiServer api = ApiServer.start(new ClusterDispatcher(), ApiServer.version(Cloud.GCP), 0);
        try {
            int port = api.port();
            api.stop();
            assertThat(api.isUp()).isFalse();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> HTTP.send(get(api, "/version"), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.net.ConnectException.class);
            api.restart();
            assertThat(api.port()).isEqualTo(port);
            assertThat(HTTP.send(get(api, "/version"), HttpResponse.BodyHandlers.ofString())
                            .body())
                    .contains("-gke.");
        } finally {
            api.stop();
        }
    }

    private static HttpRequest get(ApiServer api, String path) {
        return HttpRequest.newBuilder(URI.create(api.url() + path))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
    }
}
