package io.meridian.observability.domain.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.contracts.alert.AlertEvent.State;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    static final NotifiableAlert A = new NotifiableAlert(
            "aaaa",
            State.FIRING,
            Map.of("alertname", "NodeNotReady", "cluster", "c1", "severity", "critical", "node", "n1"),
            Map.of("summary", "n1 not ready"),
            T0,
            null);
    static final NotifiableAlert B = new NotifiableAlert(
            "bbbb",
            State.RESOLVED,
            Map.of("alertname", "NodeNotReady", "cluster", "c1", "severity", "critical", "node", "n2"),
            Map.of("summary", "n2 not ready"),
            T0,
            T0.plusSeconds(90));
    static final Notification N = new Notification(
            "ops",
            "{}:{alertname=\"NodeNotReady\", cluster=\"c1\"}",
            Map.of("alertname", "NodeNotReady", "cluster", "c1"),
            Notification.Status.FIRING,
            List.of(A, B),
            0,
            T0);

    @Test
    void webhookIsAlertmanagersVersion4FieldForField() throws Exception {
        JsonNode body = JSON.valueToTree(Payloads.webhook(N, "https://meridian.example.com", 0));

        assertThat(body.fieldNames())
                .toIterable()
                .containsExactly(
                        "version",
                        "groupKey",
                        "truncatedAlerts",
                        "status",
                        "receiver",
                        "groupLabels",
                        "commonLabels",
                        "commonAnnotations",
                        "externalURL",
                        "alerts");
        assertThat(body.get("version").asText()).isEqualTo("4");
        assertThat(body.get("status").asText()).isEqualTo("firing");
        assertThat(body.get("commonLabels").toString())
                .isEqualTo("{\"alertname\":\"NodeNotReady\",\"cluster\":\"c1\",\"severity\":\"critical\"}");
        assertThat(body.get("commonAnnotations").size()).isZero();
        JsonNode first = body.get("alerts").get(0);
        assertThat(first.fieldNames())
                .toIterable()
                .containsExactly(
                        "status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint");
        assertThat(first.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(first.get("generatorURL").asText()).isEqualTo("https://meridian.example.com/api/v1/alerts/aaaa");
        JsonNode second = body.get("alerts").get(1);
        assertThat(second.get("status").asText()).isEqualTo("resolved");
        assertThat(second.get("endsAt").asText()).isEqualTo("2026-03-01T10:01:30Z");
    }

    @Test
    void webhookTruncatesAndCountsWhatItLeftOut() {
        Payloads.Webhook body = Payloads.webhook(N, "https://m", 1);

        assertThat(body.alerts()).hasSize(1);
        assertThat(body.truncatedAlerts()).isEqualTo(1);
    }

    @Test
    void pagerDutyTriggersAndResolvesTheSameIncidentPerGroup() {
        JsonNode trigger = JSON.valueToTree(Payloads.pagerDuty(N, "KEY", "https://m"));
        Notification over = new Notification(
                N.receiver(), N.groupKey(), N.groupLabels(), Notification.Status.RESOLVED, List.of(B), 0, T0);
        JsonNode resolve = JSON.valueToTree(Payloads.pagerDuty(over, "KEY", "https://m"));

        assertThat(trigger.get("routing_key").asText()).isEqualTo("KEY");
        assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
        assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.get("dedup_key")).isEqualTo(trigger.get("dedup_key"));
        assertThat(trigger.get("payload").get("summary").asText()).isEqualTo("[FIRING:1] NodeNotReady c1");
        assertThat(trigger.get("payload").get("source").asText()).isEqualTo("c1");
        assertThat(trigger.get("payload").get("severity").asText()).isEqualTo("critical");
    }

    @Test
    void slackCarriesAFallbackTextAndBlocksWithEscapedSummaries() {
        NotifiableAlert tricky = new NotifiableAlert(
                "c", State.FIRING, Map.of("alertname", "X"), Map.of("summary", "<!channel> & co"), T0, null);
        Notification n = new Notification(
                "s", "{}:{}", Map.of("alertname", "X"), Notification.Status.FIRING, List.of(tricky), 0, T0);

        JsonNode body = JSON.valueToTree(Payloads.slack(n, "#ops", "https://m"));

        assertThat(body.get("text").asText()).isEqualTo("[FIRING:1] X");
        assertThat(body.get("channel").asText()).isEqualTo("#ops");
        assertThat(body.get("blocks").get(1).get("text").get("text").asText()).contains("&lt;!channel&gt; &amp; co");
    }

    @Test
    void emailSubjectIsTheGroupTitle() {
        Payloads.Email mail = Payloads.email(N, "https://m");

        assertThat(mail.subject()).isEqualTo("[FIRING:1] NodeNotReady c1");
        assertThat(mail.text()).contains("[1] Resolved").contains(" - summary = n1 not ready");
    }
}
