package io.meridian.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The catalog of event types, schemas and samples has no holes. */
class EventTypeCatalogTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void typeIsNamedByTheConvention(EventType type) {
        assertThat(type.type()).matches("io\\.meridian\\.[a-z]+\\.[a-z]+\\.[a-z]+(-[a-z]+)*\\.v1");
        assertThat(EventType.of(type.type())).contains(type);
    }

    @Test
    void unknownTypesAreNotFound() {
        assertThat(EventType.of("io.meridian.inventory.cluster.exploded.v1")).isEmpty();
        assertThat(EventType.of(null)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeHasASchemaWhoseIdIsItsDataschema(EventType type) {
        assertThat(type.schemaResource()).startsWith("schemas/").endsWith(".v1.json");
        JsonNode schema = ContractFiles.schema(type);

        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText()).isEqualTo(type.dataschema().toString());
        assertThat(type.dataschema().toString()).isEqualTo("https://schemas.meridian.io/" + type.schemaFile());
        assertThat(schema.path("additionalProperties").asBoolean(true)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeHasAGoldenSample(EventType type) throws Exception {
        Path folder = ContractFiles.sampleFolder(type);
        assertThat(folder).isDirectory();
        assertThat(ContractFiles.files(folder, ".json")).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaPropertiesAreTheRecordComponents(EventType type) {
        JsonNode schema = ContractFiles.schema(type);
        Set<String> properties = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(properties::add);
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(n -> required.add(n.asText()));
        RecordComponent[] components = type.dataClass().getRecordComponents();

        assertThat(properties)
                .isEqualTo(Arrays.stream(components)
                        .map(RecordComponent::getName)
                        .collect(Collectors.toCollection(TreeSet::new)));
        assertThat(properties).containsAll(required);
        // A primitive can never be absent from what EventJson writes, so the schema must require it.
        Arrays.stream(components)
                .filter(c -> c.getType().isPrimitive())
                .forEach(c -> assertThat(required).as("required").contains(c.getName()));
    }

    @Test
    void everySchemaFileBelongsToAnEventType() {
        Set<String> used = Arrays.stream(EventType.values())
                .map(EventType::schemaFile)
                .collect(Collectors.toCollection(LinkedHashSet::new));

        assertThat(ContractFiles.files(ContractFiles.folder("schemas"), ".json"))
                .extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(used);
    }

    @Test
    void everySampleFolderIsAnEventType() throws Exception {
        try (var folders = Files.list(ContractFiles.folder("samples"))) {
            assertThat(folders.map(p -> p.getFileName().toString()))
                    .allSatisfy(name -> assertThat(EventType.of(name)).as(name).isPresent());
        }
    }

    @Test
    void onlyResourceDeletionTravelsAsATombstone() {
        assertThat(Arrays.stream(EventType.values()).filter(EventType::tombstone))
                .containsExactly(EventType.RESOURCE_DELETED);
        assertThat(EventType.RESOURCE_DELETED.topic().compacted()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Topic.class)
    void everyTopicCarriesSomeType(Topic topic) {
        assertThat(EventType.on(topic)).isNotEmpty();
    }
}
