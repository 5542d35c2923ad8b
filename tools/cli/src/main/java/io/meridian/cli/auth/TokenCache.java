package io.meridian.cli.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.meridian.cli.CliException;
import io.meridian.cli.config.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The tokens of each context in {@code <config dir>/tokens.json}, readable by its owner only (0600). */
public final class TokenCache {

    private static final ObjectMapper JSON = new ObjectMapper()
            // Named, not found with findAndRegisterModules: the service-loader scan costs every run start-up time.
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;

    public TokenCache(Path configDir) {
        this.file = configDir.resolve("tokens.json");
    }

    public Path file() {
        return file;
    }

    public Optional<Token> get(String context) {
        return Optional.ofNullable(read().get(context));
    }

    public void put(String context, Token token) {
        Map<String, Token> tokens = read();
        tokens.put(context, token);
        write(tokens);
    }

    /** Forgets a context's token; whether there was one. */
    public boolean remove(String context) {
        Map<String, Token> tokens = read();
        boolean removed = tokens.remove(context) != null;
        if (removed) {
            write(tokens);
        }
        return removed;
    }

    private Map<String, Token> read() {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        try {
            return JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, Token>>() {});
        } catch (IOException e) {
            throw new CliException(
                    "cannot read the token cache " + file + " (" + e.getMessage()
                            + "); delete it and run: meridian login",
                    e);
        }
    }

    private void write(Map<String, Token> tokens) {
        try {
            OwnerOnlyFiles.write(file, JSON.writeValueAsBytes(tokens));
        } catch (IOException e) {
            throw new CliException("cannot write the token cache " + file + ": " + e.getMessage(), e);
        }
    }
}
