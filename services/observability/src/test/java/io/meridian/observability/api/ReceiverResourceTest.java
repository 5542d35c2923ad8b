package io.meridian.observability.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.observability.domain.notify.Receiver;
import io.meridian.servicekit.ProblemException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A receiver request read into the model, and a receiver shown without its secret. */
class ReceiverResourceTest {

    @Test
    void aRequestBecomesTheReceiverOfItsKindWithSendResolvedByDefault() {
        assertThat(ReceiverResource.receiver(
                        "ops", new ReceiverResource.ReceiverRequest("webhook", "https://h/x", null, null, null, 5)))
                .isEqualTo(new Receiver.Webhook("ops", URI.create("https://h/x"), true, 5));
        assertThat(ReceiverResource.receiver(
                        "chat", new ReceiverResource.ReceiverRequest("slack", null, "#ops", null, false, null)))
                .isEqualTo(new Receiver.Slack("chat", null, "#ops", false));
        assertThat(ReceiverResource.receiver(
                        "page",
                        new ReceiverResource.ReceiverRequest(
                                "pagerduty", null, null, "0123456789abcdef0123456789abcdef", null, null)))
                .isEqualTo(new Receiver.PagerDuty("page", "0123456789abcdef0123456789abcdef", null, true));
    }

    @Test
    void anEmailRequestBecomesAReceiverWithTlsRequiredByDefault() {
        assertThat(ReceiverResource.receiver(
                        "mail",
                        new ReceiverResource.ReceiverRequest(
                                "email",
                                null,
                                null,
                                null,
                                null,
                                null,
                                List.of("oncall@example.com"),
                                "meridian@example.com",
                                "smtp.example.com:587",
                                "meridian",
                                "hunter2",
                                null)))
                .isEqualTo(new Receiver.Email(
                        "mail",
                        List.of("oncall@example.com"),
                        "meridian@example.com",
                        "smtp.example.com",
                        587,
                        "meridian",
                        "hunter2",
                        true,
                        true));
        Receiver.Email v6 = (Receiver.Email) ReceiverResource.receiver(
                "mail",
                new ReceiverResource.ReceiverRequest(
                        "email",
                        null,
                        null,
                        null,
                        false,
                        null,
                        List.of("a@example.com"),
                        "b@example.com",
                        "[2001:db8::25]:25",
                        null,
                        null,
                        false));
        assertThat(v6.host()).isEqualTo("2001:db8::25");
        assertThat(v6.smarthost()).isEqualTo("[2001:db8::25]:25");
        assertThat(v6.requireTls()).isFalse();
    }

    @Test
    void aSmarthostWithoutAPortIsRefusedAndARequestNeverPrintsThePassword() {
        for (String smarthost : new String[] {"smtp.example.com", "2001:db8::25:25", ":25", "smtp.example.com:x"}) {
            assertThatThrownBy(() -> ReceiverResource.receiver(
                            "mail",
                            new ReceiverResource.ReceiverRequest(
                                    "email",
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    List.of("a@example.com"),
                                    "b@example.com",
                                    smarthost,
                                    null,
                                    null,
                                    null)))
                    .as(smarthost)
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("smarthost");
        }
        assertThat(new ReceiverResource.ReceiverRequest(
                                "email",
                                null,
                                null,
                                null,
                                null,
                                null,
                                List.of("a@example.com"),
                                "b@example.com",
                                "smtp.example.com:587",
                                "u",
                                "hunter2",
                                null)
                        .toString())
                .contains("smtp.example.com:587")
                .doesNotContain("hunter2");
    }

    @Test
    void anUnknownKindAndABrokenUrlAreRefusedNamingTheField() {
        assertThatThrownBy(() -> ReceiverResource.receiver(
                        "ops", new ReceiverResource.ReceiverRequest("fax", null, null, null, null, null)))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("kind");
        assertThatThrownBy(() -> ReceiverResource.receiver(
                        "ops", new ReceiverResource.ReceiverRequest("webhook", "http://h/ x", null, null, null, null)))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("url");
    }

