package io.meridian.contracts.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * A SCRAM-SHA-512 user and password, and the client settings that log in with them. The password is kept out of
 * {@link #toString()} so that it never reaches a log by accident.
 */
public record ScramLogin(String user, String password) {

    /** The one mechanism Meridian's brokers enable, locally and in deploy/k8s (Strimzi's {@code scram-sha-512}). */
    public static final String MECHANISM = "SCRAM-SHA-512";

    /** The client listener's protocol in the local stack: SASL without TLS, on the loopback interface only. */
    public static final String LOCAL_SECURITY_PROTOCOL = "SASL_PLAINTEXT";

    public ScramLogin {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        // Both go between double quotes into a JAAS configuration, which has no escaping Kafka would undo.
        if (!user.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("unsupported SCRAM user name '" + user + "'");
        }
        if (password.isEmpty() || password.contains("\"") || password.contains("\\") || password.contains("\n")) {
            throw new IllegalArgumentException("a SCRAM password must be non-empty, without quotes, backslashes or"
                    + " line breaks (user " + user + ")");
        }
    }

    /** The login of a principal. */
    public static ScramLogin of(KafkaPrincipal principal, String password) {
        return new ScramLogin(principal.userName(), password);
    }

    /** The {@code sasl.jaas.config} value of a client that logs in as this user. */
    public String jaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    /** The client settings ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}). */
    public Map<String, String> clientProperties(String securityProtocol) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
        properties.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig());
        return properties;
    }

    @Override
    public String toString() {
        return "ScramLogin[user=" + user + ", password=***]";
    }
}
