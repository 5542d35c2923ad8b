package io.meridian.contracts.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.contracts.ContractFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every schema is a compatible evolution of its committed baseline. When a change here is reported, the
 * change is breaking: make it a new {@code v2} type instead. When a compatible change is made, copy the
 * schema over its baseline in {@code src/test/resources/schema-baseline/}.
 */
class SchemaCompatibilityTest {

    static List<Path> schemas() {
        return ContractFiles.files(ContractFiles.folder("schemas"), ".json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void schemaIsCompatibleWithItsBaseline(Path schema) {
        Path baseline = ContractFiles.folder("schema-baseline")
                .resolve(schema.getFileName().toString());
        assertThat(baseline).as("baseline of a new schema must be committed").exists();

        assertThat(SchemaCompatibility.incompatibilities(ContractFiles.read(baseline), ContractFiles.read(schema)))
                .isEmpty();
    }

    @Test
    void removedPropertyIsReported() {
        ObjectNode edited = clusterSnapshot();
        ((ObjectNode) edited.get("properties")).remove("region");
        ((ArrayNode) edited.get("required")).removeIf(n -> n.asText().equals("region"));

        assertThat(SchemaCompatibility.incompatibilities(clusterSnapshot(), edited))
                .containsExactly("/properties/region: property 'region' was removed");
    }

    @Test
    void retypedPropertyIsReported() {
        ObjectNode edited = clusterSnapshot();
        ((ObjectNode) edited.at("/properties/nodeCount")).put("type", "string");

        assertThat(SchemaCompatibility.incompatibilities(clusterSnapshot(), edited))
                .containsExactly("/properties/nodeCount: type changed from integer to string");
    }

    @Test
    void newlyRequiredPropertyIsReported() {
        ObjectNode edited = clusterSnapshot();
        ((ArrayNode) edited.get("required")).add("metricsUrl");

        assertThat(SchemaCompatibility.incompatibilities(clusterSnapshot(), edited))
                .containsExactly("/: property 'metricsUrl' is newly required");
    }

    @Test
    void newRequiredPropertyIsReported() {
        ObjectNode edited = clusterSnapshot();
        ((ObjectNode) edited.get("properties")).putObject("costCenter").put("type", "string");
        ((ArrayNode) edited.get("required")).add("costCenter");

        assertThat(SchemaCompatibility.incompatibilities(clusterSnapshot(), edited))
                .containsExactly("/: property 'costCenter' is newly required");
    }

    @Test
    void removedEnumValueIsReported() {
        ObjectNode edited = clusterSnapshot();
        ((ArrayNode) edited.at("/properties/cloud/enum"))
                .removeIf(n -> n.asText().equals("onprem"));

        assertThat(SchemaCompatibility.incompatibilities(clusterSnapshot(), edited))
                .containsExactly("/properties/cloud: enum value \"onprem\" was removed");
    }

    @Test
    void breakingChangesInsideNestedDefinitionsAndArraysAreReported() {
        JsonNode old = ContractFiles.resource("schemas/observed-resource.v1.json");
        ObjectNode edited = old.deepCopy();
        ((ObjectNode) edited.at("/$defs/Container/properties")).remove("image");
        ((ObjectNode) edited.at("/$defs/PolicyRule/properties/verbs/items")).put("type", "integer");
        ((ArrayNode) edited.at("/$defs/Storage/required")).add("storageClass");
        ((ObjectNode) edited.get("$defs")).remove("WorkloadRef");

        assertThat(SchemaCompatibility.incompatibilities(old, edited))
                .containsExactlyInAnyOrder(
                        "/$defs/Container/properties/image: property 'image' was removed",
                        "/$defs/PolicyRule/properties/verbs/items: type changed from string to integer",
                        "/$defs/Storage: property 'storageClass' is newly required",
                        "/$defs/WorkloadRef: definition 'WorkloadRef' was removed");
    }

    @Test
    void removedEnumValueOfANestedRecordIsReported() {
        JsonNode old = ContractFiles.resource("schemas/sync-report.v1.json");
        ObjectNode edited = old.deepCopy();
        ((ArrayNode) edited.at("/$defs/ObjectOutcome/properties/outcome/enum"))
                .removeIf(n -> n.asText().equals("Conflict"));

        assertThat(SchemaCompatibility.incompatibilities(old, edited))
                .containsExactly("/$defs/ObjectOutcome/properties/outcome: enum value \"Conflict\" was removed");
    }

    @Test
    void addingAnOptionalPropertyOrAnEnumValueIsCompatible() {
        ObjectNode edited = clusterSnapshot();
        ((ObjectNode) edited.get("properties")).putObject("costCenter").put("type", "string");
        ((ObjectNode) edited.at("/$defs/Condition/properties"))
                .putObject("observedGeneration")
                .put("type", "integer");
        ((ArrayNode) edited.at("/properties/cloud/enum")).add("hetzner");

        assertThat(SchemaCompatibility.incompatibilities(clusterSnapshot(), edited))
                .isEmpty();
    }

    @Test
    void droppingARequirementIsCompatible() {
        ObjectNode edited = clusterSnapshot();
        ((ArrayNode) edited.get("required")).removeIf(n -> n.asText().equals("region"));

        assertThat(SchemaCompatibility.incompatibilities(clusterSnapshot(), edited))
                .isEmpty();
    }

    private static ObjectNode clusterSnapshot() {
        return (ObjectNode) ContractFiles.resource("schemas/cluster-snapshot.v1.json");
    }
}
