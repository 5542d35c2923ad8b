package io.meridian.servicekit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.kafka.EventTooLargeException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {

    @Test
    void anEventTooLargeToPublishIsA413NamingTheEventTheExcessAndWhatToDo() {
        EventTooLargeException tooLarge = new EventTooLargeException(
                "fleet.audit.placement.v1", "io.meridian.audit.record.appended.v1", "web-shop", 1_234_567, 1_000_000);

        Response response = new ProblemMappers().tooLarge(tooLarge);

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getMediaType()).hasToString(Problem.MEDIA_TYPE);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.status()).isEqualTo(413);
        assertThat(problem.type()).hasToString("https://meridian.io/problems/event-too-large");
        assertThat(problem.detail())
                .startsWith("Nothing was changed")
                .contains("io.meridian.audit.record.appended.v1", "'web-shop'", "fleet.audit.placement.v1")
                .contains("1,234,567 bytes", "234,567 bytes over the limit of 1,000,000 bytes")
                .contains("Make the request smaller by at least that much");
    }

    @Test
    void aHugeSubjectIsShortenedInTheDetail() {
        String subject = "s".repeat(5_000);
        Problem problem = ProblemMappers.tooLargeProblem(
                new EventTooLargeException("fleet.audit.policy.v1", "io.meridian.x.v1", subject, 2_000_000, 1_000_000));

        assertThat(problem.detail()).hasSizeLessThan(600).contains("s".repeat(120) + "...");
    }
}
