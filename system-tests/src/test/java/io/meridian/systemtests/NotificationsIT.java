package io.meridian.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.meridian.fleetsim.SimulatedCluster;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications reach a person's tools: a cluster goes down, and a webhook receiver (a real HTTP server, WireMock)
 * gets the firing and then the resolved ClusterUnreachable in Alertmanager's webhook payload v4, routed to it by the
 * route tree written through observability's API; the delivery log shows both delivered.
 */
@SystemTest
class NotificationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** A cluster no other scenario takes down on its own (ObservabilityScenarioIT uses the first three). */
    private static final int CLUSTER_INDEX = 5;

    private static final String HOOK = "systest-ops-hook";
    private static final String CATCH_ALL = "systest-catch-all";

    private final SystemUnderTest system;
    private WireMockServer endpoints;

    NotificationsIT(SystemUnderTest system) {
        this.system = system;
    }

    @BeforeEach
    void startEndpoints() {
        endpoints = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        endpoints.start();
        endpoints.stubFor(post(urlEqualTo(path(HOOK))).willReturn(aResponse().withStatus(200)));
        endpoints.stubFor(
                post(urlEqualTo(path(CATCH_ALL))).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stopEndpoints() {
        // The later scenarios' alerts must not queue retries for a receiver that is gone: no routing, then no hooks.
        system.as(DemoUser.OPERATOR, Service.OBSERVABILITY).delete("/api/v1/routes");
        endpoints.stop();
    }

    @Test
    void anOutageReachesTheWebhookAsFiringThenResolvedInAlertmanagersFormat() {
        SimulatedCluster cluster = system.observedReadyCluster(CLUSTER_INDEX);
        receiver(CATCH_ALL);
        receiver(HOOK);
        // Everything else goes to the catch-all: only this cluster's ClusterUnreachable may reach the hook, which the
        // test checks, so the route's matchers are under test too. Short waits: the outage lasts seconds here.
        system.as(DemoUser.OPERATOR, Service.OBSERVABILITY)
                .body(Map.of(
                        "receiver",
                        CATCH_ALL,
                        "groupBy",
                        List.of("alertname", "cluster"),
                        "groupWait",
                        "1s",
                        "groupInterval",
                        "2s",
                        "repeatInterval",
                        "4h",
                        "routes",
                        List.of(Map.of(
                                "receiver",
                                HOOK,
                                "matchers",
                                List.of(
                                        Map.of("label", "alertname", "op", "=", "value", "ClusterUnreachable"),
                                        Map.of("label", "cluster", "op", "=", "value", cluster.name()))))))
                .put("/api/v1/routes")
                .then()
                .statusCode(200);

        Instant down = Instant.now();
        control(cluster, "down");
        JsonNode firing;
        try {
            // Unreachable is noticed by inventory, then held for the rule's for: before it fires; then group_wait.
            firing = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> hookPayload("firing"), Optional::isPresent)
                    .orElseThrow();
            System.out.printf(
                    "[notifications-it] firing webhook %.1f s after the outage began%n",
                    Duration.between(down, Instant.now()).toMillis() / 1000.0);
        } finally {
            control(cluster, "up");
        }

        assertThat(firing.path("version").asText()).isEqualTo("4");
        assertThat(firing.path("receiver").asText()).isEqualTo(HOOK);
        assertThat(firing.path("groupKey").asText()).isNotBlank();
        assertThat(firing.path("groupLabels").path("cluster").asText()).isEqualTo(cluster.name());
        assertThat(firing.path("commonLabels").path("alertname").asText()).isEqualTo("ClusterUnreachable");
        assertThat(firing.path("alerts")).hasSize(1);
        JsonNode alert = firing.path("alerts").get(0);
        assertThat(alert.path("status").asText()).isEqualTo("firing");
        assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("ClusterUnreachable");
        assertThat(alert.path("labels").path("cluster").asText()).isEqualTo(cluster.name());
        assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("annotations").isObject()).isTrue();
        assertThat(Instant.parse(alert.path("startsAt").asText())).isAfterOrEqualTo(down.minusSeconds(1));
        String fingerprint = alert.path("fingerprint").asText();
        assertThat(fingerprint).isNotBlank();

        JsonNode resolved = await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> hookPayload("resolved"), Optional::isPresent)
                .orElseThrow();
        assertThat(resolved.path("version").asText()).isEqualTo("4");
        assertThat(resolved.path("groupKey").asText())
                .isEqualTo(firing.path("groupKey").asText());
        JsonNode ended = resolved.path("alerts").get(0);
        assertThat(ended.path("status").asText()).isEqualTo("resolved");
        assertThat(ended.path("fingerprint").asText()).isEqualTo(fingerprint);
        assertThat(Instant.parse(ended.path("endsAt").asText()))
                .isAfter(Instant.parse(alert.path("startsAt").asText()));

        // The route sent nothing else to the hook: every payload it got is about this cluster's ClusterUnreachable.
        assertThat(hookPayloads())
                .allSatisfy(p -> assertThat(p.path("alerts"))
                        .allSatisfy(
                                a -> assertThat(a.path("fingerprint").asText()).isEqualTo(fingerprint)));

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonPath log = system.as(DemoUser.VIEWER, Service.OBSERVABILITY)
                            .queryParam("receiver", HOOK)
                            .queryParam("alert", fingerprint)
                            .get("/api/v1/notifications")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    // At least once: a notification may be logged twice, never missing.
                    assertThat(log.getList("items.notification", String.class)).contains("firing", "resolved");
                    assertThat(log.getList("items.status", String.class)).containsOnly("delivered");
                    assertThat(log.getList("items.groupKey", String.class))
                            .containsOnly(firing.path("groupKey").asText());
                });
    }

    /** The latest payload the hook received whose status is {@code status}, if any yet. */
    private Optional<JsonNode> hookPayload(String status) {
        List<JsonNode> matching = hookPayloads().stream()
                .filter(p -> status.equals(p.path("status").asText()))
                .toList();
        return matching.isEmpty() ? Optional.empty() : Optional.of(matching.getLast());
    }

    private List<JsonNode> hookPayloads() {
        List<JsonNode> payloads = new ArrayList<>();
        endpoints.findAll(postRequestedFor(urlEqualTo(path(HOOK)))).forEach(request -> {
            try {
                payloads.add(JSON.readTree(request.getBodyAsString()));
            } catch (IOException e) {
                throw new UncheckedIOException("the hook got a body that is not JSON: " + request.getBodyAsString(), e);
            }
        });
        return payloads;
    }

    /** Writes a webhook receiver that posts to this test's endpoint of the same name. */
    private void receiver(String name) {
        int status = system.as(DemoUser.OPERATOR, Service.OBSERVABILITY)
                .body(Map.of("kind", "webhook", "url", endpoints.baseUrl() + path(name)))
                .put("/api/v1/receivers/" + name)
                .then()
                .extract()
                .statusCode();
        // 201 the first time in a system's life, 200 when a repeated run of the scenario replaces it.
        assertThat(status).as("PUT /api/v1/receivers/%s", name).isIn(200, 201);
    }

    private static String path(String receiver) {
        return "/hooks/" + receiver;
    }

    /** Takes a cluster down, or brings it back, as an operator does: the simulator's control API. */
    private void control(SimulatedCluster cluster, String action) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(system.fleet().controlUrl() + "/clusters/" + cluster.name() + "/" + action))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as("POST /clusters/%s/%s answered %s", cluster.name(), action, response.body())
                    .isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
