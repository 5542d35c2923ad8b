package io.meridian.cli.config;

import io.meridian.cli.CliException;
import io.meridian.contracts.kafka.ScramLogin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How the CLI reaches Kafka: the bootstrap servers and, when the bus is authenticated, a SCRAM user whose password is
 * read from a file at connect time (never stored in the config). {@code user}, {@code passwordFile} and {@code
 * protocol} may be null.
 */
public record KafkaSettings(String bootstrap, String user, String passwordFile, String protocol) {

    /** The Kafka client properties: bootstrap servers, plus SASL/SCRAM when a user is set. */
    public Map<String, String> clientProperties() {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new CliException(
                    "the context has no Kafka bootstrap servers: meridian context set NAME --kafka HOST:PORT");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (user != null && !user.isBlank()) {
            properties.putAll(new ScramLogin(user, password()).clientProperties(securityProtocol()));
        } else if (protocol != null && !protocol.isBlank()) {
            properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        }
        return properties;
    }

    /**
     * The security protocol: the one set; else, for a broker on this machine (the local stack), SASL without TLS, and
     * for any other broker SASL over TLS, so that an unset protocol never sends the audit trail in clear text.
     */
    public String securityProtocol() {
        if (protocol != null && !protocol.isBlank()) {
            return protocol;
        }
        return onThisMachine() ? ScramLogin.LOCAL_SECURITY_PROTOCOL : "SASL_SSL";
    }

    private boolean onThisMachine() {
        for (String server : bootstrap == null ? new String[0] : bootstrap.split(",")) {
            String host = server.strip();
            int colon = host.lastIndexOf(':');
            host = colon > 0 ? host.substring(0, colon) : host;
            host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("::1"))) {
                return false;
            }
        }
        return bootstrap != null && !bootstrap.isBlank();
    }

    private String password() {
        if (passwordFile == null || passwordFile.isBlank()) {
            throw new CliException("the context sets Kafka user '" + user
                    + "' but no password file: meridian context set NAME --kafka-password-file FILE");
        }
        Path file = Path.of(passwordFile);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new CliException("cannot read the Kafka password of '" + user + "' from " + file + " ("
                    + e.getClass().getSimpleName() + "); for the local stack it is made by: bin/meridian stack up");
        }
    }
}
