package io.meridian.eventing.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.kafka.UnreadableEventException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void aDeadLetterKeepsTheRecordAndSaysWhyAndWhereItCameFrom() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", "io.meridian.desired.bundle.declared.v1".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> record =
                record("identity/aws-1", "garbage".getBytes(StandardCharsets.UTF_8), headers);

        ProducerRecord<String, byte[]> letter = DeadLetters.letterOf(
                record,
                new UnreadableEventException("missing header ce_specversion", new IllegalStateException("no header")));

        assertThat(letter.topic()).isEqualTo("fleet.desired.identity.v1.dlq");
        assertThat(letter.partition()).isEqualTo(3);
        assertThat(letter.key()).isEqualTo("identity/aws-1");
        assertThat(letter.value()).asString(StandardCharsets.UTF_8).isEqualTo("garbage");
        assertThat(header(letter, "ce_type")).isEqualTo("io.meridian.desired.bundle.declared.v1");
        assertThat(header(letter, "dead-letter-reason")).isEqualTo("missing header ce_specversion");
        assertThat(header(letter, "dead-letter-exception-class-name"))
                .isEqualTo(UnreadableEventException.class.getName());
        assertThat(header(letter, "dead-letter-cause")).isEqualTo("no header");
        assertThat(header(letter, "dead-letter-cause-class-name")).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(letter, "dead-letter-topic")).isEqualTo("fleet.desired.identity.v1");
        assertThat(header(letter, "dead-letter-partition")).isEqualTo("3");
        assertThat(header(letter, "dead-letter-offset")).isEqualTo("42");
    }

    @Test
    void aTombstoneWithoutAKeyStaysATombstoneAndAFailureWithoutMessageIsNamed() {
        ConsumerRecord<String, byte[]> record = record(null, null, new RecordHeaders());

        ProducerRecord<String, byte[]> letter = DeadLetters.letterOf(record, new NullPointerException());

        assertThat(letter.key()).isNull();
        assertThat(letter.partition()).isEqualTo(3);
        assertThat(letter.value()).isNull();
        assertThat(header(letter, "dead-letter-reason")).isEqualTo("java.lang.NullPointerException");
        assertThat(letter.headers().lastHeader("dead-letter-cause")).isNull();
    }

    @Test
    void aRecordThatWasDeadLetteredBeforeCarriesOnlyTheNewReason() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("dead-letter-reason", "an older reason".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> record = record("k", new byte[0], headers);

        ProducerRecord<String, byte[]> letter = DeadLetters.letterOf(record, new IllegalArgumentException("new"));

        assertThat(letter.headers().headers("dead-letter-reason")).hasSize(1);
        assertThat(header(letter, "dead-letter-reason")).isEqualTo("new");
    }

    private static ConsumerRecord<String, byte[]> record(String key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(
                "fleet.desired.identity.v1",
                3,
                42L,
                0L,
                TimestampType.CREATE_TIME,
                -1,
                value == null ? -1 : value.length,
                key,
                value,
                headers,
                Optional.empty());
    }

    private static String header(ProducerRecord<String, byte[]> letter, String name) {
        Header header = letter.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
