package io.meridian.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Inventory's write verbs ({@code clusters register|label|deregister}) and {@code resources search}. */
class InventoryCommandsTest extends ServiceApiTest {

    static final String REGISTERED = "{\"name\":\"aws-2\",\"cloud\":\"aws\",\"region\":\"us-east-1\","
            + "\"environment\":\"dev\",\"labels\":{\"team\":\"web\"},\"status\":{\"phase\":\"Pending\"}}";

    @Test
    void registerPostsAYamlFileAsJsonAndPrintsTheCluster() throws Exception {
        Path file = home.resolve("aws-2.yaml");
        Files.writeString(file, """
                name: aws-2
                cloud: aws
                region: us-east-1
                environment: dev
                labels:
                  team: web
                credentials:
                  token: s3cret
                """);
        server.stubFor(post(urlEqualTo("/api/v1/clusters")).willReturn(json(201, REGISTERED)));

        CliRun.Result register = cli.run("clusters", "register", "-f", file.toString());

        assertThat(register.exitCode()).as(register.err()).isZero();
        assertThat(register.out().lines().toList().get(1))
                .startsWith("aws-2  aws    us-east-1")
                .contains("Pending");
        server.verify(postRequestedFor(urlEqualTo("/api/v1/clusters"))
                .withHeader("Authorization", equalTo("Bearer tok-1"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"name\":\"aws-2\",\"cloud\":\"aws\",\"region\":\"us-east-1\","
                        + "\"environment\":\"dev\",\"labels\":{\"team\":\"web\"},"
                        + "\"credentials\":{\"token\":\"s3cret\"}}")));
    }

    @Test
    void registerReadsStandardInputAndReportsTheInvalidField() {
        server.stubFor(
                post(urlEqualTo("/api/v1/clusters")).willReturn(invalid("apiServerUrl", "must be an https URL")));

        CliRun.Result register =
                cli.runWithInput("{\"name\":\"x\",\"apiServerUrl\":\"http://a\"}", "clusters", "register", "-f", "-");

        assertThat(register.exitCode()).isEqualTo(1);
        assertThat(register.err())
                .startsWith("error: Invalid request: 1 invalid field (field: apiServerUrl: must be an https URL)");
        server.verify(postRequestedFor(urlEqualTo("/api/v1/clusters"))
                .withRequestBody(equalToJson("{\"name\":\"x\",\"apiServerUrl\":\"http://a\"}")));
    }

    @Test
    void aBodyThatIsNoObjectIsRefusedBeforeAnyCall() {
        CliRun.Result list = cli.runWithInput("- a\n- b\n", "clusters", "register", "-f", "-");
        CliRun.Result missing =
                cli.run("clusters", "register", "-f", home.resolve("nope.yaml").toString());

        assertThat(list.exitCode()).isEqualTo(1);
        assertThat(list.err()).contains("standard input must hold one object");
        assertThat(missing.err()).contains("no such file");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void labelSetsAndRemovesOnTheCurrentLabelSet() {
        server.stubFor(get(urlEqualTo("/api/v1/clusters/aws-1"))
                .willReturn(json("{\"name\":\"aws-1\",\"labels\":{\"team\":\"payments\",\"tier\":\"gold\"}}")));
        server.stubFor(patch(urlEqualTo("/api/v1/clusters/aws-1"))
                .willReturn(json("{\"name\":\"aws-1\",\"labels\":{\"team\":\"web\",\"zone\":\"a\"}}")));

        CliRun.Result label = cli.run("clusters", "label", "aws-1", "team=web", "tier-", "zone=a");

        assertThat(label.exitCode()).as(label.err()).isZero();
        assertThat(label.out()).contains("cluster aws-1 labeled");
        // The API replaces the whole label set: the body carries the labels kept, changed and added, not the removed.
        server.verify(patchRequestedFor(urlEqualTo("/api/v1/clusters/aws-1"))
                .withRequestBody(equalToJson("{\"labels\":{\"team\":\"web\",\"zone\":\"a\"}}")));
    }

    @Test
    void labelRefusesAnArgumentThatIsNoChange() {
        server.stubFor(get(urlEqualTo("/api/v1/clusters/aws-1")).willReturn(json("{\"name\":\"aws-1\"}")));

        CliRun.Result label = cli.run("clusters", "label", "aws-1", "team");

        assertThat(label.exitCode()).isEqualTo(1);
        assertThat(label.err()).contains("'team' is neither KEY=VALUE nor KEY-");
        server.verify(0, patchRequestedFor(urlEqualTo("/api/v1/clusters/aws-1")));
    }

    @Test
    void deregisterDeletesAndAForbiddenAnswerSaysWhy() {
        server.stubFor(delete(urlEqualTo("/api/v1/clusters/aws-1"))
                .willReturn(aResponse().withStatus(204)));
        server.stubFor(delete(urlEqualTo("/api/v1/clusters/prod-1"))
                .willReturn(json(403, "{\"title\":\"Forbidden\",\"status\":403}")));

        CliRun.Result ok = cli.run("clusters", "deregister", "aws-1");
        CliRun.Result denied = cli.run("clusters", "deregister", "prod-1");

        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).isEqualTo("cluster aws-1 deregistered\n");
        server.verify(deleteRequestedFor(urlEqualTo("/api/v1/clusters/aws-1")));
        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(denied.err()).contains("Forbidden").contains("your role cannot do this on inventory");
    }

