package io.meridian.observability.reconcile;

import io.meridian.observability.domain.ExpositionFormat;
import io.meridian.servicekit.endpoints.EndpointAllowList;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fetches one cluster's metrics exposition, on the caller's thread, as safely as a URL someone else registered
 * allows: the host is resolved once and every address it resolves to must pass the allow-list, and the request then
 * connects to that judged address ({@link RequestOptions#setServer}), never resolving the name again, so DNS cannot
 * answer the check one address and the connection another (DNS rebinding); TLS still verifies the certificate for the
 * name. Redirects are never followed (a 3xx fails the scrape, so an allowed endpoint cannot send the scraper
 * elsewhere); the body is counted while it streams in and reading stops at {@code maxBytes}, so an endless body costs
 * that much and no more; one deadline covers the whole response.
 *
 * <p>Vert.x rather than the JDK's HTTP client because the JDK's offers no way to choose the address it connects to.
 */
final class ExpositionFetcher {

    private static final int HTTP_OK = 200;

    private final EndpointAllowList allowList;
    private final EndpointAllowList.Resolver resolver;
    private final Duration timeout;
    private final int maxBytes;
    private final HttpClient http;

    ExpositionFetcher(
            Vertx vertx,
            EndpointAllowList allowList,
            EndpointAllowList.Resolver resolver,
            Duration timeout,
            int maxBytes) {
        this.allowList = allowList;
        this.resolver = resolver;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        // No decompression: a small compressed body could unpack past the size limit.
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setDecompressionSupported(false));
    }

    /** A fetched exposition: the raw body (decoded by the parser, strictly) and the Content-Type it came with. */
    record Body(byte[] bytes, String contentType) {}

    /** The exposition; an IOException says why there is none (refused host, status, size, deadline). */
    Body fetch(String url) throws IOException, InterruptedException {
        InetAddress address = switch (allowList.check(url, resolver)) {
            case EndpointAllowList.Decision.Refused refused ->
                throw new IOException("metrics endpoint not allowed: " + refused.reason());
            case EndpointAllowList.Decision.Allowed allowed -> {
                if (allowed.addresses().isEmpty()) {
                    throw new IOException("host " + allowed.host() + " does not resolve");
                }
                yield allowed.addresses().getFirst();
            }
        };
        RequestOptions options;
        try {
            options = new RequestOptions().setAbsoluteURI(url);
        } catch (RuntimeException e) {
            throw new IOException("not a URL Vert.x can request: " + e.getMessage());
        }
        // The IP literal, never the InetAddress's host name, which Vert.x would resolve again.
        options.setMethod(HttpMethod.GET)
                .putHeader(HttpHeaders.ACCEPT, ExpositionFormat.ACCEPT)
                .setServer(SocketAddress.inetSocketAddress(options.getPort(), address.getHostAddress()))
                .setFollowRedirects(false);
        CompletableFuture<Body> result = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        http.request(options).onFailure(result::completeExceptionally).onSuccess(request -> {
            sent.set(request);
            request.send()
                    .onFailure(result::completeExceptionally)
                    .onSuccess(response -> read(request, response, result));
        });
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon(sent.get());
            throw new IOException("no complete answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            abandon(sent.get());
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause == null ? "scrape failed" : String.valueOf(cause.getMessage()), cause);
        }
    }

    /**
     * Takes a 200 body up to the limit, one chunk at a time as it arrives; past the limit, or for any other status,
     * the request is reset (the connection is closed, nothing more is read). An error page can be as endless as a
     * metrics page, so it is never read.
     */
    private void read(HttpClientRequest request, HttpClientResponse response, CompletableFuture<Body> result) {
        int status = response.statusCode();
        // The reason first: resetting fails the exchange at once, with a reason of its own.
        if (status != HTTP_OK) {
            result.completeExceptionally(new IOException(
                    status >= 300 && status < 400
                            ? "HTTP " + status + ": redirects are not followed; register the final metrics URL"
                            : "HTTP " + status));
            request.reset();
            return;
        }
        String contentType = response.getHeader(HttpHeaders.CONTENT_TYPE);
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (result.isDone()) {
                return;
            }
            if ((long) body.length() + chunk.length() > maxBytes) {
                result.completeExceptionally(new IOException(
                        "exposition larger than " + maxBytes + " bytes; stopped reading (scrape.max-bytes)"));
                request.reset();
                return;
            }
            body.appendBuffer(chunk);
        });
        response.exceptionHandler(result::completeExceptionally);
        response.endHandler(done -> result.complete(new Body(body.getBytes(), contentType)));
    }

    private static void abandon(HttpClientRequest request) {
        if (request != null) {
            request.reset();
        }
    }

    /** Closes the HTTP client; the Vert.x it runs on is not this fetcher's to close. */
    void close() {
        http.close();
    }
}
