package io.meridian.cli;

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

/** Observability's nouns: {@code alerts list|ack} and {@code silences list|create|expire}. */
class ObservabilityCommandsTest extends ServiceApiTest {

    static final String FIRING = "{\"fingerprint\":\"f1\",\"rule\":\"ClusterDown\",\"severity\":\"critical\","
            + "\"labels\":{\"cluster\":\"aws-1\"},\"annotations\":{\"summary\":\"aws-1 is unreachable\"},"
            + "\"state\":\"firing\",\"activeSince\":\"2026-12-06T02:50:00Z\",\"silencedBy\":[],\"inhibitedBy\":[]}";
    static final String SILENCED = "{\"fingerprint\":\"f2\",\"rule\":\"HighCost\",\"severity\":\"warning\","
            + "\"labels\":{\"cluster\":\"gcp-1\"},\"annotations\":{},\"state\":\"firing\","
            + "\"activeSince\":\"2026-12-06T01:00:00Z\",\"silencedBy\":[\"s-1\"],\"inhibitedBy\":[],"
            + "\"acknowledgedBy\":\"bob\"}";

    @Test
    void alertsListFiltersAndShowsWhatIsMuted() {
        server.stubFor(get(urlPathEqualTo("/api/v1/alerts")).willReturn(json("[" + FIRING + "," + SILENCED + "]")));

        CliRun.Result list = cli.run("alerts", "list", "--state", "firing", "--acknowledged", "false");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().toList())
                .containsExactly(
                        "FINGERPRINT  RULE         SEVERITY  STATE   CLUSTER  SINCE                 MUTED     ACK-BY"
                                + "  SUMMARY",
                        "f1           ClusterDown  critical  firing  aws-1    2026-12-06T02:50:00Z  -         -     "
                                + "  aws-1 is unreachable",
                        "f2           HighCost     warning   firing  gcp-1    2026-12-06T01:00:00Z  silenced  bob   "
                                + "  -");
        server.verify(getRequestedFor(urlEqualTo("/api/v1/alerts?state=firing&acknowledged=false&limit=200")));
        assertThat(list.err()).isEmpty();
    }

    @Test
    void aFullAnswerSaysThereMayBeMore() {
        server.stubFor(get(urlPathEqualTo("/api/v1/alerts")).willReturn(json("[" + FIRING + "]")));

        CliRun.Result list = cli.run("alerts", "list", "--limit", "1");

        assertThat(list.err()).contains("the 1 newest alerts; there may be older ones");
    }

    @Test
    void ackPostsTheComment() {
        server.stubFor(post(urlEqualTo("/api/v1/alerts/f1/acknowledge"))
                .willReturn(json(FIRING.replace("\"silencedBy\"", "\"acknowledgedBy\":\"alice\",\"silencedBy\""))));

        CliRun.Result ack = cli.run("alerts", "ack", "f1", "-m", "looking at the VPN");

        assertThat(ack.exitCode()).as(ack.err()).isZero();
        assertThat(ack.out().lines().toList().get(1)).contains("alice");
        server.verify(postRequestedFor(urlEqualTo("/api/v1/alerts/f1/acknowledge"))
                .withRequestBody(equalToJson("{\"comment\":\"looking at the VPN\"}")));
    }

    static final String SILENCE = "{\"id\":\"s-1\",\"matchers\":[{\"label\":\"alertname\",\"op\":\"=\","
            + "\"value\":\"ClusterDown\"},{\"label\":\"cluster\",\"op\":\"=~\",\"value\":\"aws-.*\"}],"
            + "\"startsAt\":\"2026-12-06T03:00:00Z\",\"endsAt\":\"2026-12-06T05:00:00Z\",\"createdBy\":\"alice\","
            + "\"comment\":\"maintenance\",\"status\":\"active\"}";

    @Test
    void silencesCreateTurnsMatchersIntoTheRequest() {
        server.stubFor(post(urlEqualTo("/api/v1/silences")).willReturn(json(201, SILENCE)));

        CliRun.Result create = cli.run(
                "silences",
                "create",
                "alertname=ClusterDown",
                "cluster=~aws-.*",
                "team!=web",
                "zone!~eu-.*",
                "--duration",
                "2h",
                "-m",
                "maintenance");

        assertThat(create.exitCode()).as(create.err()).isZero();
        assertThat(create.out().lines().toList().get(1))
                .startsWith("s-1  alertname=ClusterDown,cluster=~aws-.*  active");
        server.verify(postRequestedFor(urlEqualTo("/api/v1/silences"))
                .withRequestBody(equalToJson("{\"matchers\":["
                        + "{\"label\":\"alertname\",\"op\":\"=\",\"value\":\"ClusterDown\"},"
                        + "{\"label\":\"cluster\",\"op\":\"=~\",\"value\":\"aws-.*\"},"
                        + "{\"label\":\"team\",\"op\":\"!=\",\"value\":\"web\"},"
                        + "{\"label\":\"zone\",\"op\":\"!~\",\"value\":\"eu-.*\"}],"
                        + "\"duration\":\"2h\",\"comment\":\"maintenance\"}")));
    }

    @Test
    void silencesCreateRefusesANonMatcherAndShowsTheServicesProblem() {
        server.stubFor(post(urlEqualTo("/api/v1/silences")).willReturn(invalid("endsAt", "is required (or duration)")));

        CliRun.Result bad = cli.run("silences", "create", "alertname");
        CliRun.Result noEnd = cli.run("silences", "create", "alertname=ClusterDown");

        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("'alertname' is not a matcher");
        assertThat(noEnd.exitCode()).isEqualTo(1);
        assertThat(noEnd.err()).contains("(field: endsAt: is required (or duration))");
        server.verify(1, postRequestedFor(urlEqualTo("/api/v1/silences")));
    }

    @Test
    void silencesExpireDeletesAndListShowsExpired() {
        server.stubFor(
                delete(urlEqualTo("/api/v1/silences/s-1")).willReturn(json(SILENCE.replace("active", "expired"))));
        server.stubFor(get(urlPathEqualTo("/api/v1/silences")).willReturn(json("[" + SILENCE + "]")));

        CliRun.Result expire = cli.run("silences", "expire", "s-1");
        CliRun.Result list = cli.run("silences", "list", "--expired", "-o", "json");

        assertThat(expire.out().lines().toList().get(1)).contains("expired");
        server.verify(deleteRequestedFor(urlEqualTo("/api/v1/silences/s-1")));
        assertThat(list.out()).startsWith("[ {").contains("\"id\" : \"s-1\"");
        server.verify(getRequestedFor(urlEqualTo("/api/v1/silences?expired=true")));
    }
}
