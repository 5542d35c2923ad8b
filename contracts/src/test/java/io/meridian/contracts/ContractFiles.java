package io.meridian.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Test access to the schemas, samples and baselines on the test classpath. */
public final class ContractFiles {

    public static final ObjectMapper JSON = new ObjectMapper();

    private ContractFiles() {}

    /** A folder of the classpath (target/classes or target/test-classes) as a path. */
    public static Path folder(String name) {
        URL url = ContractFiles.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("no folder " + name + " on the classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Path> files(Path folder, String suffix) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every golden sample, as {@code samples/<ce-type>/<name>.json}. */
    public static List<Path> samples() {
        try (Stream<Path> files = Files.walk(folder("samples"))) {
            return files.filter(p -> p.toString().endsWith(".json"))
                    .sorted(Comparator.naturalOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample folder of an event type; may not exist. */
    public static Path sampleFolder(EventType type) {
        return folder("samples").resolve(type.type());
    }

    public static JsonNode schema(EventType type) {
        return resource(type.schemaResource());
    }

    public static JsonNode resource(String name) {
        try (InputStream in = ContractFiles.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deep copy without the object members whose value is {@code null}: absent and null mean the same. */
    public static JsonNode withoutNulls(JsonNode node) {
        JsonNode copy = node.deepCopy();
        dropNulls(copy);
        return copy;
    }

    private static void dropNulls(JsonNode node) {
        if (node.isObject()) {
            List<String> nulls = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNull()) {
                    nulls.add(field.getKey());
                } else {
                    dropNulls(field.getValue());
                }
            }
            ((ObjectNode) node).remove(nulls);
        } else if (node.isArray()) {
            node.forEach(ContractFiles::dropNulls);
        }
    }

    /** JSON equality where 12 and 12.0 are the same number. */
    public static boolean jsonEqual(JsonNode a, JsonNode b) {
        return a.equals(
                (x, y) -> {
                    if (x.isNumber() && y.isNumber()) {
                        return x.decimalValue().compareTo(y.decimalValue()) == 0 ? 0 : 1;
                    }
                    return x.equals(y) ? 0 : 1;
                },
                b);
    }
}
