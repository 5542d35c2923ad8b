package io.meridian.observability.domain.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.alert.AlertEvent.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The e-mail a group notification becomes, against golden files: one firing and one resolved alert, labels,
 * annotations (a runbook link, and a value that tries to inject HTML), start and end. Run with
 * {@code -Dgolden.update=true} to rewrite the files after an intended change, then review the diff.
 */
class EmailRenderingTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/email");
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    static final Notification N = new Notification(
            "oncall-mail",
            "{}:{alertname=\"NodeNotReady\", cluster=\"prod-aws-1\"}",
            Map.of("alertname", "NodeNotReady", "cluster", "prod-aws-1"),
            Notification.Status.FIRING,
            List.of(
                    new NotifiableAlert(
                            "aaaa1111",
                            State.FIRING,
                            Map.of(
                                    "alertname", "NodeNotReady",
                                    "cluster", "prod-aws-1",
                                    "node", "ip-10-0-1-5",
                                    "severity", "critical"),
                            Map.of(
                                    "summary", "Node ip-10-0-1-5 is not ready",
                                    "runbook_url", "https://runbooks.example.com/node-not-ready",
                                    "description", "<script>alert('x')</script> & \"quotes\""),
                            T0,
                            null),
                    new NotifiableAlert(
                            "bbbb2222",
                            State.RESOLVED,
                            Map.of(
                                    "alertname", "NodeNotReady",
                                    "cluster", "prod-aws-1",
                                    "node", "ip-10-0-1-6",
                                    "severity", "critical"),
                            Map.of("summary", "Node ip-10-0-1-6 is not ready", "dashboard", "javascript:alert(1)"),
                            T0.minusSeconds(600),
                            T0.plusSeconds(90))),
            2,
            T0);

    @Test
    void theTextAndHtmlBodiesMatchTheGoldenFiles() throws IOException {
        Payloads.Email mail = Payloads.email(N, "https://meridian.example.com/");

        golden("firing.txt", mail.text());
        golden("firing.html", mail.html());
        assertThat(mail.subject()).isEqualTo("[FIRING:1] NodeNotReady prod-aws-1");
    }

    @Test
    void theMessageIdFollowsTheDedupKeyAndTheThreadFollowsTheGroup() {
        Payloads.Email mail = Payloads.email(N, "https://m");
        Notification repeat = new Notification(
                N.receiver(), N.groupKey(), N.groupLabels(), N.status(), N.alerts(), N.repeat() + 1, T0);
        Notification otherGroup = new Notification(
                N.receiver(), N.groupKey() + "x", N.groupLabels(), N.status(), N.alerts(), N.repeat(), T0);

        assertThat(mail.messageId()).isEqualTo("<" + N.dedupKey() + "@notifications.meridian>");
        assertThat(Payloads.email(N, "https://other").messageId()).isEqualTo(mail.messageId());
        assertThat(Payloads.email(repeat, "https://m").messageId()).isNotEqualTo(mail.messageId());
        assertThat(Payloads.email(repeat, "https://m").references()).isEqualTo(mail.references());
        assertThat(Payloads.email(otherGroup, "https://m").references()).isNotEqualTo(mail.references());
    }

    private static void golden(String file, String actual) throws IOException {
        Path path = GOLDEN.resolve(file);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(path, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).as(file).isEqualTo(Files.readString(path, StandardCharsets.UTF_8));
    }
}
