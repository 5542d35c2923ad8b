package io.meridian.policy.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in policies, shipped as ValidatingAdmissionPolicy YAML under {@code policies/library/} (listed in its
 * {@code index.txt}), so that the same files apply to a cluster as they are.
 */
public final class PolicyLibrary {

    private static final String FOLDER = "policies/library/";
    private static final ObjectMapper YAML = new YAMLMapper();

    private PolicyLibrary() {}

    /** Every built-in policy by name, in index order. */
    public static Map<String, PolicyDefinition> load() {
        Map<String, PolicyDefinition> library = new LinkedHashMap<>();
        for (String name : read("index.txt")
                .lines()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList()) {
            library.put(name, definition(name));
        }
        return library;
    }

    /** The YAML of one built-in policy, as shipped. */
    public static String yaml(String name) {
        return read(name + ".yaml");
    }

    @SuppressWarnings("unchecked")
    static PolicyDefinition definition(String name) {
        try {
            Map<String, Object> doc = YAML.readValue(yaml(name), Map.class);
            return switch (VapImport.from(List.of(doc))) {
                case VapImport.Imported imported -> imported.definition();
                case VapImport.Rejected rejected ->
                    throw new IllegalStateException("built-in policy " + name + " is invalid: " + rejected.problems());
            };
        } catch (IOException e) {
            throw new UncheckedIOException("built-in policy " + name + " is not YAML", e);
        }
    }

    private static String read(String file) {
        try (InputStream in = PolicyLibrary.class.getClassLoader().getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + FOLDER + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
