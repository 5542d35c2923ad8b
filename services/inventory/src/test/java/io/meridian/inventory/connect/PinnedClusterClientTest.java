package io.meridian.inventory.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meridian.servicekit.endpoints.EndpointAllowList;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A member cluster's client connects to the address the allow-list judged and never resolves the name again: a name
 * that answers an allowed address first and a metadata address next never reaches the second. No real DNS: the names
 * live under {@code .test}, which never resolves, so a request only succeeds when it went to the pinned address.
 */
class PinnedClusterClientTest {

    private static final EndpointAllowList ANY = EndpointAllowList.of("test.allowed", Optional.empty());

    private Vertx vertx;
    private HttpServer apiServer;
    private final AtomicInteger versionRequests = new AtomicInteger();
    private final List<String> resolved = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        vertx = Vertx.vertx();
        apiServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        apiServer.createContext("/version", exchange -> {
            versionRequests.incrementAndGet();
            byte[] body =
                    "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.2\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        apiServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        apiServer.stop(0);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A resolver that gives one scripted answer per lookup and remembers each lookup. */
    private EndpointAllowList.Resolver dns(String... answers) {
        Deque<String> script = new ArrayDeque<>(List.of(answers));
        return host -> {
            resolved.add(host);
            return new InetAddress[] {
                InetAddress.getByName(script.isEmpty() ? answers[answers.length - 1] : script.poll())
            };
        };
    }

    @Test
    void aNameThatRebindsToTheMetadataServiceNeverReachesIt() {
        String url = "http://api.rebinding.test:" + apiServer.getAddress().getPort();
        EndpointAllowList.Resolver resolver = dns("127.0.0.1", "169.254.169.254");
        PinnedEndpoint endpoint = PinnedEndpoint.resolve(url, u -> ANY.check(u, resolver));

        try (KubernetesClient client = ClusterClients.connect(config(url), vertx, endpoint)) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.31.2");
            }
            assertThat(resolved)
                    .as("resolved once, when judged; the HTTP client never asked DNS itself")
                    .containsExactly("api.rebinding.test");

            endpoint.repin(); // the second answer: the metadata service

            assertThat(endpoint.refusal())
                    .hasValueSatisfying(reason -> assertThat(reason).contains("169.254.169.254"));
            assertThatThrownBy(() -> client.getKubernetesVersion())
                    .satisfies(failure -> assertThat(messages(failure))
                            .contains("cluster endpoint not allowed")
                            .contains("169.254.169.254"));
            assertThat(versionRequests)
                    .as("only the three allowed requests arrived")
                    .hasValue(3);
            assertThat(resolved).hasSize(2);
        }
    }

    @Test
    void aRequestForAnotherHostIsNotSent() throws Exception {
        String url = "http://api.pinned.test:" + apiServer.getAddress().getPort();
        PinnedEndpoint endpoint = PinnedEndpoint.resolve(url, u -> ANY.check(u, dns("127.0.0.1")));
        var http = new PinnedHttpClient(
                vertx.createHttpClient(),
                endpoint,
                ((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext());

        var elsewhere = http.request(new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setAbsoluteURI(
                                "http://127.0.0.1:" + apiServer.getAddress().getPort() + "/version"))
                .toCompletionStage()
                .toCompletableFuture();
        var noPort = http.request(HttpMethod.GET, "api.pinned.test", "/version")
                .toCompletionStage()
                .toCompletableFuture();

        assertThatThrownBy(() -> elsewhere.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ConnectException.class)
                .hasMessageContaining("connects to api.pinned.test only");
        assertThatThrownBy(() -> noPort.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ConnectException.class);
        assertThat(versionRequests).hasValue(0);
        http.close();
    }

    @Test
    void aNameThatDoesNotResolveIsNotConnectedToUntilItDoes() {
        String url = "http://api.later.test:" + apiServer.getAddress().getPort();
        AtomicInteger lookups = new AtomicInteger();
        EndpointAllowList.Resolver resolver = host -> {
            if (lookups.incrementAndGet() == 1) {
                throw new java.net.UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        };
        PinnedEndpoint endpoint = PinnedEndpoint.resolve(url, u -> ANY.check(u, resolver));

        try (KubernetesClient client = ClusterClients.connect(config(url), vertx, endpoint)) {
            assertThatThrownBy(() -> client.getKubernetesVersion())
                    .satisfies(failure -> assertThat(messages(failure)).contains("does not resolve"));
            endpoint.repin();
            assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.31.2");
        }
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
