package io.meridian.inventory.connect;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebsocketVersion;
import io.vertx.core.net.SSLOptions;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Function;

/**
 * A Vert.x HTTP client whose every request and WebSocket connects to the address its {@link PinnedEndpoint} holds:
 * the request keeps the host name (Host header, TLS server name and certificate check), only the socket goes to the
 * judged address ({@link RequestOptions#setServer}), so Vert.x never resolves the name. A request for another host,
 * or one that names no host and port, fails without connecting.
 *
 * <p>Every request and WebSocket is opened on one event-loop context of its own: fabric8 attaches its body handler
 * in a callback of the request's future, and Vert.x runs that callback on the context the request was opened from.
 * Opened from a plain thread, each request would get a new context on another event loop than its pooled connection,
 * and a short response could end before the handler is attached ({@code IllegalStateException: Response already
 * ended}, a list that fails at random). On the connection's own context the callback runs in line, before the body.
 */
final class PinnedHttpClient implements HttpClient {

    private final HttpClient delegate;
    private final PinnedEndpoint endpoint;
    private final Context context;

    PinnedHttpClient(HttpClient delegate, PinnedEndpoint endpoint, Context context) {
        this.delegate = delegate;
        this.endpoint = endpoint;
        this.context = context;
    }

    /** Opens on the client's own context: connections, futures and response events all stay on its event loop. */
    private <T extends RequestOptions, R> Future<R> onContext(T options, Function<T, Future<R>> open) {
        Promise<R> opened = ((io.vertx.core.impl.ContextInternal) context).promise();
        context.runOnContext(v -> pinned(options).compose(open).onComplete(opened));
        return opened.future();
    }

    /** Points {@code options} at the pinned address; a failed future says why it may not be sent. */
    private <T extends RequestOptions> Future<T> pinned(T options) {
        try {
            String host = options.getHost();
            Integer port = options.getPort();
            if (host == null || port == null) {
                throw new ConnectException("a request of a pinned cluster client must name its host and port");
            }
            InetAddress address = endpoint.addressFor(host);
            // The IP literal, never the InetAddress's host name: Vert.x would resolve a name again. A redirect would be
            // a new request Vert.x makes itself, past this pinning, so none is followed.
            options.setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                    .setFollowRedirects(false);
            return Future.succeededFuture(options);
        } catch (ConnectException refused) {
            return Future.failedFuture(refused);
        }
    }

    @Override
    public Future<HttpClientRequest> request(RequestOptions options) {
        return onContext(options, delegate::request);
    }

    @Override
    public void request(RequestOptions options, Handler<AsyncResult<HttpClientRequest>> handler) {
        request(options).onComplete(handler);
    }

    @Override
    public void request(
            HttpMethod method,
            int port,
            String host,
            String requestURI,
            Handler<AsyncResult<HttpClientRequest>> handler) {
        request(method, port, host, requestURI).onComplete(handler);
    }

    @Override
    public Future<HttpClientRequest> request(HttpMethod method, int port, String host, String requestURI) {
        return request(new RequestOptions()
                .setMethod(method)
                .setPort(port)
                .setHost(host)
                .setURI(requestURI));
    }

    @Override
    public void request(
            HttpMethod method, String host, String requestURI, Handler<AsyncResult<HttpClientRequest>> handler) {
        request(method, host, requestURI).onComplete(handler);
    }

    @Override
    public Future<HttpClientRequest> request(HttpMethod method, String host, String requestURI) {
        return request(new RequestOptions()
                .setMethod(method)
                .setHost(host)
                .setPort(null)
                .setURI(requestURI));
    }

    @Override
    public void request(HttpMethod method, String requestURI, Handler<AsyncResult<HttpClientRequest>> handler) {
        request(method, requestURI).onComplete(handler);
    }

    @Override
    public Future<HttpClientRequest> request(HttpMethod method, String requestURI) {
        return request(new RequestOptions()
                .setMethod(method)
                .setHost(null)
                .setPort(null)
                .setURI(requestURI));
    }

    @Override
    public Future<WebSocket> webSocket(WebSocketConnectOptions options) {
        return onContext(options, delegate::webSocket);
    }

    @Override
    public void webSocket(WebSocketConnectOptions options, Handler<AsyncResult<WebSocket>> handler) {
        webSocket(options).onComplete(handler);
    }

    @Override
    public void webSocket(int port, String host, String requestURI, Handler<AsyncResult<WebSocket>> handler) {
        webSocket(port, host, requestURI).onComplete(handler);
    }

    @Override
    public Future<WebSocket> webSocket(int port, String host, String requestURI) {
        return webSocket(
                new WebSocketConnectOptions().setPort(port).setHost(host).setURI(requestURI));
    }

    @Override
    public void webSocket(String host, String requestURI, Handler<AsyncResult<WebSocket>> handler) {
        webSocket(host, requestURI).onComplete(handler);
    }

    @Override
    public Future<WebSocket> webSocket(String host, String requestURI) {
        return webSocket(
                new WebSocketConnectOptions().setHost(host).setPort(null).setURI(requestURI));
    }

    @Override
    public void webSocket(String requestURI, Handler<AsyncResult<WebSocket>> handler) {
        webSocket(requestURI).onComplete(handler);
    }

    @Override
    public Future<WebSocket> webSocket(String requestURI) {
        return webSocket(
                new WebSocketConnectOptions().setHost(null).setPort(null).setURI(requestURI));
    }

    @Override
    public void webSocketAbs(
            String url,
            MultiMap headers,
            WebsocketVersion version,
            List<String> subProtocols,
            Handler<AsyncResult<WebSocket>> handler) {
        webSocketAbs(url, headers, version, subProtocols).onComplete(handler);
    }

    @Override
    public Future<WebSocket> webSocketAbs(
            String url, MultiMap headers, WebsocketVersion version, List<String> subProtocols) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(url);
        if (headers != null) {
            options.setHeaders(headers);
        }
        return webSocket(options.setVersion(version).setSubProtocols(subProtocols));
    }

    @Override
    public Future<Boolean> updateSSLOptions(SSLOptions options, boolean force) {
        return delegate.updateSSLOptions(options, force);
    }

    @Override
    public HttpClient connectionHandler(Handler<HttpConnection> handler) {
        delegate.connectionHandler(handler);
        return this;
    }

    @Override
    public HttpClient redirectHandler(Function<HttpClientResponse, Future<RequestOptions>> handler) {
        delegate.redirectHandler(handler);
        return this;
    }

    @Override
    public Function<HttpClientResponse, Future<RequestOptions>> redirectHandler() {
        return delegate.redirectHandler();
    }

    @Override
    public void close(Handler<AsyncResult<Void>> handler) {
        delegate.close(handler);
    }

    @Override
    public Future<Void> close() {
        return delegate.close();
    }

    @Override
    public boolean isMetricsEnabled() {
        return delegate.isMetricsEnabled();
    }
}
