package io.meridian.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Policy's nouns: {@code policies list|get|apply|delete}, {@code violations list}, {@code waivers create|revoke}. */
class PolicyCommandsTest extends ServiceApiTest {

    static final String VIEW = "{\"policy\":{\"name\":\"no-latest\",\"severity\":\"high\",\"action\":\"deny\","
            + "\"categories\":[\"security\",\"reliability\"]},\"generation\":3,\"updatedBy\":\"alice\","
            + "\"updatedAt\":\"2026-12-05T10:00:00Z\"}";
    static final String DEFINITION = """
            name: no-latest
            severity: high
            action: deny
            spec:
              validations:
                - expression: "!object.spec.containers.exists(c, c.image.endsWith(':latest'))"
            """;

    @Test
    void listPrintsEveryPolicy() {
        server.stubFor(get(urlEqualTo("/api/v1/policies")).willReturn(json("[" + VIEW + "]")));

        CliRun.Result list = cli.run("policies", "list");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().toList())
                .containsExactly(
                        "NAME       SEVERITY  ACTION  CATEGORIES            GENERATION  UPDATED-BY  UPDATED",
                        "no-latest  high      deny    security,reliability  3           alice       2026-12-05T10:00:00Z");
    }

    @Test
    void applyCreatesANewPolicy() {
        server.stubFor(get(urlEqualTo("/api/v1/policies/no-latest"))
                .willReturn(json(404, "{\"title\":\"Not Found\",\"status\":404}")));
        server.stubFor(post(urlEqualTo("/api/v1/policies")).willReturn(json(201, VIEW.replace("3", "1"))));

        CliRun.Result apply = cli.runWithInput(DEFINITION, "policies", "apply", "-f", "-");

        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.out()).isEqualTo("policy no-latest created (generation 1)\n");
        server.verify(postRequestedFor(urlEqualTo("/api/v1/policies"))
                .withRequestBody(equalToJson("{\"name\":\"no-latest\",\"severity\":\"high\",\"action\":\"deny\","
                        + "\"spec\":{\"validations\":[{\"expression\":"
                        + "\"!object.spec.containers.exists(c, c.image.endsWith(':latest'))\"}]}}")));
        server.verify(0, putRequestedFor(urlPathEqualTo("/api/v1/policies/no-latest")));
    }

    @Test
    void applyReplacesAnExistingPolicyAndShowsACelError() {
        server.stubFor(get(urlEqualTo("/api/v1/policies/no-latest")).willReturn(json(VIEW)));
        server.stubFor(put(urlEqualTo("/api/v1/policies/no-latest"))
                .willReturn(invalid("spec.validations[0].expression", "undeclared reference to 'objekt' at 1:2")));

        CliRun.Result apply =
                cli.runWithInput(DEFINITION.replace("!object", "!objekt"), "policies", "apply", "-f", "-");

        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.err())
                .contains("(field: spec.validations[0].expression: undeclared reference to 'objekt' at 1:2)");
        server.verify(putRequestedFor(urlEqualTo("/api/v1/policies/no-latest"))
                .withRequestBody(equalToJson("{\"name\":\"no-latest\"}", true, true)));
        server.verify(0, postRequestedFor(urlEqualTo("/api/v1/policies")));
    }

    @Test
    void applyWithoutANameIsRefusedBeforeAnyCall() {
        CliRun.Result apply = cli.runWithInput("severity: low\n", "policies", "apply", "-f", "-");

        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.err()).contains("has no name");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void deleteCallsThePolicysPath() {
        server.stubFor(delete(urlEqualTo("/api/v1/policies/no-latest"))
                .willReturn(aResponse().withStatus(204)));

        assertThat(cli.run("policies", "delete", "no-latest").out()).isEqualTo("policy no-latest deleted\n");
        server.verify(deleteRequestedFor(urlEqualTo("/api/v1/policies/no-latest")));
    }

    static String violation(String cluster) {
        return "{\"policy\":\"no-latest\",\"clusterId\":\"" + cluster + "\",\"object\":{\"apiVersion\":\"v1\","
                + "\"kind\":\"Pod\",\"namespace\":\"shop\",\"name\":\"web-1\"},\"state\":\"Open\","
                + "\"severity\":\"high\",\"action\":\"deny\",\"message\":\"image uses :latest\"}";
    }

    @Test
    void violationsFollowOffsetsUntilTheTotal() {
        server.stubFor(get(urlPathEqualTo("/api/v1/compliance/violations"))
                .withQueryParam("offset", equalTo("0"))
                .willReturn(json("{\"items\":[" + violation("aws-1") + "],\"total\":2,\"limit\":100,\"offset\":0}")));
        server.stubFor(get(urlPathEqualTo("/api/v1/compliance/violations"))
                .withQueryParam("offset", equalTo("1"))
                .willReturn(json("{\"items\":[" + violation("gcp-1") + "],\"total\":2,\"limit\":100,\"offset\":1}")));

        CliRun.Result list = cli.run("violations", "list", "--severity", "high");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().toList())
                .containsExactly(
                        "CLUSTER  POLICY     SEVERITY  ACTION  KIND  NAMESPACE  NAME   MESSAGE",
                        "aws-1    no-latest  high      deny    Pod   shop       web-1  image uses :latest",
                        "gcp-1    no-latest  high      deny    Pod   shop       web-1  image uses :latest");
        server.verify(getRequestedFor(urlEqualTo("/api/v1/compliance/violations?severity=high&limit=100&offset=0")));
        server.verify(2, getRequestedFor(urlPathEqualTo("/api/v1/compliance/violations")));
    }

    @Test
    void violationsShowTheProblem() {
        server.stubFor(get(urlPathEqualTo("/api/v1/compliance/violations"))
                .willReturn(invalid("severity", "must be one of low, medium, high, critical")));

        CliRun.Result list = cli.run("violations", "list", "--severity", "urgent");

        assertThat(list.exitCode()).isEqualTo(1);
        assertThat(list.err()).contains("(field: severity: must be one of low, medium, high, critical)");
    }

    @Test
    void waiversCreateAndRevoke() {
        server.stubFor(post(urlEqualTo("/api/v1/waivers"))
                .willReturn(json(
                        201,
                        "{\"id\":\"w-7\",\"policy\":\"no-latest\",\"clusterId\":\"aws-1\",\"namespace\":\"shop\","
                                + "\"reason\":\"migration\",\"expiresAt\":\"2026-12-20T00:00:00Z\","
                                + "\"createdBy\":\"alice\"}")));
        server.stubFor(
                delete(urlEqualTo("/api/v1/waivers/w-7")).willReturn(aResponse().withStatus(204)));

        CliRun.Result create = cli.runWithInput(
                "{\"policy\":\"no-latest\",\"clusterId\":\"aws-1\",\"namespace\":\"shop\",\"reason\":\"migration\","
                        + "\"expiresAt\":\"2026-12-20T00:00:00Z\"}",
                "waivers",
                "create",
                "-f",
                "-");
        CliRun.Result revoke = cli.run("waivers", "revoke", "w-7");

        assertThat(create.exitCode()).as(create.err()).isZero();
        assertThat(create.out().lines().toList().get(1))
                .startsWith("w-7  no-latest  aws-1    shop")
                .endsWith("alice  migration");
        server.verify(postRequestedFor(urlEqualTo("/api/v1/waivers"))
                .withRequestBody(equalToJson("{\"policy\":\"no-latest\",\"clusterId\":\"aws-1\","
                        + "\"namespace\":\"shop\",\"reason\":\"migration\",\"expiresAt\":\"2026-12-20T00:00:00Z\"}")));
        assertThat(revoke.out()).isEqualTo("waiver w-7 revoked\n");
        server.verify(deleteRequestedFor(urlEqualTo("/api/v1/waivers/w-7")));
    }
}
