package io.meridian.eventing.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"cost\" password=\"secret\";";

    /** What Quarkus makes of the kafka.* configuration of a service on the local stack. */
    private static final Map<String, Object> KAFKA_CONFIG = Map.of(
            "bootstrap.servers", "127.0.0.1:9092",
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", JAAS,
            "ssl.truststore.location", "/etc/meridian/kafka-ca/ca.crt",
            "ssl.truststore.type", "PEM",
            "group.id", "cost",
            "home", "/opt/kafka");

    @Test
    void aProducerTheServiceBuildsLogsInAsTheServiceItself() {
        Properties props = new KafkaConnection(KAFKA_CONFIG)
                .clientProperties("cost-dead-letters", Map.of("acks", "all", "enable.idempotence", "true"));

        assertThat(props)
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.truststore.location", "/etc/meridian/kafka-ca/ca.crt")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("client.id", "cost-dead-letters")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true");
    }

    @Test
    void settingsThatAreNotAboutConnectingStayWithTheChannels() {
        assertThat(KafkaConnection.connectionSettings(KAFKA_CONFIG)).doesNotContainKeys("group.id", "home");
        assertThat(KafkaConnection.connectionSettings(Map.of("bootstrap.servers", "k:1", "sasl.jaas.config", " ")))
                .containsOnlyKeys("bootstrap.servers");
    }

    @Test
    void aClientCannotChooseAnotherBrokerOrLogin() {
        KafkaConnection connection = new KafkaConnection(KAFKA_CONFIG);

        assertThatThrownBy(() -> connection.clientProperties("x", Map.of("bootstrap.servers", "elsewhere:9092")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> connection.clientProperties("x", Map.of("sasl.jaas.config", "other")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noBootstrapServersIsAConfigurationError() {
        assertThatThrownBy(() -> new KafkaConnection(Map.of("security.protocol", "SASL_SSL")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kafka.bootstrap.servers");
    }
}
