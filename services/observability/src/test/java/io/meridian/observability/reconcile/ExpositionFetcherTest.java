package io.meridian.observability.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.meridian.servicekit.endpoints.EndpointAllowList;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scraper's HTTP fetch against real HTTP servers on the loopback interface. */
class ExpositionFetcherTest {

    private static final int LIMIT = 1024 * 1024;
    private static final long ENDLESS = 256L * 1024 * 1024;
    private static final EndpointAllowList ANY = EndpointAllowList.of("test.allowed", Optional.empty());

    private static Vertx vertx;

    private HttpServer server;
    private HttpServer elsewhere;
    private final AtomicInteger elsewhereHits = new AtomicInteger();
    private final AtomicLong endlessWritten = new AtomicLong();
    private final CountDownLatch endlessDone = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            elsewhereHits.incrementAndGet();
            respond(exchange, 200, "internal_secret 1\n");
        });
        elsewhere.start();

        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> respond(exchange, 200, "up 1\n"));
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders()
                    .add(
                            "Location",
                            "http://localhost:" + elsewhere.getAddress().getPort() + "/latest/meta-data");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/endless", exchange -> {
            // Chunked, and as long as the client keeps reading (up to 256 MiB).
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = "x 1\n".repeat(16 * 1024).getBytes(StandardCharsets.UTF_8);
            try (OutputStream body = exchange.getResponseBody()) {
                while (endlessWritten.get() < ENDLESS) {
                    body.write(chunk);
                    endlessWritten.addAndGet(chunk.length);
                }
            } catch (IOException clientWentAway) {
                // what a scraper that stops reading does
            } finally {
                endlessDone.countDown();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        elsewhere.stop(0);
    }

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aNameThatRebindsToTheMetadataServiceNeverReachesIt() throws Exception {
        // The first answer is the endpoint, the second the metadata service: a rebinding DNS server's trick. The
        // name lives under .test, which never resolves, so the fetch only works when it connects where it was judged.
        List<String> answers = new java.util.ArrayList<>(List.of("127.0.0.1", "169.254.169.254"));
        List<String> lookups = new java.util.ArrayList<>();
        var fetcher = new ExpositionFetcher(
                vertx,
                ANY,
                host -> {
                    lookups.add(host);
                    return new java.net.InetAddress[] {java.net.InetAddress.getByName(answers.removeFirst())};
                },
                Duration.ofSeconds(5),
                LIMIT);
        String url = "http://metrics.rebinding.test:" + server.getAddress().getPort() + "/metrics";

        assertThat(new String(fetcher.fetch(url).bytes(), StandardCharsets.UTF_8))
                .isEqualTo("up 1\n");
        assertThat(lookups)
                .as("resolved once, by the check; never by the HTTP client")
                .hasSize(1);

        assertThatThrownBy(() -> fetcher.fetch(url))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not allowed")
                .hasMessageContaining("169.254.169.254");
        assertThat(lookups).hasSize(2);
    }

    @Test
    void theMetadataServiceIsRefusedWithNoListConfigured() {
        assertThatThrownBy(() -> fetcher(ANY).fetch("http://169.254.169.254/latest/meta-data/"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not allowed");
    }

    @Test
    void readsAnExposition() throws Exception {
        assertThat(new String(fetcher(ANY).fetch(url("/metrics")).bytes(), StandardCharsets.UTF_8))
                .isEqualTo("up 1\n");
    }

    @Test
    void asksForOpenMetricsFirstAndHandsOverTheContentType() throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> accept =
                new java.util.concurrent.atomic.AtomicReference<>();
        server.createContext("/negotiated", exchange -> {
            accept.set(exchange.getRequestHeaders().getFirst("Accept"));
            exchange.getResponseHeaders().set("Content-Type", "application/openmetrics-text; version=1.0.0");
            respond(exchange, 200, "up 1\n# EOF\n");
        });

        ExpositionFetcher.Body body = fetcher(ANY).fetch(url("/negotiated"));

        assertThat(accept.get()).isEqualTo("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertThat(body.contentType()).isEqualTo("application/openmetrics-text; version=1.0.0");
        assertThat(new String(body.bytes(), StandardCharsets.UTF_8)).isEqualTo("up 1\n# EOF\n");
    }

    @Test
    void aRedirectFailsTheScrapeAndIsNotFollowed() {
        assertThatThrownBy(() -> fetcher(ANY).fetch(url("/redirect")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("HTTP 302")
                .hasMessageContaining("redirects are not followed");
        assertThat(elsewhereHits).as("the redirect target was never asked").hasValue(0);
    }

    @Test
    void anEndlessBodyIsCutOffAtTheLimitWithoutReadingItAll() throws Exception {
        long started = System.nanoTime();

        assertThatThrownBy(() -> fetcher(ANY).fetch(url("/endless")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("larger than " + LIMIT + " bytes");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(endlessDone.await(10, TimeUnit.SECONDS))
                .as("the server noticed the scraper stopped reading")
                .isTrue();
        // What the socket buffers on both sides took before the connection closed, nowhere near the whole body.
        assertThat(endlessWritten.get()).isLessThan(32L * 1024 * 1024);
    }

    @Test
    void aHostOffTheAllowListIsNeverConnectedTo() {
        var allowList = EndpointAllowList.of("test.allowed", Optional.of(List.of("*.metrics.example.com")));

        assertThatThrownBy(() -> fetcher(allowList)
                        .fetch("http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/metrics"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not allowed")
                .hasMessageContaining("test.allowed");
        assertThat(elsewhereHits).hasValue(0);
    }

    @Test
    void aListedNameThatResolvesToTheLoopbackIsRefusedBeforeConnecting() {
        var allowList = EndpointAllowList.of("test.allowed", Optional.of(List.of("*.metrics.example.com")));
        var fetcher = new ExpositionFetcher(
                vertx,
                allowList,
                host -> new java.net.InetAddress[] {java.net.InetAddress.getLoopbackAddress()},
                Duration.ofSeconds(5),
                LIMIT);

        assertThatThrownBy(() -> fetcher.fetch("http://rebound.metrics.example.com:"
                        + elsewhere.getAddress().getPort() + "/metrics"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("loopback");
        assertThat(elsewhereHits).hasValue(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static ExpositionFetcher fetcher(EndpointAllowList allowList) {
        return new ExpositionFetcher(
                vertx, allowList, EndpointAllowList.Resolver.SYSTEM, Duration.ofSeconds(10), LIMIT);
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String text)
            throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