    @Test
    void aViewSaysWhetherTheSecretIsSetAndNeverCarriesIt() {
        Receiver hook = new Receiver.Webhook("ops", URI.create("https://h/hooks/SECRET"), true, 0);

        ReceiverResource.ReceiverView view = ReceiverResource.ReceiverView.of(hook);

        assertThat(view.secretSet()).isTrue();
        assertThat(view.toString()).doesNotContain("SECRET");
        assertThat(ReceiverResource.ReceiverView.of(hook.redacted()).secretSet())
                .isFalse();
        ReceiverResource.ReceiverView page = ReceiverResource.ReceiverView.of(
                new Receiver.PagerDuty("page", "0123456789abcdef0123456789abcdef", null, true));
        assertThat(page.toString()).doesNotContain("0123456789abcdef0123456789abcdef");
        assertThat(page.secretSet()).isTrue();
        ReceiverResource.ReceiverView mail = ReceiverResource.ReceiverView.of(new Receiver.Email(
                "mail",
                List.of("a@example.com"),
                "b@example.com",
                "smtp.example.com",
                587,
                "u",
                "hunter2",
                true,
                true));
        assertThat(mail.toString()).doesNotContain("hunter2");
        assertThat(mail.secretSet()).isTrue();
        assertThat(mail.smarthost()).isEqualTo("smtp.example.com:587");
        assertThat(mail.requireTls()).isTrue();
    }

    @Test
    void aKeptSecretMayNotFollowTheEndpointToAnotherHost() {
        URI events = URI.create("https://events.pagerduty.com/v2/enqueue");
        URI elsewhere = URI.create("https://collector.example.net/v2/enqueue");
        Receiver.PagerDuty stored = new Receiver.PagerDuty("pd", "r0ut1ng-k3y", events, true);

        assertThat(ReceiverResource.secretMovesWithoutBeingGiven(
                        stored, new Receiver.PagerDuty("pd", null, elsewhere, true)))
                .hasValueSatisfying(p -> assertThat(p.field()).isEqualTo("routingKey"));
        assertThat(ReceiverResource.secretMovesWithoutBeingGiven(
                        stored, new Receiver.PagerDuty("pd", "n3w-k3y", elsewhere, true)))
                .as("given again with the new URL: fine")
                .isEmpty();
        assertThat(ReceiverResource.secretMovesWithoutBeingGiven(
                        stored, new Receiver.PagerDuty("pd", null, events, false)))
                .as("same URL, other settings: the kept key stays where it went")
                .isEmpty();

        Receiver.Email mail = new Receiver.Email(
                "mail",
                List.of("oncall@example.com"),
                "meridian@example.com",
                "smtp.example.com",
                587,
                "meridian",
                "s3cret",
                true,
                true);
        assertThat(ReceiverResource.secretMovesWithoutBeingGiven(
                        mail,
                        new Receiver.Email(
                                "mail",
                                List.of("oncall@example.com"),
                                "meridian@example.com",
                                "smtp.evil.test",
                                587,
                                "meridian",
                                null,
                                true,
                                true)))
                .hasValueSatisfying(p -> assertThat(p.field()).isEqualTo("password"));
        assertThat(ReceiverResource.secretMovesWithoutBeingGiven(
                        mail,
                        new Receiver.Email(
                                "mail",
                                List.of("oncall@example.com"),
                                "meridian@example.com",
                                "smtp.example.com",
                                587,
                                "someone-else",
                                null,
                                true,
                                true)))
                .hasValueSatisfying(p -> assertThat(p.field()).isEqualTo("password"));
        assertThat(ReceiverResource.secretMovesWithoutBeingGiven(
                        mail,
                        new Receiver.Email(
                                "mail",
                                List.of("team@example.com"),
                                "meridian@example.com",
                                "smtp.example.com",
                                587,
                                "meridian",
                                null,
                                true,
                                true)))
                .as("new recipients, same server and user")
                .isEmpty();
    }
}
