package io.meridian.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden sample is valid data of its type and survives a trip through its record unchanged. */
class GoldenSampleTest {

    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig STRICT =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    static List<Path> samples() {
        return ContractFiles.samples();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleIsValidAgainstTheSchemaOfItsType(Path sample) {
        EventType type = typeOf(sample);
        JsonSchema schema = SCHEMAS.getSchema(ContractFiles.schema(type), STRICT);

        Set<ValidationMessage> errors = schema.validate(ContractFiles.read(sample));

        assertThat(errors).as("%s against %s", sample, type.schemaResource()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleRoundTripsThroughItsRecord(Path sample) throws Exception {
        EventType type = typeOf(sample);
        byte[] original = Files.readAllBytes(sample);

        Object data = EventJson.read(original, type.dataClass());
        byte[] written = EventJson.write(data);

        JsonNode expected = ContractFiles.withoutNulls(ContractFiles.JSON.readTree(original));
        JsonNode actual = ContractFiles.JSON.readTree(written);
        assertThat(ContractFiles.jsonEqual(expected, actual))
                .as("written %s%nexpected %s", actual, expected)
                .isTrue();
        assertThat(EventJson.read(written, type.dataClass())).isEqualTo(data);
    }

    private static EventType typeOf(Path sample) {
        String folder = sample.getParent().getFileName().toString();
        return EventType.of(folder)
                .orElseThrow(() -> new AssertionError("sample folder " + folder + " is not an event type"));
    }
}
