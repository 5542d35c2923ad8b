package io.meridian.contracts.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the edits of a JSON Schema that break the rule "within a major version only optional fields are
 * added": a removed property or definition, a changed {@code type} or {@code $ref}, a property newly
 * required, a removed enum value, closed {@code additionalProperties}. It walks {@code properties},
 * {@code items}, {@code additionalProperties}, {@code $defs} and the branches of {@code anyOf}/{@code oneOf}/
 * {@code allOf}, so nested records are checked too. It is deliberately syntactic: it compares two versions
 * of the same hand-written schema, not arbitrary schemas.
 */
public final class SchemaCompatibility {

    private SchemaCompatibility() {}

    /**
     * The breaking changes from {@code oldSchema} to {@code newSchema}, each naming the JSON Pointer where
     * it happened; empty when the new schema is a compatible evolution.
     */
    public static List<String> incompatibilities(JsonNode oldSchema, JsonNode newSchema) {
        List<String> problems = new ArrayList<>();
        compare("", oldSchema, newSchema, problems);
        return problems;
    }

    private static void compare(String at, JsonNode oldNode, JsonNode newNode, List<String> problems) {
        if (oldNode == null || !oldNode.isObject()) {
            return;
        }
        if (newNode == null || !newNode.isObject()) {
            problems.add(where(at) + ": schema was removed or is no longer an object");
            return;
        }
        Set<String> oldTypes = types(oldNode.get("type"));
        Set<String> newTypes = types(newNode.get("type"));
        if (!oldTypes.equals(newTypes)) {
            problems.add(where(at) + ": type changed from " + show(oldTypes) + " to " + show(newTypes));
        }
        if (oldNode.has("$ref") && !oldNode.get("$ref").equals(newNode.get("$ref"))) {
            problems.add(where(at) + ": $ref changed from " + oldNode.get("$ref") + " to " + newNode.get("$ref"));
        }
        if (oldNode.has("enum")) {
            Set<JsonNode> newValues = new HashSet<>();
            newNode.path("enum").forEach(newValues::add);
            for (JsonNode value : oldNode.get("enum")) {
                if (newNode.has("enum") && !newValues.contains(value)) {
                    problems.add(where(at) + ": enum value " + value + " was removed");
                }
            }
        }
        Set<String> oldRequired = texts(oldNode.get("required"));
        for (String name : texts(newNode.get("required"))) {
            if (!oldRequired.contains(name)) {
                problems.add(where(at) + ": property '" + name + "' is newly required");
            }
        }
        JsonNode newAdditional = newNode.get("additionalProperties");
        if (newAdditional != null
                && newAdditional.isBoolean()
                && !newAdditional.asBoolean()
                && !oldNode.path("additionalProperties").isBoolean()) {
            problems.add(where(at) + ": additionalProperties was closed");
        }

        compareMembers(at + "/properties", oldNode.get("properties"), newNode.get("properties"), "property", problems);
        compareMembers(at + "/$defs", oldNode.get("$defs"), newNode.get("$defs"), "definition", problems);
        if (oldNode.has("items")) {
            compare(at + "/items", oldNode.get("items"), newNode.get("items"), problems);
        }
        if (oldNode.path("additionalProperties").isObject()) {
            compare(
                    at + "/additionalProperties",
                    oldNode.get("additionalProperties"),
                    newNode.get("additionalProperties"),
                    problems);
        }
        for (String keyword : List.of("anyOf", "oneOf", "allOf")) {
            JsonNode oldBranches = oldNode.get(keyword);
            if (oldBranches == null) {
                continue;
            }
            JsonNode newBranches = newNode.get(keyword);
            if (newBranches == null || newBranches.size() != oldBranches.size()) {
                problems.add(where(at) + ": " + keyword + " branches changed");
                continue;
            }
            for (int i = 0; i < oldBranches.size(); i++) {
                compare(at + "/" + keyword + "/" + i, oldBranches.get(i), newBranches.get(i), problems);
            }
        }
    }

    private static void compareMembers(
            String at, JsonNode oldMembers, JsonNode newMembers, String what, List<String> problems) {
        if (oldMembers == null || !oldMembers.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = oldMembers.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = at + "/" + escape(field.getKey());
            JsonNode replacement = newMembers == null ? null : newMembers.get(field.getKey());
            if (replacement == null) {
                problems.add(path + ": " + what + " '" + field.getKey() + "' was removed");
            } else {
                compare(path, field.getValue(), replacement, problems);
            }
        }
    }

    private static Set<String> types(JsonNode type) {
        Set<String> types = new TreeSet<>();
        if (type == null) {
            return types;
        }
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else {
            types.add(type.asText());
        }
        return types;
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> texts = new TreeSet<>();
        if (array != null && array.isArray()) {
            array.forEach(t -> texts.add(t.asText()));
        }
        return texts;
    }

    private static String show(Set<String> types) {
        return types.isEmpty() ? "(any)" : String.join("|", types);
    }

    private static String where(String at) {
        return at.isEmpty() ? "/" : at;
    }

    /** JSON Pointer escaping of one reference token. */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
