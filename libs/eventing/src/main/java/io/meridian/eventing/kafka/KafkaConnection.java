package io.meridian.eventing.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How this service reaches Kafka and who it is there: the bootstrap servers and the security settings ({@code
 * security.protocol}, {@code sasl.*}, {@code ssl.*}) of the {@code kafka.*} configuration, the same the channels
 * use. A producer a service builds itself (outbox relay, dead letters, observed objects, metrics) takes them from
 * here, so it logs in as the service's own principal exactly as its consumers do.
 */
@ApplicationScoped
public class KafkaConnection {

    /** Quarkus's own name for the {@code kafka.*} configuration, with environment variables already folded in. */
    static final String DEFAULT_KAFKA_BROKER = "default-kafka-broker";

    private final Map<String, Object> settings;

    KafkaConnection(@Identifier(DEFAULT_KAFKA_BROKER) Map<String, Object> kafkaConfig) {
        this.settings = connectionSettings(kafkaConfig);
        if (!settings.containsKey("bootstrap.servers")) {
            throw new IllegalStateException("kafka.bootstrap.servers is not configured");
        }
    }

    /**
     * The settings of {@code kafkaConfig} that say where the brokers are and how to log in; everything else there
     * (a default {@code group.id}, consumer or producer tuning) is the channels' business, not a producer's.
     */
    static Map<String, Object> connectionSettings(Map<String, ?> kafkaConfig) {
        Map<String, Object> settings = new TreeMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (value != null && !value.toString().isBlank() && isConnectionSetting(key)) {
                settings.put(key, value);
            }
        });
        return Collections.unmodifiableMap(settings);
    }

    private static boolean isConnectionSetting(String key) {
        return key.equals("bootstrap.servers")
                || key.equals("security.protocol")
                || key.startsWith("sasl.")
                || key.startsWith("ssl.")
                // Quarkus's TLS registry: the named TLS configuration and the engine factory that reads it.
                || key.equals("tls-configuration-name");
    }

    /** The connection settings: bootstrap servers and login. */
    public Map<String, Object> settings() {
        return settings;
    }

    /** The bootstrap servers, for log lines. */
    public String bootstrapServers() {
        return settings.get("bootstrap.servers").toString();
    }

    /**
     * The properties of a client: the connection settings, a client id, and the client's own settings, which may
     * not change where it connects or who it logs in as.
     */
    public Properties clientProperties(String clientId, Map<String, ?> clientSettings) {
        Objects.requireNonNull(clientId, "clientId");
        Properties props = new Properties();
        clientSettings.forEach((key, value) -> {
            if (isConnectionSetting(key)) {
                throw new IllegalArgumentException(key + " comes from the service's kafka.* configuration");
            }
            props.put(key, value);
        });
        props.putAll(settings);
        props.put("client.id", clientId);
        return props;
    }
}
