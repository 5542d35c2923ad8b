package io.meridian.cli.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meridian.cli.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the body of a write verb from {@code -f FILE} or {@code -f -} (standard input), in JSON or YAML. */
public final class Manifests {

    private Manifests() {}

    /** The document of {@code file} ({@code -} for {@code stdin}) as JSON; YAML is accepted as its superset. */
    public static JsonNode read(String file, InputStream stdin) {
        return parse(text(file, stdin), source(file));
    }

    /** The text of {@code file} ({@code -} for {@code stdin}) as written, for an API that reads YAML itself. */
    public static String text(String file, InputStream stdin) {
        String text;
        try {
            text = "-".equals(file)
                    ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new CliException("no such file: " + file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            throw new CliException(source(file) + " is empty: give a JSON or YAML document");
        }
        return text;
    }

    /** How an error names {@code file}. */
    public static String source(String file) {
        return "-".equals(file) ? "standard input" : file;
    }

    /** Whether the text is JSON (else it is read as YAML). */
    public static boolean isJson(String text) {
        return text.stripLeading().startsWith("{");
    }

    /** The first document of a JSON or multi-document YAML text, which must be an object. */
    public static JsonNode firstDocument(String text, String source) {
        if (isJson(text)) {
            return parse(text, source);
        }
        try (MappingIterator<JsonNode> documents =
                new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(text)) {
            JsonNode first = documents.hasNextValue() ? documents.nextValue() : null;
            if (first == null || !first.isObject()) {
                throw new CliException(source + ": the first YAML document must be an object (a mapping)");
            }
            return first;
        } catch (IOException e) {
            throw new CliException(source + " is not YAML: " + e.getMessage());
        }
    }

    /** JSON when it looks like JSON (the fast path), else YAML; one document, an object. */
    static JsonNode parse(String text, String source) {
        if (text.isBlank()) {
            throw new CliException(source + " is empty: give a JSON or YAML document");
        }
        JsonNode document;
        try {
            document = isJson(text)
                    ? new ObjectMapper().readTree(text)
                    : new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JsonProcessingException e) {
            throw new CliException(source + " is neither JSON nor YAML: " + e.getOriginalMessage());
        }
        if (document == null || !document.isObject()) {
            throw new CliException(source + " must hold one object (a mapping), not "
                    + (document == null
                            ? "nothing"
                            : document.getNodeType().name().toLowerCase()));
        }
        return document;
    }
}
