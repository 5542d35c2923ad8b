package io.meridian.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.alert.AlertEvent;
import io.meridian.testsupport.Awaits;
import io.meridian.testsupport.EventProducer;
import io.meridian.testsupport.KafkaBroker;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Notifications end to end: receivers and the route tree written through the API, an alert announced on
 * fleet.alerts.v1 as observability announces it, and real HTTP endpoints (WireMock) receiving the firing and the
 * resolved notification in Alertmanager's webhook format, while a failing receiver retries alone.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "observability"))
@WithTestResource(OidcWiremockTestResource.class)
class NotificationsComponentTest {

    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);
    private static final String VIEWER = Tokens.bearer("vera", Tokens.VIEWER);
    private static final Duration EVENTUALLY = Duration.ofSeconds(60);
    /** How long the failing endpoint takes to answer 500: a receiver run one after another would wait for it. */
    private static final int FAILING_DELAY_MS = 4000;

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String OK = "ok-" + RUN;
    private static final String FAILING = "a-failing-" + RUN; // sorts first: run in turn, it would go before OK
    private static final String SINK = "sink-" + RUN;
    private static final String TEAM = "team-" + RUN;
    /** The token each webhook URL carries: the secret no view may show. */
    private static final String SECRET = "SECRET" + RUN;

    @TestHTTPResource(value = "metrics", management = true)
    URL managementMetrics;

    private static WireMockServer endpoints;
    private static EventProducer producer;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        endpoints = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        endpoints.start();
        endpoints.stubFor(post(urlEqualTo(path(OK))).willReturn(aResponse().withStatus(200)));
        endpoints.stubFor(post(urlEqualTo(path(SINK))).willReturn(aResponse().withStatus(200)));
        endpoints.stubFor(post(urlEqualTo(path(FAILING)))
                .willReturn(aResponse().withStatus(500).withFixedDelay(FAILING_DELAY_MS)));
        producer = new EventProducer(KafkaBroker.shared().bootstrapServers(), "/test/observability");
    }

    @AfterAll
    static void stop() {
        producer.close();
        endpoints.stop();
    }

    @Test
    void aFiringAndThenResolvedAlertReachesTheWebhookWhileAFailingReceiverRetriesAlone() throws IOException {
        for (String receiver : List.of(OK, FAILING, SINK)) {
            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(Map.of("kind", "webhook", "url", url(receiver)))
                    .put("/api/v1/receivers/" + receiver)
                    .then()
                    .statusCode(201)
                    .body("secretSet", equalTo(true))
                    .body("kind", equalTo("webhook"));
        }
        Map<String, Object> team = Map.of("label", "team", "op", "=", "value", TEAM);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "receiver",
                        SINK,
                        "groupBy",
                        List.of("alertname", "cluster"),
                        "groupWait",
                        "0s",
                        "groupInterval",
                        "1s",
                        "repeatInterval",
                        "1h",
                        "routes",
                        List.of(
                                Map.of("receiver", FAILING, "matchers", List.of(team), "continueMatching", true),
                                Map.of("receiver", OK, "matchers", List.of(team)))))
                .put("/api/v1/routes")
                .then()
                .statusCode(200);

        String fingerprint = "fp-" + RUN;
        Instant startsAt = Instant.now().minusSeconds(5);
        announce(fingerprint, AlertEvent.State.FIRING, startsAt, null);

        LoggedRequest firing = awaitRequest(OK, "firing");
        JsonNode body = json.readTree(firing.getBodyAsString());
        assertThat(body.path("version").asText()).isEqualTo("4");
        assertThat(body.path("status").asText()).isEqualTo("firing");
        assertThat(body.path("receiver").asText()).isEqualTo(OK);
        assertThat(body.path("groupKey").asText()).contains("alertname=\"NotifyTest\"");
        assertThat(body.path("groupLabels").path("cluster").asText()).isEqualTo("aws-notify-1");
        assertThat(body.path("commonLabels").path("team").asText()).isEqualTo(TEAM);
        assertThat(body.path("externalURL").asText()).isNotBlank();
        assertThat(body.path("truncatedAlerts").asInt()).isZero();
        JsonNode alert = body.path("alerts").get(0);
        assertThat(alert.path("status").asText()).isEqualTo("firing");
        assertThat(alert.path("fingerprint").asText()).isEqualTo(fingerprint);
        assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("NotifyTest");
        assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("notify me");
        assertThat(alert.path("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(firing.getHeader("Content-Type")).startsWith("application/json");

        // The failing receiver answers slowly; delivered in turn after it, the firing notification would have waited.
        JsonPath delivered = log("receiver=" + OK + "&alert=" + fingerprint);
        assertThat(delivered.getList("items.status", String.class)).containsExactly("delivered");
        assertThat(delivered.getInt("items[0].attempts")).isEqualTo(1);
        Duration took = Duration.between(
                Instant.parse(delivered.getString("items[0].createdAt")),
                Instant.parse(delivered.getString("items[0].updatedAt")));
        assertThat(took).isLessThan(Duration.ofMillis(FAILING_DELAY_MS - 1000));

        announce(fingerprint, AlertEvent.State.RESOLVED, startsAt, Instant.now());
        LoggedRequest resolved = awaitRequest(OK, "resolved");
        JsonNode resolvedBody = json.readTree(resolved.getBodyAsString());
        assertThat(resolvedBody.path("alerts").get(0).path("status").asText()).isEqualTo("resolved");
        assertThat(resolvedBody.path("alerts").get(0).path("endsAt").asText()).isNotEqualTo("0001-01-01T00:00:00Z");
        assertThat(resolvedBody.path("groupKey").asText())
                .isEqualTo(body.path("groupKey").asText());

        // The failing receiver retried with back-off and gave the firing notification up after max-attempts (3).
        Awaits.eventually(EVENTUALLY, () -> {
            JsonPath failed = log("receiver=" + FAILING + "&status=failed");
            assertThat(failed.getList("items.notification", String.class)).contains("firing");
            assertThat(failed.getInt("items[0].attempts")).isEqualTo(3);
            assertThat(failed.getString("items[0].lastError"))
                    .contains("HTTP 500")
                    .doesNotContain(SECRET);
        });
        assertThat(endpoints.findAll(postRequestedFor(urlEqualTo(path(FAILING)))))
                .hasSizeGreaterThanOrEqualTo(3);
        String metrics =
                given().get(managementMetrics).then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern(
                        "meridian_notifications_sent_total\\{receiver=\"" + OK + "\",status=\"delivered\"} [2-9]")
                .containsPattern(
                        "meridian_notifications_sent_total\\{receiver=\"" + FAILING + "\",status=\"retried\"} [1-9]")
                .containsPattern(
                        "meridian_notifications_sent_total\\{receiver=\"" + FAILING + "\",status=\"failed\"} [1-9]");

        // The secret is in no view.
        for (String view : List.of(
                "/api/v1/receivers", "/api/v1/receivers/" + OK, "/api/v1/routes", "/api/v1/notifications?limit=500")) {
            assertThat(given().header("Authorization", VIEWER)
                            .get(view)
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString())
                    .as(view)
                    .doesNotContain(SECRET);
        }
    }

    @Test
    void aTestNotificationIsSentNowAndItsOutcomeAnswered() throws IOException {
        String name = "tested-" + RUN;
        endpoints.stubFor(post(urlEqualTo(path(name))).willReturn(aResponse().withStatus(202)));
        createWebhook(name);

        given().header("Authorization", OPERATOR)
                .post("/api/v1/receivers/" + name + "/test")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("delivered"))
                .body("status", equalTo(202));

        List<LoggedRequest> sent = endpoints.findAll(postRequestedFor(urlEqualTo(path(name))));
        assertThat(sent).hasSize(1);
        assertThat(json.readTree(sent.getFirst().getBodyAsString())
                        .path("alerts")
                        .get(0)
                        .path("labels")
                        .path("alertname")
                        .asText())
                .isEqualTo("MeridianTestNotification");
        given().header("Authorization", OPERATOR)
                .post("/api/v1/receivers/nobody-" + RUN + "/test")
                .then()
                .statusCode(404);
    }

    @Test
    void anEmailReceiverKeepsItsPasswordSecretAndATestMailArrives() throws IOException {
        List<String> mails = new java.util.concurrent.CopyOnWriteArrayList<>();
        // A plain SMTP server: the JVM trusts no test certificate, so TLS itself is EmailDeliveryTest's to prove.
        org.subethamail.smtp.server.SMTPServer smtp = org.subethamail.smtp.server.SMTPServer.port(0)
                .bindAddress(java.net.InetAddress.getLoopbackAddress())
                .simpleMessageListener(new org.subethamail.smtp.helper.SimpleMessageListener() {
                    @Override
                    public boolean accept(String from, String recipient) {
                        return true;
                    }

                    @Override
                    public void deliver(String from, String recipient, java.io.InputStream data) throws IOException {
                        mails.add(recipient + "\n"
                                + new String(data.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                })
                .build();
        smtp.start();
        try {
            String smarthost = "127.0.0.1:" + smtp.getPortAllocated();
            String password = "smtp-" + SECRET;
            String secured = "mail-tls-" + RUN;
            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "kind",
                            "email",
                            "to",
                            List.of("oncall@example.com"),
                            "from",
                            "meridian@example.com",
                            "smarthost",
                            smarthost,
                            "username",
                            "meridian",
                            "password",
                            password))
                    .put("/api/v1/receivers/" + secured)
                    .then()
                    .statusCode(201)
                    .body("secretSet", equalTo(true))
                    .body("requireTls", equalTo(true))
                    .body("smarthost", equalTo(smarthost));
            // The server offers no STARTTLS: the login is never sent, and the reason says why.
            String outcome = given().header("Authorization", OPERATOR)
                    .post("/api/v1/receivers/" + secured + "/test")
                    .then()
                    .statusCode(200)
                    .body("outcome", equalTo("failed"))
                    .body("retryable", equalTo(false))
                    .extract()
                    .asString();
            assertThat(outcome).contains("did not offer STARTTLS").doesNotContain(password);
            assertThat(mails).isEmpty();
            for (String view : List.of("/api/v1/receivers", "/api/v1/receivers/" + secured)) {
                assertThat(given().header("Authorization", VIEWER)
                                .get(view)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                        .as(view)
                        .doesNotContain(password);
            }
            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "kind",
                            "email",
                            "to",
                            List.of("oncall@example.com"),
                            "from",
                            "meridian@example.com",
                            "smarthost",
                            smarthost,
                            "username",
                            "meridian",
                            "requireTls",
                            false))
                    .put("/api/v1/receivers/" + secured)
                    .then()
                    .statusCode(400)
                    .body(org.hamcrest.Matchers.containsString("requireTls"));

            String relay = "mail-relay-" + RUN;
            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "kind",
                            "email",
                            "to",
                            List.of("oncall@example.com"),
                            "from",
                            "meridian@example.com",
                            "smarthost",
                            smarthost,
                            "requireTls",
                            false))
                    .put("/api/v1/receivers/" + relay)
                    .then()
                    .statusCode(201)
                    .body("secretSet", equalTo(false));
            given().header("Authorization", OPERATOR)
                    .post("/api/v1/receivers/" + relay + "/test")
                    .then()
                    .statusCode(200)
                    .body("outcome", equalTo("delivered"));
            assertThat(mails).hasSize(1);
            assertThat(mails.getFirst())
                    .startsWith("oncall@example.com\n")
                    .contains("Subject: [FIRING:1] MeridianTestNotification")
                    .contains("@notifications.meridian>");
            given().header("Authorization", OPERATOR)
                    .delete("/api/v1/receivers/" + relay)
                    .then()
                    .statusCode(204);
        } finally {
            smtp.stop();
        }
    }

    @Test
    void anUpdateWithoutTheSecretKeepsItAndADeleteIsRefusedWhileARouteSendsToTheReceiver() {
        String name = "kept-" + RUN;
        createWebhook(name);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "webhook", "sendResolved", false, "maxAlerts", 3))
                .put("/api/v1/receivers/" + name)
                .then()
                .statusCode(200)
                .body("secretSet", equalTo(true))
                .body("sendResolved", equalTo(false))
                .body("maxAlerts", equalTo(3));
        given().header("Authorization", VIEWER)
                .get("/api/v1/receivers")
                .then()
                .statusCode(200)
                .body("name", hasItem(name));

        String routed = "routed-" + RUN;
        createWebhook(routed);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("receiver", routed))
                .put("/api/v1/routes")
                .then()
                .statusCode(200);
        given().header("Authorization", OPERATOR)
                .delete("/api/v1/receivers/" + routed)
                .then()
                .statusCode(409)
                .contentType("application/problem+json");

        given().header("Authorization", OPERATOR)
                .delete("/api/v1/receivers/" + name)
                .then()
                .statusCode(204);
        given().header("Authorization", VIEWER)
                .get("/api/v1/receivers/" + name)
                .then()
                .statusCode(404);
    }

    @Test
    void deletingTheRouteTreeStopsRoutingAndFreesItsReceivers() {
        String name = "unrouted-" + RUN;
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "webhook", "url", url(name)))
                .put("/api/v1/receivers/" + name)
                .then()
                .statusCode(201);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("receiver", name))
                .put("/api/v1/routes")
                .then()
                .statusCode(200);
        given().header("Authorization", OPERATOR)
                .delete("/api/v1/receivers/" + name)
                .then()
                .statusCode(409);

        given().header("Authorization", OPERATOR)
                .delete("/api/v1/routes")
                .then()
                .statusCode(204);

        given().header("Authorization", VIEWER).get("/api/v1/routes").then().statusCode(404);
        given().header("Authorization", OPERATOR)
                .delete("/api/v1/routes")
                .then()
                .statusCode(404);
        given().header("Authorization", OPERATOR)
                .delete("/api/v1/receivers/" + name)
                .then()
                .statusCode(204);
    }

    @Test
    void aViewerReadsButCannotWrite() {
        String name = "viewer-" + RUN;
        given().header("Authorization", VIEWER)
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "webhook", "url", url(name)))
                .put("/api/v1/receivers/" + name)
                .then()
                .statusCode(403);
        given().header("Authorization", VIEWER)
                .contentType(ContentType.JSON)
                .body(Map.of("receiver", name))
                .put("/api/v1/routes")
                .then()
                .statusCode(403);
        given().header("Authorization", VIEWER)
                .delete("/api/v1/receivers/" + name)
                .then()
                .statusCode(403);
        given().header("Authorization", VIEWER).delete("/api/v1/routes").then().statusCode(403);
        given().header("Authorization", VIEWER)
                .post("/api/v1/receivers/" + name + "/test")
                .then()
                .statusCode(403);
        given().header("Authorization", VIEWER)
                .get("/api/v1/notifications")
                .then()
                .statusCode(200);
        given().get("/api/v1/receivers").then().statusCode(401);
    }

    @Test
    void badInputIsA400NamingTheField() {
        String name = "bad-" + RUN;
        createWebhook(name);
        // A regular expression that does not compile.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "receiver",
                        name,
                        "routes",
                        List.of(Map.of(
                                "receiver",
                                name,
                                "matchers",
                                List.of(Map.of("label", "cluster", "op", "=~", "value", "(unclosed"))))))
                .put("/api/v1/routes")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("routes[0].matchers[0].value"));
        // A route to a receiver that does not exist.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("receiver", name, "routes", List.of(Map.of("receiver", "nobody-" + RUN))))
                .put("/api/v1/routes")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("routes[0].receiver"));
        // The cloud metadata address, refused by the endpoint allow-list; an unknown kind.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "webhook", "url", "http://169.254.169.254/latest/meta-data"))
                .put("/api/v1/receivers/" + name)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("url"));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "carrier-pigeon"))
                .put("/api/v1/receivers/" + name)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("kind"));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "webhook"))
                .put("/api/v1/receivers/new-" + RUN)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("url"));
        given().header("Authorization", VIEWER)
                .get("/api/v1/notifications?status=lost&limit=0")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("status"));
        given().header("Authorization", VIEWER)
                .get("/api/v1/notifications?cursor=made-up")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("cursor"));
    }

    private static void createWebhook(String name) {
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "webhook", "url", url(name)))
                .put("/api/v1/receivers/" + name)
                .then()
                .statusCode(201);
    }

    private static void announce(String fingerprint, AlertEvent.State state, Instant startsAt, Instant endsAt) {
        AlertEvent event = new AlertEvent(
                fingerprint,
                "NotifyTest",
                state,
                "critical",
                Map.of("cluster", "aws-notify-1", "team", TEAM),
                Map.of("summary", "notify me"),
                "aws-notify-1",
                1.0,
                startsAt,
                endsAt);
        EventType type = state == AlertEvent.State.FIRING ? EventType.ALERT_FIRING : EventType.ALERT_RESOLVED;
        producer.send(Topic.ALERTS, type, fingerprint, "NotifyTest", event);
    }

    private LoggedRequest awaitRequest(String receiver, String status) {
        LoggedRequest[] found = new LoggedRequest[1];
        Awaits.eventually(EVENTUALLY, () -> {
            List<LoggedRequest> sent = endpoints.findAll(postRequestedFor(urlEqualTo(path(receiver))));
            found[0] = sent.stream()
                    .filter(r -> status.equals(statusOf(r)))
                    .findFirst()
                    .orElse(null);
            assertThat(found[0]).as(status + " notification to " + receiver).isNotNull();
        });
        return found[0];
    }

    private String statusOf(LoggedRequest request) {
        try {
            return json.readTree(request.getBodyAsString()).path("status").asText();
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonPath log(String query) {
        return given().header("Authorization", VIEWER)
                .get("/api/v1/notifications?" + query)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static String path(String receiver) {
        return "/hooks/" + receiver + "/" + SECRET;
    }

    private static String url(String receiver) {
        return "http://127.0.0.1:" + endpoints.port() + path(receiver);
    }
}
