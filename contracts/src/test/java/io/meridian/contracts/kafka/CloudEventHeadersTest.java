package io.meridian.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class CloudEventHeadersTest {

    private static final OffsetDateTime TIME = OffsetDateTime.of(2026, 11, 24, 10, 15, 30, 123_000_000, ZoneOffset.UTC);
    private static final URI SOURCE = URI.create("/meridian/inventory");

    @Test
    void writtenEventIsReadBackEqual() {
        CloudEvent event = CloudEvent.of(
                EventType.CLUSTER_STATUS_CHANGED,
                SOURCE,
                "prod-aws-1",
                TIME,
                "{\"clusterId\":\"prod-aws-1\"}".getBytes(StandardCharsets.UTF_8));
        Headers headers = new RecordHeaders();

        CloudEventHeaders.write(event, headers);
        CloudEvent read = CloudEventHeaders.read(headers, event.data());

        assertThat(read).isEqualTo(event);
        assertThat(read.dataschema()).isEqualTo(URI.create("https://schemas.meridian.io/cluster-snapshot.v1.json"));
        assertThat(read.datacontenttype()).isEqualTo("application/json");
        assertThat(CloudEventHeaders.text(headers, CloudEventHeaders.TYPE))
                .isEqualTo("io.meridian.inventory.cluster.status-changed.v1");
    }

    @Test
    void tombstoneKeepsItsTypeInTheHeaders() {
        CloudEvent deletion =
                CloudEvent.of(EventType.RESOURCE_DELETED, SOURCE, "prod-aws-1//Pod/payments/checkout-1", TIME, null);
        Headers headers = new RecordHeaders();

        CloudEventHeaders.write(deletion, headers);
        CloudEvent read = CloudEventHeaders.read(headers, null);

        assertThat(read.isTombstone()).isTrue();
        assertThat(EventType.of(read.type())).contains(EventType.RESOURCE_DELETED);
        assertThat(read).isEqualTo(deletion);
    }

    @Test
    void writingAgainReplacesTheAttributesInsteadOfAddingSecondValues() {
        Headers headers = new RecordHeaders();
        CloudEventHeaders.write(CloudEvent.of(EventType.ALERT_PENDING, SOURCE, "f1", TIME, new byte[0]), headers);
        CloudEvent second = CloudEvent.of(EventType.ALERT_FIRING, SOURCE, "f1", TIME, new byte[0]);

        CloudEventHeaders.write(second, headers);

        assertThat(headers.headers(CloudEventHeaders.TYPE)).hasSize(1);
        assertThat(CloudEventHeaders.read(headers, new byte[0]).type()).isEqualTo(second.type());
    }

    @Test
    void timeIsWrittenAsRfc3339EvenOnAWholeMinute() {
        OffsetDateTime wholeMinute = OffsetDateTime.of(2026, 11, 24, 10, 15, 0, 0, ZoneOffset.ofHours(1));
        Headers headers = new RecordHeaders();

        CloudEventHeaders.write(CloudEvent.of(EventType.GRANT_APPLIED, SOURCE, null, wholeMinute, null), headers);

        assertThat(CloudEventHeaders.text(headers, CloudEventHeaders.TIME)).isEqualTo("2026-11-24T10:15:00+01:00");
        assertThat(CloudEventHeaders.read(headers, null).time()).isEqualTo(wholeMinute);
    }

    @Test
    void missingIdIsNamed() {
        Headers headers = validHeaders();
        headers.remove(CloudEventHeaders.ID);

        assertThatThrownBy(() -> CloudEventHeaders.read(headers, new byte[0]))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("ce_id");
    }

    @Test
    void malformedTimeIsNamed() {
        Headers headers = validHeaders();
        headers.remove(CloudEventHeaders.TIME);
        headers.add(CloudEventHeaders.TIME, "yesterday at noon".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> CloudEventHeaders.read(headers, new byte[0]))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("ce_time")
                .hasMessageContaining("yesterday at noon");
    }

    @Test
    void wrongSpecVersionIsNamed() {
        Headers headers = validHeaders();
        headers.remove(CloudEventHeaders.SPEC_VERSION);
        headers.add(CloudEventHeaders.SPEC_VERSION, "0.3".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> CloudEventHeaders.read(headers, new byte[0]))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("ce_specversion")
                .hasMessageContaining("0.3");
    }

    @Test
    void missingSpecVersionIsNamed() {
        Headers headers = validHeaders();
        headers.remove(CloudEventHeaders.SPEC_VERSION);

        assertThatThrownBy(() -> CloudEventHeaders.read(headers, new byte[0]))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("ce_specversion");
    }

    private static Headers validHeaders() {
        Headers headers = new RecordHeaders();
        CloudEventHeaders.write(
                CloudEvent.of(EventType.AUDIT_RECORD_APPENDED, SOURCE, null, TIME, new byte[0]), headers);
        assertThat(CloudEventHeaders.read(headers, new byte[0])).isNotNull();
        return headers;
    }
}
