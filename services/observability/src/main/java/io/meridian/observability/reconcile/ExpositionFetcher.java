package io.meridian.observability.reconcile;

import io.meridian.servicekit.endpoints.EndpointAllowList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches one cluster's metrics exposition, on the caller's thread, as safely as a URL someone else registered
 * allows: the host must pass the allow-list once resolved; redirects are never followed (a 3xx fails the scrape, so
 * an allowed endpoint cannot send the scraper elsewhere); the body is counted while it streams in and reading stops
 * at {@code maxBytes}, so an endless body costs that much and no more; one deadline covers the whole response.
 */
final class ExpositionFetcher {

    private static final int HTTP_OK = 200;

    private final EndpointAllowList allowList;
    private final EndpointAllowList.Resolver resolver;
    private final Duration timeout;
    private final int maxBytes;
    private final HttpClient http;

    ExpositionFetcher(
            EndpointAllowList allowList, EndpointAllowList.Resolver resolver, Duration timeout, int maxBytes) {
        this.allowList = allowList;
        this.resolver = resolver;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The exposition text; an IOException says why there is none (refused host, status, size, deadline). */
    String fetch(String url) throws IOException, InterruptedException {
        var refusal = allowList.refusal(url, resolver);
        if (refusal.isPresent()) {
            throw new IOException("metrics endpoint not allowed: " + refusal.get());
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1")
                .GET()
                .build();
        // Any status but 200 takes no body at all: an error page can be as endless as a metrics page.
        var pending = http.sendAsync(request, info -> new LimitedBody(info.statusCode() == HTTP_OK ? maxBytes : -1));
        HttpResponse<byte[]> response;
        try {
            response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new IOException("no complete answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause == null ? "scrape failed" : cause.getMessage(), cause);
        }
        int status = response.statusCode();
        if (status >= 300 && status < 400) {
            throw new IOException("HTTP " + status + ": redirects are not followed; register the final metrics URL");
        }
        if (status != HTTP_OK) {
            throw new IOException("HTTP " + status);
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /**
     * Collects a body up to a limit, asking for one chunk at a time; past the limit it cancels the exchange (the
     * connection is closed, nothing more is read) and fails. A negative limit takes no body at all.
     */
    static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final long limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private Flow.Subscription subscription;
        private long received;

        LimitedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (limit < 0) {
                subscription.cancel();
                result.complete(new byte[0]);
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                received += item.remaining();
                if (received > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException(
                            "exposition larger than " + limit + " bytes; stopped reading (scrape.max-bytes)"));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                buffer.write(chunk, 0, chunk.length);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
