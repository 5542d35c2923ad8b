package io.meridian.inventory.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.resource.ObservedResource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: {@code observe/<case>/in.yaml} mapped on cluster {@code golden-1} must give
 * {@code expected.json}. Run with {@code -Dgolden.update=true} to rewrite the expected files, then review the diff.
 */
class ObservedResourceMapperGoldenTest {

    private static final Path CASES = Path.of("src/test/resources/observe");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final Instant OBSERVED_AT = Instant.parse("2026-11-24T10:15:31Z");
    private static final ObjectMapper JSON = EventJson.mapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    // The contract's own schema, from the contracts jar: what consumers validate against.
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(
                    ObservedResourceMapperGoldenTest.class.getResourceAsStream("/schemas/observed-resource.v1.json"),
                    SchemaValidatorsConfig.builder()
                            .formatAssertionsEnabled(true)
                            .build());

    private final KubernetesSerialization kubernetes = new KubernetesSerialization();
    private final ObservedResourceMapper mapper = new ObservedResourceMapper();

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(CASES)) {
            List<String> names = dirs.filter(d -> Files.exists(d.resolve("in.yaml")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
            assertThat(names)
                    .as("golden cases under %s", CASES.toAbsolutePath())
                    .hasSizeGreaterThanOrEqualTo(16);
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mapsToTheExpectedObservedResource(String name) throws IOException {
        Path dir = CASES.resolve(name);
        HasMetadata object;
        try (InputStream in = Files.newInputStream(dir.resolve("in.yaml"))) {
            object = kubernetes.unmarshal(in);
        }

        // The manifest is the input itself (see ObservedResourceMapperTest); the golden files hold the trimmed view.
        ObservedResource observed =
                mapper.map("golden-1", object, 7, OBSERVED_AT).withoutObject();

        String actual = JSON.writeValueAsString(observed) + "\n";
        Path expectedFile = dir.resolve("expected.json");
        if (UPDATE) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
        }
        assertThat(expectedFile)
                .as("run with -Dgolden.update=true to create it")
                .exists();
        JsonNode expected = JSON.readTree(expectedFile.toFile());
        // Compare canonical forms so that the order of keys in a hand-edited file does not matter.
        assertThat(canonical(JSON.readTree(actual))).isEqualTo(canonical(expected));
        assertThat(SCHEMA.validate(expected))
                .as("%s against observed-resource.v1.json", expectedFile)
                .isEmpty();
        // The expected file must itself be readable event data that means the same as what was mapped.
        assertThat(JSON.readValue(expectedFile.toFile(), ObservedResource.class))
                .isEqualTo(observed);
    }

    private static String canonical(JsonNode node) throws IOException {
        return JSON.writeValueAsString(sorted(node));
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            names.stream().sorted().forEach(n -> copy.set(n, sorted(object.get(n))));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            array.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }
}
