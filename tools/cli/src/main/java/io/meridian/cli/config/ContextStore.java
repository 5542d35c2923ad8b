package io.meridian.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.meridian.cli.CliEnvironment;
import io.meridian.cli.CliException;
import io.meridian.contracts.kafka.KafkaPrincipal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The contexts in {@code <config dir>/config.json} and which one is current. A built-in context {@value #LOCAL}
 * points at the local stack and demo of {@code bin/meridian}; {@code context set local ...} overrides it.
 */
public final class ContextStore {

    public static final String LOCAL = "local";

    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** The file's shape. */
    record Config(String current, Map<String, Context> contexts) {}

    private final Path file;
    private final CliEnvironment environment;

    public ContextStore(CliEnvironment environment) {
        this.environment = environment;
        this.file = environment.configDir().resolve("config.json");
    }

    /** Every context by name, the built-in {@value #LOCAL} included. */
    public Map<String, Context> contexts() {
        Map<String, Context> all = new TreeMap<>();
        all.put(LOCAL, local());
        all.putAll(read().contexts());
        return all;
    }

    /** The name of the current context: the one last chosen with {@code context use}, else {@value #LOCAL}. */
    public String currentName() {
        String current = read().current();
        return current == null ? LOCAL : current;
    }

    /** The current context, or the one named by {@code --context}. */
    public Context resolve(String name) {
        String chosen = name == null ? currentName() : name;
        Context context = contexts().get(chosen);
        if (context == null) {
            throw new CliException("no context '" + chosen + "'; contexts: "
                    + String.join(", ", contexts().keySet()));
        }
        return context;
    }

    /** Makes {@code name} current. */
    public void use(String name) {
        if (!contexts().containsKey(name)) {
            throw new CliException("no context '" + name + "'; contexts: "
                    + String.join(", ", contexts().keySet()) + " (make one with: meridian context set " + name
                    + " --keycloak URL ...)");
        }
        Config config = read();
        write(new Config(name, config.contexts()));
    }

    /** Stores a context under {@code name}, replacing any before it. */
    public void put(String name, Context context) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new CliException("a context name is letters, digits, '.', '_' and '-': '" + name + "'");
        }
        Config config = read();
        Map<String, Context> contexts = new LinkedHashMap<>(config.contexts());
        contexts.put(name, context);
        write(new Config(config.current(), contexts));
    }

    /** The local stack of bin/meridian: Keycloak on 8180, the services on 8081-8086, Kafka on 9092 as ops-audit. */
    public Context local() {
        Map<String, String> services = new LinkedHashMap<>();
        for (int i = 0; i < Context.SERVICES.size(); i++) {
            services.put(Context.SERVICES.get(i), "http://127.0.0.1:" + (8081 + i));
        }
        // bin/meridian exports MERIDIAN_HOME: the stack keeps each Kafka user's password there.
        String passwordFile = environment
                .variable("MERIDIAN_HOME")
                .map(home -> Path.of(home, "kafka", "users", KafkaPrincipal.OPS_AUDIT.userName() + ".password")
                        .toString())
                .orElse(null);
        return new Context(
                "http://127.0.0.1:8180",
                "meridian",
                "meridian-cli",
                services,
                new KafkaSettings("127.0.0.1:9092", KafkaPrincipal.OPS_AUDIT.userName(), passwordFile, null));
    }

    private Config read() {
        if (!Files.exists(file)) {
            return new Config(null, Map.of());
        }
        try {
            Config config = JSON.readValue(file.toFile(), Config.class);
            return new Config(config.current(), config.contexts() == null ? Map.of() : config.contexts());
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(Config config) {
        try {
            OwnerOnlyFiles.write(file, JSON.writeValueAsBytes(config));
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