    static final String POD =
            "{\"clusterId\":\"aws-1\",\"kind\":\"Deployment\",\"namespace\":\"shop\",\"name\":\"web\","
                    + "\"containers\":[{\"name\":\"a\",\"image\":\"nginx:1.27\"},{\"name\":\"b\",\"image\":\"envoy:1.30\"}],"
                    + "\"status\":{\"replicas\":3,\"readyReplicas\":2}}";

    @Test
    void resourcesSearchPassesTheFiltersAndFollowsPages() {
        server.stubFor(get(urlPathEqualTo("/api/v1/resources"))
                .withQueryParam("kind", equalTo("Deployment"))
                .withQueryParam("image", equalTo("nginx:*"))
                .withQueryParam("labelSelector", equalTo("app=web"))
                .willReturn(json("{\"items\":[" + POD + "],\"total\":2,\"nextCursor\":\"n2\"}")));
        server.stubFor(get(urlPathEqualTo("/api/v1/resources"))
                .withQueryParam("cursor", equalTo("n2"))
                .willReturn(json("{\"items\":[" + POD.replace("aws-1", "gcp-1") + "],\"total\":2}")));

        CliRun.Result search = cli.run(
                "resources", "search", "--kind", "Deployment", "--image", "nginx:*", "-l", "app=web", "-n", "shop");

        assertThat(search.exitCode()).as(search.err()).isZero();
        assertThat(search.out().lines().toList())
                .containsExactly(
                        "CLUSTER  KIND        NAMESPACE  NAME  PHASE  READY  IMAGES",
                        "aws-1    Deployment  shop       web   -      2/3    nginx:1.27,envoy:1.30",
                        "gcp-1    Deployment  shop       web   -      2/3    nginx:1.27,envoy:1.30");
        server.verify(getRequestedFor(urlEqualTo(
                "/api/v1/resources?kind=Deployment&namespace=shop&labelSelector=app%3Dweb&image=nginx%3A*&limit=100")));
    }

    @Test
    void limitStopsFollowingPagesAndSaysSo() {
        server.stubFor(get(urlPathEqualTo("/api/v1/resources"))
                .willReturn(json("{\"items\":[" + POD + "],\"total\":9,\"nextCursor\":\"n2\"}")));

        CliRun.Result search = cli.run("resources", "search", "--limit", "1", "-o", "json");

        assertThat(search.exitCode()).as(search.err()).isZero();
        assertThat(search.out()).startsWith("[ {").contains("\"clusterId\" : \"aws-1\"");
        assertThat(search.err()).contains("showing the first 1 items; --all");
        server.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/resources")));
        server.verify(getRequestedFor(urlEqualTo("/api/v1/resources?limit=1")));
    }

    @Test
    void resourcesSearchShowsTheProblem() {
        server.stubFor(get(urlPathEqualTo("/api/v1/resources"))
                .willReturn(invalid("labelSelector", "unexpected character '!'")));

        CliRun.Result search = cli.run("resources", "search", "-l", "!!");

        assertThat(search.exitCode()).isEqualTo(1);
        assertThat(search.err()).contains("(field: labelSelector: unexpected character '!')");
    }
}
