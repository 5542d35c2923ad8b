package io.meridian.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.Test;

/** Placement's noun: {@code workloads list|get [--watch]|apply|explain|rollback}. */
class PlacementCommandsTest extends ServiceApiTest {

    static final String CHECKOUT = "{\"name\":\"checkout\",\"namespace\":\"shop\",\"generation\":4,"
            + "\"reachesProd\":true,\"updatedBy\":\"alice\",\"updatedAt\":\"2026-12-06T02:00:00Z\"}";
    static final String YAML = """
            name: checkout
            namespace: shop
            placement:
              replicas: 6
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: checkout
            """;

    @Test
    void listFollowsPagesAndFilters() {
        server.stubFor(get(urlPathEqualTo("/api/v1/workloads"))
                .withQueryParam("namespace", equalTo("shop"))
                .willReturn(json("{\"items\":[" + CHECKOUT + "],\"nextCursor\":\"w2\"}")));
        server.stubFor(get(urlPathEqualTo("/api/v1/workloads"))
                .withQueryParam("cursor", equalTo("w2"))
                .willReturn(json(
                        "{\"items\":[" + CHECKOUT.replace("checkout", "cart").replace("true", "false") + "]}")));

        CliRun.Result list = cli.run("workloads", "list", "-n", "shop");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().toList())
                .containsExactly(
                        "NAME      NAMESPACE  GENERATION  REACHES-PROD  UPDATED-BY  UPDATED",
                        "checkout  shop       4           true          alice       2026-12-06T02:00:00Z",
                        "cart      shop       4           false         alice       2026-12-06T02:00:00Z");
    }

    @Test
    void applyCreatesWithTheYamlAsWritten() {
        server.stubFor(get(urlEqualTo("/api/v1/workloads/checkout"))
                .willReturn(json(404, "{\"title\":\"No such workload\",\"status\":404}")));
        server.stubFor(post(urlEqualTo("/api/v1/workloads")).willReturn(json(201, CHECKOUT.replace("4", "1"))));

        CliRun.Result apply = cli.runWithInput(YAML, "workloads", "apply", "-f", "-");

        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.out()).isEqualTo("workload checkout created (generation 1)\n");
        // Both documents reach the service: the second is a manifest of the workload.
        server.verify(postRequestedFor(urlEqualTo("/api/v1/workloads"))
                .withHeader("Content-Type", equalTo("application/yaml"))
                .withRequestBody(equalTo(YAML)));
    }

    @Test
    void applyReplacesAnExistingWorkloadAndShowsTheProblem() {
        server.stubFor(get(urlEqualTo("/api/v1/workloads/checkout")).willReturn(json(CHECKOUT)));
        server.stubFor(put(urlEqualTo("/api/v1/workloads/checkout"))
                .willReturn(invalid("placement.replicas", "must be at least 1")));

        String body = "{\"name\":\"checkout\",\"namespace\":\"shop\",\"placement\":{\"replicas\":0}}";
        CliRun.Result apply = cli.runWithInput(body, "workloads", "apply", "-f", "-");

        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.err()).contains("(field: placement.replicas: must be at least 1)");
        server.verify(putRequestedFor(urlEqualTo("/api/v1/workloads/checkout"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalTo(body)));
        server.verify(0, postRequestedFor(urlEqualTo("/api/v1/workloads")));
    }

    @Test
    void explainPrintsChosenAndRejectedClustersWithReasons() {
        server.stubFor(
                get(urlEqualTo("/api/v1/workloads/checkout/placement"))
                        .willReturn(
                                json(
                                        "{\"workload\":\"checkout\",\"generation\":4,\"decided\":true,"
                                                + "\"decisionGeneration\":4,\"decidedAt\":\"2026-12-06T02:01:00Z\",\"monthlyCost\":182.5,"
                                                + "\"currency\":\"USD\",\"degraded\":false,\"unmetSpread\":[\"zone: 1 of 2\"],"
                                                + "\"chosen\":[{\"clusterId\":\"aws-1\",\"replicas\":4,\"score\":0.913,\"monthlyCost\":120},"
                                                + "{\"clusterId\":\"gcp-1\",\"replicas\":2,\"score\":0.7,\"monthlyCost\":62.5}],"
                                                + "\"rejected\":[{\"clusterId\":\"azure-1\",\"reason\":\"InsufficientCapacity\","
                                                + "\"detail\":\"needs 2000m CPU, 1500m free\"},{\"clusterId\":\"onprem-1\","
                                                + "\"reason\":\"NotSelected\",\"detail\":\"env=dev\"}],"
                                                + "\"rollout\":{\"phase\":\"Halted\",\"waves\":[[\"aws-1\"],[\"gcp-1\"]],"
                                                + "\"wavesCompleted\":1,\"haltedCluster\":\"gcp-1\",\"haltReason\":\"not available in 10m\"}}")));

        CliRun.Result explain = cli.run("workloads", "explain", "checkout");

        assertThat(explain.exitCode()).as(explain.err()).isZero();
        assertThat(explain.out().lines().toList())
                .containsExactly(
                        "workload checkout  generation 4  decided 2026-12-06T02:01:00Z for generation 4  monthly cost"
                                + " 182.50 USD",
                        "rollout Halted: 1 of 2 waves done, halted at gcp-1: not available in 10m",
                        "",
                        "CLUSTER   RESULT    REPLICAS  SCORE  COST/MONTH  REASON                DETAIL",
                        "aws-1     chosen    4         0.91   120.00      -                     -",
                        "gcp-1     chosen    2         0.70   62.50       -                     -",
                        "azure-1   rejected  -         -      -           InsufficientCapacity  needs 2000m CPU, 1500m"
                                + " free",
                        "onprem-1  rejected  -         -      -           NotSelected           env=dev",
                        "unmet spread: zone: 1 of 2");
    }

    @Test
    void explainBeforeTheFirstDecisionSaysSo() {
        server.stubFor(get(urlEqualTo("/api/v1/workloads/checkout/placement"))
                .willReturn(json("{\"workload\":\"checkout\",\"generation\":1,\"decided\":false}")));

        assertThat(cli.run("workloads", "explain", "checkout").out())
                .isEqualTo("workload checkout (generation 1): no placement decided yet\n");
    }

    @Test
    void rollbackPostsAndNamesTheNewGeneration() {
        server.stubFor(
                post(urlEqualTo("/api/v1/workloads/checkout/rollback")).willReturn(json(CHECKOUT.replace("4", "5"))));

        CliRun.Result rollback = cli.run("workloads", "rollback", "checkout");

        assertThat(rollback.exitCode()).as(rollback.err()).isZero();
        assertThat(rollback.out())
                .isEqualTo("workload checkout rolled back: generation 5 rolls out the previous content\n");
        server.verify(postRequestedFor(urlEqualTo("/api/v1/workloads/checkout/rollback")));
    }

    @Test
    void getWatchPrintsARowPerNewGeneration() {
        server.stubFor(get(urlEqualTo("/api/v1/workloads/checkout"))
                .inScenario("w")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(CHECKOUT))
                .willSetStateTo("next"));
        server.stubFor(get(urlEqualTo("/api/v1/workloads/checkout"))
                .inScenario("w")
                .whenScenarioStateIs("next")
                .willReturn(json(CHECKOUT.replace("4", "5")))
                .willSetStateTo("gone"));
        server.stubFor(get(urlEqualTo("/api/v1/workloads/checkout"))
                .inScenario("w")
                .whenScenarioStateIs("gone")
                .willReturn(json(404, "{\"title\":\"No such workload\",\"status\":404}")));

        CliRun.Result watch = cli.run("workloads", "get", "checkout", "--watch");

        assertThat(watch.exitCode()).isEqualTo(1);
        assertThat(watch.out().lines().toList()).hasSize(3);
        assertThat(watch.out().lines().toList().get(2)).startsWith("checkout  shop       5");
        assertThat(watch.err()).contains("No such workload");
        server.verify(3, getRequestedFor(urlEqualTo("/api/v1/workloads/checkout")));
    }
}
