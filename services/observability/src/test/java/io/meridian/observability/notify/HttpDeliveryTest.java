package io.meridian.observability.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.meridian.contracts.alert.AlertEvent.State;
import io.meridian.observability.domain.notify.NotifiableAlert;
import io.meridian.observability.domain.notify.Notification;
import io.meridian.observability.domain.notify.Receiver;
import io.meridian.servicekit.endpoints.EndpointAllowList;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delivery over HTTP to a real server (WireMock) standing in for a webhook endpoint, Slack and PagerDuty. */
class HttpDeliveryTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String ROUTING_KEY = "0123456789abcdef0123456789abcdef";
    static final Notification FIRING = new Notification(
            "ops",
            "{}:{alertname=\"NodeNotReady\", cluster=\"c1\"}",
            Map.of("alertname", "NodeNotReady", "cluster", "c1"),
            Notification.Status.FIRING,
            List.of(new NotifiableAlert(
                    "f00d",
                    State.FIRING,
                    Map.of("alertname", "NodeNotReady", "cluster", "c1", "severity", "critical"),
                    Map.of("summary", "node n1 is not ready"),
                    T0,
                    null)),
            0,
            T0);

    static Vertx vertx;
    WireMockServer server;
    HttpDelivery delivery;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        delivery = delivery(EndpointAllowList.of("test.allowed", Optional.empty()), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        delivery.close();
        server.stop();
    }

    HttpDelivery delivery(EndpointAllowList allowList, Duration timeout) {
        return new HttpDelivery(
                vertx,
                allowList,
                EndpointAllowList.Resolver.SYSTEM,
                timeout,
                "https://meridian.example.com",
                new ObjectMapper());
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    DeliveryOutcome send(Receiver receiver) throws Exception {
        return delivery.deliver(receiver, FIRING).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWebhookGetsAlertmanagersVersion4Payload() throws Exception {
        server.stubFor(post("/hook?token=s3cret").willReturn(aResponse().withStatus(200)));

        DeliveryOutcome outcome = send(new Receiver.Webhook("ops", URI.create(url("/hook?token=s3cret")), true, 0));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(200));
        server.verify(postRequestedFor(urlEqualTo("/hook?token=s3cret"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"version":"4","groupKey":"{}:{alertname=\\"NodeNotReady\\", cluster=\\"c1\\"}",
                         "truncatedAlerts":0,"status":"firing","receiver":"ops",
                         "groupLabels":{"alertname":"NodeNotReady","cluster":"c1"},
                         "commonLabels":{"alertname":"NodeNotReady","cluster":"c1","severity":"critical"},
                         "commonAnnotations":{"summary":"node n1 is not ready"},
                         "externalURL":"https://meridian.example.com",
                         "alerts":[{"status":"firing",
                                    "labels":{"alertname":"NodeNotReady","cluster":"c1","severity":"critical"},
                                    "annotations":{"summary":"node n1 is not ready"},
                                    "startsAt":"2026-03-01T10:00:00Z","endsAt":"0001-01-01T00:00:00Z",
                                    "generatorURL":"https://meridian.example.com/api/v1/alerts/f00d",
                                    "fingerprint":"f00d"}]}
                        """)));
    }

    @Test
    void slackGetsAnIncomingWebhookMessage() throws Exception {
        server.stubFor(post("/services/T0/B0/XYZ")
                .willReturn(aResponse().withStatus(200).withBody("ok")));

        DeliveryOutcome outcome =
                send(new Receiver.Slack("slack", URI.create(url("/services/T0/B0/XYZ")), "#ops", true));

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
        server.verify(postRequestedFor(urlEqualTo("/services/T0/B0/XYZ"))
                .withRequestBody(matchingJsonPath("$.text", equalTo("[FIRING:1] NodeNotReady c1")))
                .withRequestBody(matchingJsonPath("$.channel", equalTo("#ops")))
                .withRequestBody(
                        matchingJsonPath("$.blocks[1].text.text", equalTo("• :red_circle: node n1 is not ready\n"))));
    }

    @Test
    void pagerDutyGetsAnEventsApiV2Trigger() throws Exception {
        server.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(202)));

        DeliveryOutcome outcome = send(new Receiver.PagerDuty("pd", ROUTING_KEY, URI.create(url("/v2/enqueue")), true));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(202));
        server.verify(postRequestedFor(urlEqualTo("/v2/enqueue"))
                .withRequestBody(matchingJsonPath("$.routing_key", equalTo(ROUTING_KEY)))
                .withRequestBody(matchingJsonPath("$.event_action", equalTo("trigger")))
                .withRequestBody(matchingJsonPath("$.dedup_key"))
                .withRequestBody(matchingJsonPath("$.payload.severity", equalTo("critical")))
                .withRequestBody(matchingJsonPath("$.payload.source", equalTo("c1"))));
    }

    @Test
    void serverErrorsAndThrottlingAreRetryableAndClientErrorsAreNot() throws Exception {
        server.stubFor(post("/500").willReturn(aResponse().withStatus(500)));
        server.stubFor(post("/429").willReturn(aResponse().withStatus(429)));
        server.stubFor(post("/400").willReturn(aResponse().withStatus(400)));

        assertThat(send(new Receiver.Webhook("w", URI.create(url("/500")), true, 0)))
                .isEqualTo(new DeliveryOutcome.Failed("receiver w answered HTTP 500", true));
        assertThat(send(new Receiver.Webhook("w", URI.create(url("/429")), true, 0)))
                .isEqualTo(new DeliveryOutcome.Failed("receiver w answered HTTP 429", true));
        assertThat(send(new Receiver.Webhook("w", URI.create(url("/400")), true, 0)))
                .isEqualTo(new DeliveryOutcome.Failed("receiver w answered HTTP 400", false));
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        server.stubFor(
                post("/moved").willReturn(aResponse().withStatus(307).withHeader("Location", url("/elsewhere"))));
        server.stubFor(post("/elsewhere").willReturn(aResponse().withStatus(200)));

        DeliveryOutcome outcome = send(new Receiver.Webhook("w", URI.create(url("/moved")), true, 0));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Failed.class,
                        f -> assertThat(f.retryable()).isFalse());
        server.verify(0, postRequestedFor(urlEqualTo("/elsewhere")));
    }

    @Test
    void aSlowEndpointFailsAtTheDeadlineAndMayBeRetried() throws Exception {
        server.stubFor(post("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));
        delivery.close();
        delivery = delivery(EndpointAllowList.of("test.allowed", Optional.empty()), Duration.ofMillis(500));
        long t0 = System.nanoTime();

        DeliveryOutcome outcome = send(new Receiver.Webhook("w", URI.create(url("/slow")), true, 0));

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Failed.class,
                        f -> assertThat(f.retryable()).isTrue());
    }

    @Test
    void anEndpointOutsideTheAllowListIsNeverContactedAndItsTokenNeverShown() throws Exception {
        delivery.close();
        delivery = delivery(
                EndpointAllowList.of("meridian.notifications.allowed-endpoints", Optional.of(List.of("*.example.com"))),
                Duration.ofSeconds(2));

        DeliveryOutcome outcome = send(new Receiver.Webhook("w", URI.create(url("/hook?token=s3cret")), true, 0));

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Failed.class, f -> {
            assertThat(f.retryable()).isFalse();
            assertThat(f.reason()).contains("not allowed").doesNotContain("s3cret");
        });
        server.verify(0, anyRequestedFor(anyUrl()));
    }
}
