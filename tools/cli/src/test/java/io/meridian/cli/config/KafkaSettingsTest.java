package io.meridian.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void aRemoteBrokerWithoutAProtocolIsReachedOverTls() {
        assertThat(new KafkaSettings("kafka.example.com:9093", "ops-audit", null, null).securityProtocol())
                .isEqualTo("SASL_SSL");
        assertThat(new KafkaSettings("127.0.0.1:9092,kafka.example.com:9093", null, null, null).securityProtocol())
                .as("one remote broker is enough to need TLS")
                .isEqualTo("SASL_SSL");
    }

    @Test
    void theLocalStackKeepsSaslWithoutTlsAndAnExplicitProtocolWins() {
        assertThat(new KafkaSettings("127.0.0.1:9092", "ops-audit", null, null).securityProtocol())
                .isEqualTo("SASL_PLAINTEXT");
        assertThat(new KafkaSettings("localhost:9092,[::1]:9092", null, null, null).securityProtocol())
                .isEqualTo("SASL_PLAINTEXT");
        assertThat(new KafkaSettings("kafka.example.com:9093", null, null, "SSL").securityProtocol())
                .isEqualTo("SSL");
        assertThat(new KafkaSettings("kafka.example.com:9093", null, null, "SSL").clientProperties())
                .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
    }
}
