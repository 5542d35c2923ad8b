package io.meridian.observability.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.observability.domain.notify.Receiver;
import io.meridian.servicekit.ProblemException;
import java.net.URI;
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
    void anUnknownOrUndeliveredKindAndABrokenUrlAreRefusedNamingTheField() {
        assertThatThrownBy(() -> ReceiverResource.receiver(
                        "ops", new ReceiverResource.ReceiverRequest("email", null, null, null, null, null)))
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
    }
}
