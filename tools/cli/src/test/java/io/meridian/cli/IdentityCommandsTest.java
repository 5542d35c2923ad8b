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
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Identity's nouns: {@code grants list|get|create|approve|revoke} and {@code access who-can}. */
class IdentityCommandsTest extends ServiceApiTest {

    static final String GRANT = "{\"id\":\"g-1\",\"subject\":{\"kind\":\"group\",\"name\":\"payments\"},"
            + "\"role\":\"namespace-admin\",\"scope\":{\"environment\":\"prod\",\"labels\":{\"team\":\"payments\"}},"
            + "\"namespaces\":[\"pay\",\"ledger\"],\"state\":\"Active\",\"expiresAt\":\"2026-12-31T00:00:00Z\","
            + "\"status\":{\"clusters\":4,\"appliedClusters\":3}}";
    static final String PENDING = "{\"id\":\"g-2\",\"subject\":{\"kind\":\"user\",\"name\":\"alice\"},"
            + "\"role\":\"cluster-admin\",\"scope\":{},\"state\":\"Pending\"}";

    @Test
    void listFiltersAndPrintsWhoWhatWhere() {
        server.stubFor(get(urlPathEqualTo("/api/v1/grants"))
                .withQueryParam("state", equalTo("Active"))
                .willReturn(json("{\"items\":[" + GRANT + "],\"total\":2,\"nextCursor\":\"c2\"}")));
        server.stubFor(get(urlPathEqualTo("/api/v1/grants"))
                .withQueryParam("cursor", equalTo("c2"))
                .willReturn(json("{\"items\":[" + PENDING + "],\"total\":2}")));

        CliRun.Result list = cli.run("grants", "list", "--state", "Active");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().toList())
                .containsExactly(
                        "ID   SUBJECT         ROLE             SCOPE                           NAMESPACES  STATE    "
                                + "EXPIRES               APPLIED",
                        "g-1  group/payments  namespace-admin  environment=prod,team=payments  pay,ledger  Active   "
                                + "2026-12-31T00:00:00Z  3/4",
                        "g-2  user/alice      cluster-admin    fleet                           -           Pending  "
                                + "-                     -");
    }

    @Test
    void createPostsTheFileAndApproveAndRevokeCallTheirPaths() {
        server.stubFor(post(urlEqualTo("/api/v1/grants")).willReturn(json(201, PENDING)));
        server.stubFor(
                post(urlEqualTo("/api/v1/grants/g-2/approve")).willReturn(json(PENDING.replace("Pending", "Active"))));
        server.stubFor(
                delete(urlEqualTo("/api/v1/grants/g-2")).willReturn(aResponse().withStatus(204)));

        CliRun.Result create = cli.runWithInput("""
                subject: {kind: user, name: alice}
                role: cluster-admin
                reason: incident 42
                """, "grants", "create", "-f", "-", "-o", "json");
        CliRun.Result approve = cli.run("grants", "approve", "g-2");
        CliRun.Result revoke = cli.run("grants", "revoke", "g-2");

        assertThat(create.exitCode()).as(create.err()).isZero();
        assertThat(create.out()).contains("\"state\" : \"Pending\"");
        server.verify(postRequestedFor(urlEqualTo("/api/v1/grants"))
                .withRequestBody(equalToJson("{\"subject\":{\"kind\":\"user\",\"name\":\"alice\"},"
                        + "\"role\":\"cluster-admin\",\"reason\":\"incident 42\"}")));
        assertThat(approve.out()).contains("Active");
        server.verify(postRequestedFor(urlEqualTo("/api/v1/grants/g-2/approve")));
        assertThat(revoke.out()).isEqualTo("grant g-2 revoked\n");
        server.verify(deleteRequestedFor(urlEqualTo("/api/v1/grants/g-2")));
    }

    @Test
    void approvingOnesOwnGrantShowsTheProblem() {
        server.stubFor(post(urlEqualTo("/api/v1/grants/g-2/approve"))
                .willReturn(json(
                        409,
                        "{\"title\":\"Cannot approve\",\"status\":409,"
                                + "\"detail\":\"the creator of a grant cannot approve it\"}")));

        CliRun.Result approve = cli.run("grants", "approve", "g-2");

        assertThat(approve.exitCode()).isEqualTo(1);
        assertThat(approve.err()).startsWith("error: Cannot approve: the creator of a grant cannot approve it");
    }

    @Test
    void whoCanAsksTheReviewAndPrintsEachBinding() {
        server.stubFor(get(urlPathEqualTo("/api/v1/access"))
                .willReturn(json("{\"items\":[{\"cluster\":\"aws-1\",\"namespace\":\"pay\",\"subjectKind\":\"Group\","
                        + "\"subjectName\":\"oidc:payments\",\"role\":\"admin\",\"source\":\"grant\","
                        + "\"grantId\":\"g-1\",\"managed\":true,\"risks\":[]},{\"cluster\":\"aws-1\","
                        + "\"subjectKind\":\"User\",\"subjectName\":\"bob\",\"role\":\"cluster-admin\","
                        + "\"source\":\"observed\",\"managed\":false,\"risks\":[\"ClusterAdmin\",\"Secrets\"]}],"
                        + "\"total\":2}")));

        CliRun.Result who = cli.run("access", "who-can", "--cluster", "aws-1", "-n", "pay");

        assertThat(who.exitCode()).as(who.err()).isZero();
        assertThat(who.out().lines().toList())
                .containsExactly(
                        "CLUSTER  NAMESPACE  SUBJECT              ROLE           SOURCE    GRANT  MANAGED  RISKS",
                        "aws-1    pay        Group/oidc:payments  admin          grant     g-1    true     -",
                        "aws-1    -          User/bob             cluster-admin  observed  -      false    "
                                + "ClusterAdmin,Secrets");
        server.verify(getRequestedFor(urlEqualTo("/api/v1/access?cluster=aws-1&namespace=pay")));
    }
}
