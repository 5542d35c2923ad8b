package io.meridian.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meridian.cli.auth.Token;
import io.meridian.cli.auth.TokenCache;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clusters list|get} against inventory's API as WireMock serves it: output formats and problem answers. */
class ClustersCommandTest {

    static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");
    static final String AWS = "{\"name\":\"aws-1\",\"cloud\":\"aws\",\"region\":\"eu-west-1\","
            + "\"environment\":\"prod\",\"labels\":{\"team\":\"payments\"},"
            + "\"status\":{\"phase\":\"Ready\",\"nodeCount\":3,\"kubernetesVersion\":\"v1.31.2\"}}";
    static final String GCP = "{\"name\":\"gcp-1\",\"cloud\":\"gcp\",\"region\":\"europe-west1\","
            + "\"environment\":\"staging\",\"status\":{\"phase\":\"Pending\",\"nodeCount\":0}}";

    @TempDir
    Path home;

    WireMockServer server;
    CliRun cli;
    Path configDir;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        configDir = home.resolve("config");
        cli = new CliRun(configDir, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(cli.run("context", "set", "t", "--keycloak", server.baseUrl(), "--inventory", server.baseUrl())
                        .exitCode())
                .isZero();
        cli.run("context", "use", "t");
        new TokenCache(configDir).put("t", new Token("tok-1", NOW.plusSeconds(300), "refresh-1", NOW.plusSeconds(900)));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void listFollowsEveryPageAndPrintsATable() {
        server.stubFor(get(urlPathEqualTo("/api/v1/clusters"))
                .withQueryParam("labelSelector", equalTo("team=payments"))
                .withHeader("Authorization", equalTo("Bearer tok-1"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"items\":[" + AWS + "],\"total\":2,\"nextCursor\":\"c2\"}")));
        server.stubFor(get(urlPathEqualTo("/api/v1/clusters"))
                .withQueryParam("cursor", equalTo("c2"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"items\":[" + GCP + "],\"total\":2}")));

        CliRun.Result list = cli.run("clusters", "list", "-l", "team=payments");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().toList())
                .containsExactly(
                        "NAME   CLOUD  REGION        ENVIRONMENT  PHASE    NODES  VERSION",
                        "aws-1  aws    eu-west-1     prod         Ready    3      v1.31.2",
                        "gcp-1  gcp    europe-west1  staging      Pending  0      -");
    }

    @Test
    void getPrintsJsonOrYaml() {
        server.stubFor(get(urlEqualTo("/api/v1/clusters/aws-1"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(AWS)));

        CliRun.Result json = cli.run("clusters", "get", "aws-1", "-o", "json");
        CliRun.Result yaml = cli.run("clusters", "get", "aws-1", "-o", "yaml");

        assertThat(json.out()).contains("\"name\" : \"aws-1\"").contains("\"team\" : \"payments\"");
        assertThat(yaml.out())
                .contains("name: aws-1")
                .contains("  phase: Ready")
                .contains("  team: payments");
    }

    @Test
    void aProblemAnswerNamesTheFieldAndExitsWithOne() {
        server.stubFor(get(urlPathEqualTo("/api/v1/clusters"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\":\"Invalid request\",\"status\":400,\"detail\":\"1 invalid field\","
                                + "\"errors\":[{\"field\":\"cloud\",\"message\":\"must be one of [aws, azure, gcp,"
                                + " onprem]\"}]}")));

        CliRun.Result list = cli.run("clusters", "list", "--cloud", "ibm");

        assertThat(list.exitCode()).isEqualTo(1);
        assertThat(list.err())
                .startsWith("error: Invalid request: 1 invalid field (field: cloud: must be one of [aws, azure, gcp,"
                        + " onprem])");
    }

    @Test
    void unauthorizedAndForbiddenSayWhatToDo() {
        server.stubFor(
                get(urlEqualTo("/api/v1/clusters/aws-1")).willReturn(aResponse().withStatus(401)));
        server.stubFor(get(urlEqualTo("/api/v1/clusters/gcp-1"))
                .willReturn(aResponse().withStatus(403).withBody("{\"title\":\"Forbidden\",\"status\":403}")));

        assertThat(cli.run("clusters", "get", "aws-1").err())
                .contains("HTTP 401")
                .contains("run meridian login");
        assertThat(cli.run("clusters", "get", "gcp-1").err())
                .contains("error: Forbidden")
                .contains("your role cannot do this on inventory");
    }

    @Test
    void anExpiredTokenIsRefreshedBeforeTheCall() {
        new TokenCache(configDir).put("t", new Token("old", NOW.minusSeconds(5), "refresh-1", NOW.plusSeconds(900)));
        server.stubFor(post(urlEqualTo("/realms/meridian/protocol/openid-connect/token"))
                .willReturn(aResponse()
                        .withBody("{\"access_token\":\"fresh\",\"expires_in\":300,\"refresh_token\":\"r2\"}")));
        server.stubFor(get(urlEqualTo("/api/v1/clusters/aws-1"))
                .withHeader("Authorization", equalTo("Bearer fresh"))
                .willReturn(aResponse().withBody(AWS)));

        CliRun.Result get = cli.run("clusters", "get", "aws-1");

        assertThat(get.exitCode()).as(get.err()).isZero();
        assertThat(get.out()).contains("aws-1").contains("Ready");
        server.verify(getRequestedFor(urlEqualTo("/api/v1/clusters/aws-1"))
                .withHeader("Authorization", equalTo("Bearer fresh")));
    }

    @Test
    void watchPrintsTheHeaderOnceAndARowPerChange() {
        server.stubFor(get(urlEqualTo("/api/v1/clusters/aws-1"))
                .inScenario("w")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withBody(AWS.replace("Ready", "Pending")))
                .willSetStateTo("same"));
        server.stubFor(get(urlEqualTo("/api/v1/clusters/aws-1"))
                .inScenario("w")
                .whenScenarioStateIs("same")
                .willReturn(aResponse().withBody(AWS.replace("Ready", "Pending")))
                .willSetStateTo("ready"));
        server.stubFor(get(urlEqualTo("/api/v1/clusters/aws-1"))
                .inScenario("w")
                .whenScenarioStateIs("ready")
                .willReturn(aResponse().withBody(AWS))
                .willSetStateTo("gone"));
        server.stubFor(get(urlEqualTo("/api/v1/clusters/aws-1"))
                .inScenario("w")
                .whenScenarioStateIs("gone")
                .willReturn(aResponse().withStatus(404).withBody("{\"title\":\"Not Found\",\"status\":404}")));

        CliRun.Result watch = cli.run("clusters", "get", "aws-1", "--watch");

        // The watch ends with the error of the fourth poll; the unchanged second answer printed nothing.
        assertThat(watch.exitCode()).isEqualTo(1);
        assertThat(watch.out().lines().toList()).hasSize(3);
        assertThat(watch.out().lines().toList().get(1)).contains("Pending");
        assertThat(watch.out().lines().toList().get(2)).contains("Ready");
        assertThat(cli.sleeps).hasSize(3);
    }
}
