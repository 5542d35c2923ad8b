package io.meridian.fleetsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.meridian.fleetsim.MergeSchema.Node;
import io.meridian.fleetsim.MergeSchema.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The non-apply patch formats an API server takes: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and a strategic
 * merge patch that merges the lists {@link MergeSchema} knows as list-maps and sets by their keys. Each answers the
 * patched object and leaves the one it was given alone.
 */
final class PatchFormats {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PatchFormats() {}

    /** A patch the server cannot apply: answered 422 as a real server does. */
    static final class InvalidPatch extends RuntimeException {
        InvalidPatch(String message) {
            super(message);
        }
    }

    /**
     * Applies a JSON patch. Like fabric8's mock (and unlike a real server) missing parent objects of an {@code add} are
     * created, which the simulator's callers have come to rely on.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Map<String, Object> live, String patch) {
        try {
            JsonNode operations = JSON.readTree(patch);
            if (operations == null || !operations.isArray()) {
                throw new InvalidPatch("a JSON patch must be an array of operations");
            }
            JsonNode target = JSON.valueToTree(live);
            for (JsonNode operation : operations) {
                createParents(target, operation.path("path").asText(""));
            }
            return JSON.convertValue(JsonPatch.apply(operations, target), Map.class);
        } catch (InvalidPatch e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidPatch("the JSON patch cannot be applied: " + e.getMessage());
        }
    }

    /** Applies a JSON merge patch: objects merge, {@code null} removes, everything else replaces. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> live, Object patch) {
        if (!(patch instanceof Map<?, ?>)) {
            throw new InvalidPatch("a merge patch of an object must be a JSON object");
        }
        return (Map<String, Object>) mergeValue(ServerSideApply.deepCopy(live), patch);
    }

    /**
     * Applies a strategic merge patch: as a merge patch, except that list-maps merge element by element on their keys
     * (an element with {@code $patch: delete} goes), sets take the union, and {@code $patch: replace} replaces. The
     * {@code $setElementOrder} and {@code $retainKeys} directives are accepted and ignored.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> strategic(Map<String, Object> live, Object patch, Node schema) {
        if (!(patch instanceof Map<?, ?>)) {
            throw new InvalidPatch("a strategic merge patch of an object must be a JSON object");
        }
        return (Map<String, Object>) strategicValue(ServerSideApply.deepCopy(live), patch, schema);
    }

    private static Object mergeValue(Object target, Object patch) {
        if (!(patch instanceof Map<?, ?> fields)) {
            return ServerSideApply.deepCopy(patch);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        if (target instanceof Map<?, ?> existing) {
            existing.forEach((key, value) -> result.put(String.valueOf(key), value));
        }
        fields.forEach((key, value) -> {
            String name = String.valueOf(key);
            if (value == null) {
                result.remove(name);
            } else {
                result.put(name, mergeValue(result.get(name), value));
            }
        });
        return result;
    }

    private static Object strategicValue(Object target, Object patch, Node schema) {
        if (patch instanceof Map<?, ?> fields) {
            Object directive = fields.get("$patch");
            if ("delete".equals(directive)) {
                return null;
            }
            Map<String, Object> clean = new LinkedHashMap<>();
            fields.forEach((key, value) -> clean.put(String.valueOf(key), value));
            clean.remove("$patch");
            if ("replace".equals(directive) || !(target instanceof Map<?, ?>) || schema.shape() == Shape.ATOMIC) {
                return ServerSideApply.deepCopy(withoutDirectives(clean));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            ((Map<?, ?>) target).forEach((key, value) -> result.put(String.valueOf(key), value));
            clean.forEach((name, value) -> {
                if (name.startsWith("$deleteFromPrimitiveList/")) {
                    String list = name.substring(name.indexOf('/') + 1);
                    if (result.get(list) instanceof List<?> items && value instanceof List<?> gone) {
                        List<Object> kept = new ArrayList<>(items);
                        kept.removeIf(item -> gone.stream().anyMatch(g -> ServerSideApply.valueEquals(g, item)));
                        result.put(list, kept);
                    }
                } else if (name.startsWith("$")) {
                    // $setElementOrder/<list> and $retainKeys: ordering and pruning hints a simulator can do without.
                } else if (value == null) {
                    result.remove(name);
                } else {
                    Object merged = strategicValue(result.get(name), value, schema.field(name));
                    if (merged == null) {
                        result.remove(name);
                    } else {
                        result.put(name, merged);
                    }
                }
            });
            return result;
        }
        if (patch instanceof List<?> items && target instanceof List<?> existing && schema.associative()) {
            return strategicList(existing, items, schema);
        }
        return ServerSideApply.deepCopy(patch instanceof List<?> items ? withoutDirectiveElements(items) : patch);
    }

    private static List<Object> strategicList(List<?> existing, List<?> items, Node schema) {
        if (items.stream().anyMatch(i -> i instanceof Map<?, ?> m && "replace".equals(m.get("$patch")))) {
            return ServerSideApply.deepCopy(withoutDirectiveElements(items));
        }
        List<Object> result = new ArrayList<>(existing);
        for (Object item : items) {
            if (schema.shape() == Shape.LIST_SET) {
                if (result.stream().noneMatch(e -> ServerSideApply.valueEquals(e, item))) {
                    result.add(item);
                }
                continue;
            }
            String key = ServerSideApply.elementKey(item, schema);
            int at = -1;
            for (int i = 0; key != null && i < result.size(); i++) {
                if (key.equals(ServerSideApply.elementKey(result.get(i), schema))) {
                    at = i;
                    break;
                }
            }
            boolean delete = item instanceof Map<?, ?> m && "delete".equals(m.get("$patch"));
            if (at < 0) {
                if (!delete) {
                    result.add(strategicValue(null, item, schema.element()));
                }
            } else if (delete) {
                result.remove(at);
            } else {
                result.set(at, strategicValue(result.get(at), item, schema.element()));
            }
        }
        return result;
    }

    private static Map<String, Object> withoutDirectives(Map<String, Object> fields) {
        fields.keySet().removeIf(name -> name.startsWith("$"));
        return fields;
    }

    private static List<Object> withoutDirectiveElements(List<?> items) {
        List<Object> result = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> m && m.containsKey("$patch"))) {
                result.add(item);
            }
        }
        return result;
    }

    /** The parents of a JSON pointer, as empty objects where missing (the mock's leniency, kept). */
    private static void createParents(JsonNode target, String pointer) {
        String[] parts = pointer.replaceFirst("^/", "").split("/");
        JsonNode node = target;
        for (int i = 0; i < parts.length - 1; i++) {
            String part = parts[i].replace("~1", "/").replace("~0", "~");
            if (node instanceof ObjectNode object && object.get(part) == null) {
                object.putObject(part);
            }
            node = node.isArray() ? node.path(parseIndex(part)) : node.path(part);
        }
    }

    private static int parseIndex(String part) {
        try {
            return Integer.parseInt(part);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
