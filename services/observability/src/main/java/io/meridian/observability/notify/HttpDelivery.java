package io.meridian.observability.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.observability.domain.notify.Notification;
import io.meridian.observability.domain.notify.Payloads;
import io.meridian.observability.domain.notify.Receiver;
import io.meridian.servicekit.endpoints.EndpointAllowList;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Posts a notification to a webhook, Slack or PagerDuty receiver. The URL is judged by the endpoint allow-list, which
 * resolves the host once; the connection goes to that judged address and never resolves the name again (DNS
 * rebinding), with a connect and an overall timeout, no redirects, and the answer's body left unread. Reasons name
 * the receiver and the status, never the URL, which carries the secret token.
 */
public final class HttpDelivery {

    private final EndpointAllowList allowList;
    private final EndpointAllowList.Resolver resolver;
    private final Duration timeout;
    private final String externalUrl;
    private final ObjectMapper json;
    private final HttpClient http;

    public HttpDelivery(
            Vertx vertx,
            EndpointAllowList allowList,
            EndpointAllowList.Resolver resolver,
            Duration timeout,
            String externalUrl,
            ObjectMapper json) {
        this.allowList = allowList;
        this.resolver = resolver;
        this.timeout = timeout;
        this.externalUrl = externalUrl;
        this.json = json;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setDecompressionSupported(false));
    }

    /** The URL and body a receiver of an HTTP kind gets; an e-mail receiver is not delivered here. */
    record Request(URI url, Object body) {}

    static Request request(Receiver receiver, Notification n, String externalUrl) {
        return switch (receiver) {
            case Receiver.Webhook w -> new Request(w.url(), Payloads.webhook(n, externalUrl, w.maxAlerts()));
            case Receiver.Slack s -> new Request(s.url(), Payloads.slack(n, s.channel(), externalUrl));
            case Receiver.PagerDuty p ->
                new Request(
                        p.url() == null ? Receiver.PAGERDUTY_EVENTS : p.url(),
                        Payloads.pagerDuty(n, p.routingKey(), externalUrl));
            case Receiver.Email e -> throw new IllegalArgumentException("e-mail is not delivered over HTTP");
        };
    }

    /**
     * Sends; completes with the outcome, never exceptionally. Blocks the caller only for the allow-list's DNS
     * lookup, so call it off the event loop.
     */
    public CompletionStage<DeliveryOutcome> deliver(Receiver receiver, Notification notification) {
        Request request;
        byte[] body;
        try {
            request = request(receiver, notification, externalUrl);
            body = json.writeValueAsBytes(request.body());
        } catch (IllegalArgumentException | JsonProcessingException e) {
            return CompletableFuture.completedFuture(new DeliveryOutcome.Failed(e.getMessage(), false));
        }
        String url = request.url().toString();
        InetAddress address;
        switch (allowList.check(url, resolver)) {
            case EndpointAllowList.Decision.Refused refused -> {
                return CompletableFuture.completedFuture(new DeliveryOutcome.Failed(
                        "endpoint of receiver " + receiver.name() + " not allowed: " + redact(refused.reason(), url),
                        false));
            }
            case EndpointAllowList.Decision.Allowed allowed -> {
                if (allowed.addresses().isEmpty()) {
                    // DNS may answer later: a retry can succeed.
                    return CompletableFuture.completedFuture(
                            new DeliveryOutcome.Failed("host " + allowed.host() + " does not resolve", true));
                }
                address = allowed.addresses().getFirst();
            }
        }
        RequestOptions options;
        try {
            options = new RequestOptions().setAbsoluteURI(url);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new DeliveryOutcome.Failed(
                    "receiver " + receiver.name() + " has a URL Vert.x cannot request", false));
        }
        options.setMethod(HttpMethod.POST)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.USER_AGENT, "Meridian-Notifier/1")
                .setServer(SocketAddress.inetSocketAddress(options.getPort(), address.getHostAddress()))
                .setFollowRedirects(false)
                .setIdleTimeout(timeout.toMillis());
        CompletableFuture<DeliveryOutcome> result = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        http.request(options)
                .onFailure(e -> result.complete(failure(receiver, e, url)))
                .onSuccess(req -> {
                    sent.set(req);
                    req.send(Buffer.buffer(body))
                            .onFailure(e -> result.complete(failure(receiver, e, url)))
                            .onSuccess(response -> {
                                int status = response.statusCode();
                                // The answer's body is never read: an endpoint could send without end. The reset
                                // this takes is ours, not a failure worth an error log.
                                response.exceptionHandler(ignored -> {});
                                req.reset();
                                result.complete(outcome(receiver, status));
                            });
                });
        // An endpoint that trickles its answer must not hold this receiver's turn past the deadline.
        return result.completeOnTimeout(
                        new DeliveryOutcome.Failed(
                                "receiver " + receiver.name() + " gave no answer within " + timeout.toMillis() + " ms",
                                true),
                        timeout.toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete((outcome, error) -> {
                    HttpClientRequest req = sent.get();
                    if (req != null && outcome instanceof DeliveryOutcome.Failed) {
                        req.reset();
                    }
                });
    }

    static DeliveryOutcome outcome(Receiver receiver, int status) {
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome.Delivered(status);
        }
        String reason = "receiver " + receiver.name() + " answered HTTP " + status;
        if (status >= 300 && status < 400) {
            return new DeliveryOutcome.Failed(reason + ": redirects are not followed; configure the final URL", false);
        }
        // 408 and 429 ask to come back later, as every 5xx may.
        boolean retryable = status >= 500 || status == 408 || status == 429;
        return new DeliveryOutcome.Failed(reason, retryable);
    }

    private static DeliveryOutcome failure(Receiver receiver, Throwable e, String url) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new DeliveryOutcome.Failed("receiver " + receiver.name() + ": " + redact(message, url), true);
    }

    /** The URL carries the token: a message quoting it shows only the scheme and host. */
    static String redact(String message, String url) {
        URI uri = URI.create(url);
        return message.replace(url, uri.getScheme() + "://" + uri.getHost() + "/…");
    }

    /** Closes the HTTP client; the Vert.x it runs on is not this client's to close. */
    public void close() {
        http.close();
    }
}
