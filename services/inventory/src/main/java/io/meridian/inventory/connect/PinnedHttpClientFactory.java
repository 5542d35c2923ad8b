package io.meridian.inventory.connect;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * The fabric8 HTTP client factory of one cluster's client: fabric8's own Vert.x client on the {@link ClusterNetwork}'s
 * Vert.x, with every HTTP request and WebSocket pinned to the address its {@link PinnedEndpoint} judged.
 *
 * <p>fabric8 builds its Vert.x HTTP client itself ({@code vertx.createHttpClient(options, poolOptions)}) and offers no
 * hook into name resolution, so the factory hands it a view of that Vert.x whose {@code createHttpClient} returns a
 * {@link PinnedHttpClient}: a request or WebSocket for another host than the pinned one fails before Vert.x sees it.
 * The network's transport then pins what Vert.x connects by name itself (WebSockets). The other network clients of
 * that view (TCP, WebSocket, DNS clients, the HTTP client builder) fail, so that nothing this factory builds can reach
 * the network unpinned.
 */
final class PinnedHttpClientFactory implements HttpClient.Factory {

    private static final Set<String> UNPINNED = Set.of(
            "httpClientBuilder", "createNetClient", "createWebSocketClient", "createDnsClient", "createDatagramSocket");

    private final Vertx vertx;

    PinnedHttpClientFactory(Vertx shared, PinnedEndpoint endpoint) {
        this.vertx = pinnedView(shared, endpoint);
    }

    @Override
    public VertxHttpClientBuilder<PinnedHttpClientFactory> newBuilder() {
        // The network's Vert.x: fabric8 does not close it with the client.
        return new VertxHttpClientBuilder<>(this, vertx);
    }

    private static Vertx pinnedView(Vertx shared, PinnedEndpoint endpoint) {
        Class<?> type = shared instanceof VertxInternal ? VertxInternal.class : Vertx.class;
        return (Vertx) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (UNPINNED.contains(method.getName())) {
                throw new UnsupportedOperationException(
                        "a pinned cluster client makes HTTP requests only, not " + method.getName());
            }
            Object result;
            try {
                result = method.invoke(shared, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return result instanceof io.vertx.core.http.HttpClient http
                            && method.getName().equals("createHttpClient")
                    ? new PinnedHttpClient(http, endpoint, ((VertxInternal) shared).createEventLoopContext())
                    : result;
        });
    }
}
