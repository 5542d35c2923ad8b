package io.meridian.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Cost's nouns: {@code cost allocation|recommendations|budgets [create|delete]}. */
class CostCommandsTest extends ServiceApiTest {

    static String totals(double cpu, double total) {
        return "{\"cpuCost\":" + cpu + ",\"ramCost\":1.5,\"gpuCost\":0,\"pvCost\":0.25,\"networkCost\":0,"
                + "\"sharedCost\":0,\"idleCost\":0,\"totalCost\":" + total + "}";
    }

    @Test
    void allocationPassesWindowAndAggregateAndEndsWithTheTotal() {
        server.stubFor(get(urlPathEqualTo("/api/v1/allocation"))
                .willReturn(json("{\"start\":\"2026-12-05T00:00:00Z\",\"end\":\"2026-12-06T00:00:00Z\","
                        + "\"aggregate\":\"label:team\",\"currency\":\"USD\",\"items\":["
                        + "{\"name\":\"payments\",\"cost\":" + totals(10, 11.75) + "},"
                        + "{\"name\":\"__idle__\",\"cost\":" + totals(2, 3.75) + "}],"
                        + "\"total\":" + totals(12, 15.5) + ",\"assetTotal\":15.5}")));

        CliRun.Result allocation = cli.run("cost", "allocation", "--window", "yesterday", "--aggregate", "label:team");

        assertThat(allocation.exitCode()).as(allocation.err()).isZero();
        assertThat(allocation.out().lines().toList())
                .containsExactly(
                        "# label:team from 2026-12-05T00:00:00Z to 2026-12-06T00:00:00Z, in USD",
                        "NAME      CPU    RAM   GPU   PV    NETWORK  SHARED  IDLE  TOTAL",
                        "payments  10.00  1.50  0.00  0.25  0.00     0.00    0.00  11.75",
                        "__idle__  2.00   1.50  0.00  0.25  0.00     0.00    0.00  3.75",
                        "TOTAL     12.00  1.50  0.00  0.25  0.00     0.00    0.00  15.50");
        server.verify(getRequestedFor(urlEqualTo("/api/v1/allocation?window=yesterday&aggregate=label%3Ateam")));
    }

    @Test
    void allocationShowsAWindowProblem() {
        server.stubFor(get(urlPathEqualTo("/api/v1/allocation"))
                .willReturn(invalid("window", "must be <n>h, <n>d, today, yesterday, month or <start>,<end>")));

        CliRun.Result allocation = cli.run("cost", "allocation", "--window", "fortnight");

        assertThat(allocation.exitCode()).isEqualTo(1);
        assertThat(allocation.err()).contains("(field: window: must be <n>h, <n>d");
    }

    @Test
    void recommendationsListSavingsAndTheirSum() {
        server.stubFor(get(urlPathEqualTo("/api/v1/recommendations"))
                .willReturn(json("{\"hours\":48,\"currency\":\"USD\",\"totalMonthlySavings\":120.4,\"items\":["
                        + "{\"kind\":\"rightsize\",\"target\":\"shop/web\",\"cluster\":\"aws-1\","
                        + "\"summary\":\"requests 2 CPU, uses 0.3\",\"monthlySavings\":120.4}]}")));

        CliRun.Result list = cli.run("cost", "recommendations", "--hours", "48", "--kind", "rightsize");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().toList())
                .containsExactly(
                        "KIND       TARGET    CLUSTER  SAVINGS/MONTH  SUMMARY",
                        "rightsize  shop/web  aws-1    120.40         requests 2 CPU, uses 0.3",
                        "# together 120.40 USD a month");
        server.verify(getRequestedFor(urlEqualTo("/api/v1/recommendations?hours=48&kind=rightsize")));
    }

    static final String BUDGET = "{\"id\":\"b-1\",\"name\":\"payments\",\"scope\":\"label:team=payments\","
            + "\"monthlyAmount\":1000,\"currency\":\"USD\",\"month\":\"2026-12\",\"spendToDate\":812.5,"
            + "\"forecast\":1390,\"percentUsed\":81.25,\"crossed\":[\"80%\"]}";

    @Test
    void budgetsListCreateAndDelete() {
        server.stubFor(get(urlEqualTo("/api/v1/budgets")).willReturn(json("[" + BUDGET + "]")));
        server.stubFor(post(urlEqualTo("/api/v1/budgets")).willReturn(json(201, BUDGET)));
        server.stubFor(
                delete(urlEqualTo("/api/v1/budgets/b-1")).willReturn(aResponse().withStatus(204)));

        CliRun.Result list = cli.run("cost", "budgets");
        CliRun.Result create = cli.runWithInput(
                "name: payments\nscope: label:team=payments\nmonthlyAmount: 1000\n",
                "cost",
                "budgets",
                "create",
                "-f",
                "-",
                "-o",
                "yaml");
        CliRun.Result remove = cli.run("cost", "budgets", "delete", "b-1");

        assertThat(list.out().lines().toList())
                .containsExactly(
                        "ID   NAME      SCOPE                MONTHLY  CURRENCY  SPEND   FORECAST  USED  CROSSED",
                        "b-1  payments  label:team=payments  1000.00  USD       812.50  1390.00   81%   80%");
        assertThat(create.out()).contains("id: b-1").contains("scope: label:team=payments");
        server.verify(postRequestedFor(urlEqualTo("/api/v1/budgets"))
                .withRequestBody(equalToJson(
                        "{\"name\":\"payments\",\"scope\":\"label:team=payments\",\"monthlyAmount\":1000}")));
        assertThat(remove.out()).isEqualTo("budget b-1 deleted\n");
        server.verify(deleteRequestedFor(urlEqualTo("/api/v1/budgets/b-1")));
    }
}
