package io.meridian.placement.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON merge patch (RFC 7386) over manifests as Jackson reads them (maps, lists, scalars): an object merges key by
 * key, {@code null} deletes a key, anything else replaces. Inputs are never changed; the result shares nothing with
 * them.
 */
public final class MergePatch {

    private MergePatch() {}

    /** {@code target} with {@code patch} applied, as a new tree. */
    public static Object apply(Object target, Object patch) {
        if (!(patch instanceof Map<?, ?> patchMap)) {
            return copy(patch);
        }
        Map<String, Object> result = target instanceof Map<?, ?> targetMap ? copyMap(targetMap) : new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : patchMap.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (e.getValue() == null) {
                result.remove(key);
            } else {
                result.put(key, apply(result.get(key), e.getValue()));
            }
        }
        return result;
    }

    /** {@code manifest} with {@code patch} applied, as a new manifest. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> applyTo(Map<String, Object> manifest, Map<String, Object> patch) {
        return (Map<String, Object>) apply(manifest, patch);
    }

    /** A deep copy of a JSON tree: maps and lists are new, scalars are immutable and shared. */
    public static Object copy(Object value) {
        return switch (value) {
            case Map<?, ?> m -> copyMap(m);
            case List<?> l -> {
                List<Object> list = new ArrayList<>(l.size());
                l.forEach(item -> list.add(copy(item)));
                yield list;
            }
            case null, default -> value;
        };
    }

    /** A deep copy of a manifest. */
    public static Map<String, Object> copyMap(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), copy(value)));
        return copy;
    }
}
