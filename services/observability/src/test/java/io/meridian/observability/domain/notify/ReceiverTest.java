package io.meridian.observability.domain.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.observability.domain.FieldProblem;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiverTest {

    static final String ROUTING_KEY = "0123456789abcdef0123456789ABCDEF";

    @Test
    void validReceiversOfEveryKindPass() {
        assertThat(Receiver.validate(
                        new Receiver.Webhook("ops-hook", URI.create("https://hooks.example.com/x?token=s"), true, 0),
                        true))
                .isEmpty();
        assertThat(Receiver.validate(
                        new Receiver.Slack(
                                "ops-slack", URI.create("https://hooks.slack.com/services/T/B/X"), "#ops", true),
                        true))
                .isEmpty();
        assertThat(Receiver.validate(new Receiver.PagerDuty("pd", ROUTING_KEY, null, true), true))
                .isEmpty();
        assertThat(Receiver.validate(
                        new Receiver.Email(
                                "mail",
                                List.of("oncall@example.com"),
                                "meridian@example.com",
                                "smtp.example.com",
                                587,
                                "meridian",
                                "pw",
                                true,
                                false),
                        true))
                .isEmpty();
    }

    @Test
    void problemsNameTheField() {
        assertThat(fields(new Receiver.Webhook("bad name!", URI.create("ftp://x/y"), true, -1), true))
                .containsExactlyInAnyOrder("name", "url", "maxAlerts");
        assertThat(fields(new Receiver.Webhook("w", URI.create("https://user:pw@example.com/"), true, 0), true))
                .containsExactly("url");
        assertThat(fields(new Receiver.PagerDuty("pd", "short", URI.create("mailto:x@example.com"), true), true))
                .containsExactlyInAnyOrder("routingKey", "url");
        assertThat(fields(
                        new Receiver.Email("m", List.of("nobody"), "x", "smtp host", 0, "u", null, false, true), true))
                .containsExactlyInAnyOrder("to[0]", "from", "smarthost", "password", "requireTls");
    }

    @Test
    void anUpdateMayKeepTheStoredSecret() {
        assertThat(fields(new Receiver.Webhook("w", null, true, 0), true)).containsExactly("url");
        assertThat(fields(new Receiver.Webhook("w", null, true, 0), false)).isEmpty();
        assertThat(fields(new Receiver.PagerDuty("pd", null, null, true), false))
                .isEmpty();
    }

    @Test
    void redactionRemovesEverySecretAndNothingElse() {
        Receiver.Email email = new Receiver.Email(
                "m", List.of("a@example.com"), "b@example.com", "smtp.example.com", 587, "u", "secret", true, true);
        assertThat(email.redacted().password()).isNull();
        assertThat(email.redacted().username()).isEqualTo("u");
        assertThat(new Receiver.PagerDuty("pd", ROUTING_KEY, null, true)
                        .redacted()
                        .routingKey())
                .isNull();
        assertThat(new Receiver.Slack("s", URI.create("https://hooks.slack.com/x"), "#a", true)
                        .redacted()
                        .url())
                .isNull();
        assertThat(new Receiver.Webhook("w", URI.create("https://x/y?token=t"), true, 3).redacted())
                .isEqualTo(new Receiver.Webhook("w", null, true, 3));
        assertThat(email.redacted().toString()).doesNotContain("secret");
    }

    private static List<String> fields(Receiver r, boolean secretRequired) {
        return Receiver.validate(r, secretRequired).stream()
                .map(FieldProblem::field)
                .toList();
    }

    @Test
    void printingAReceiverNeverPrintsItsSecret() {
        URI hook = URI.create("https://hooks.example.com/services/T000/B000/s3cr3t-token");
        List<Receiver> receivers = List.of(
                new Receiver.Webhook("ops", hook, true, 0),
                new Receiver.Slack("chat", hook, "#ops", true),
                new Receiver.PagerDuty("pager", ROUTING_KEY, null, true),
                new Receiver.Email(
                        "mail", List.of("ops@example.com"), "m@example.com", "smtp", 587, "u", "hunter2", true, true));
        for (Receiver receiver : receivers) {
            assertThat(receiver.toString())
                    .contains(receiver.name(), "<redacted>")
                    .doesNotContain("s3cr3t-token", ROUTING_KEY, "hunter2");
        }
    }
}
