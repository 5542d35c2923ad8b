package io.meridian.fleetsim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of field paths, as a manager owns them in {@code managedFields}: a tree whose edges are path elements in the
 * {@code FieldsV1} notation ({@code f:<field>}, {@code k:{"name":"app"}} for a list-map element, {@code v:<json>} for
 * a set element) and whose nodes may themselves be members (written {@code .} when the node also has children).
 * Operations return new sets; a set is not changed once built.
 */
final class FieldSet {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The order structured-merge-diff serialises path elements in: fields, keys, values, indexes; then by text. */
    private static final Comparator<String> ORDER =
            Comparator.comparingInt(FieldSet::rank).thenComparing(Comparator.naturalOrder());

    private boolean member;
    private final TreeMap<String, FieldSet> children = new TreeMap<>(ORDER);

    static FieldSet empty() {
        return new FieldSet();
    }

    /** Whether this node itself (not only something beneath it) is in the set. */
    boolean member() {
        return member;
    }

    /** The subtree under path element {@code element}, or null. */
    FieldSet child(String element) {
        return children.get(element);
    }

    boolean isEmpty() {
        if (member) {
            return false;
        }
        for (FieldSet child : children.values()) {
            if (!child.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Adds {@code path} (a list of path elements) as a member; used while building a set. */
    void insert(List<String> path) {
        FieldSet node = this;
        for (String element : path) {
            node = node.children.computeIfAbsent(element, e -> new FieldSet());
        }
        node.member = true;
    }

    FieldSet union(FieldSet other) {
        FieldSet result = copy();
        result.addAll(other);
        return result;
    }

    /** The members of this set that are not members of {@code other}. */
    FieldSet minus(FieldSet other) {
        FieldSet result = new FieldSet();
        result.member = member && !other.member;
        children.forEach((element, child) -> {
            FieldSet otherChild = other.children.get(element);
            FieldSet rest = otherChild == null ? child.copy() : child.minus(otherChild);
            if (!rest.isEmpty()) {
                result.children.put(element, rest);
            }
        });
        return result;
    }

    /** The members of this set that are also members of {@code other}. */
    FieldSet intersect(FieldSet other) {
        FieldSet result = new FieldSet();
        result.member = member && other.member;
        children.forEach((element, child) -> {
            FieldSet otherChild = other.children.get(element);
            if (otherChild != null) {
                FieldSet common = child.intersect(otherChild);
                if (!common.isEmpty()) {
                    result.children.put(element, common);
                }
            }
        });
        return result;
    }

    /** Every member as a path in the notation of a conflict message, e.g. {@code .spec.containers[name="app"].image}. */
    List<String> paths() {
        List<String> paths = new ArrayList<>();
        collectPaths("", paths);
        return paths;
    }

    /** The {@code fieldsV1} form of this set. */
    Map<String, Object> toFieldsV1() {
        Map<String, Object> encoded = new LinkedHashMap<>();
        if (member && !children.isEmpty()) {
            encoded.put(".", new LinkedHashMap<>());
        }
        children.forEach((element, child) -> {
            if (!child.isEmpty()) {
                encoded.put(element, child.toFieldsV1());
            }
        });
        return encoded;
    }

    /** Reads a {@code fieldsV1} object (as parsed JSON); unreadable entries are skipped. */
    static FieldSet fromFieldsV1(Object fieldsV1) {
        FieldSet set = new FieldSet();
        if (fieldsV1 instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                String element = String.valueOf(key);
                if (element.equals(".")) {
                    set.member = true;
                } else {
                    FieldSet child = fromFieldsV1(value);
                    if (child.children.isEmpty()) {
                        child.member = true;
                    }
                    set.children.put(element, child);
                }
            });
        }
        return set;
    }

    /** The path element of field {@code name}. */
    static String field(String name) {
        return "f:" + name;
    }

    /** The path element of a list-map element with these key fields (in key order). */
    static String key(Map<String, Object> keyFields) {
        return "k:" + json(keyFields);
    }

    /** The path element of a set element. */
    static String value(Object value) {
        return "v:" + json(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet other && toFieldsV1().equals(other.toFieldsV1());
    }

    @Override
    public int hashCode() {
        return toFieldsV1().hashCode();
    }

    @Override
    public String toString() {
        return json(toFieldsV1());
    }

    private FieldSet copy() {
        FieldSet result = new FieldSet();
        result.addAll(this);
        return result;
    }

    private void addAll(FieldSet other) {
        member |= other.member;
        other.children.forEach((element, child) ->
                children.computeIfAbsent(element, e -> new FieldSet()).addAll(child));
    }

    private void collectPaths(String prefix, List<String> paths) {
        if (member) {
            paths.add(prefix);
        }
        children.forEach((element, child) -> child.collectPaths(prefix + render(element), paths));
    }

    /** One path element as structured-merge-diff prints it: {@code .f}, {@code [k=v,...]}, {@code [=v]}. */
    static String render(String element) {
        String body = element.substring(2);
        return switch (element.charAt(0)) {
            case 'f' -> "." + body;
            case 'k' -> {
                try {
                    List<String> keys = new ArrayList<>();
                    for (Map.Entry<String, JsonNode> field : JSON.readTree(body).properties()) {
                        keys.add(field.getKey() + "=" + field.getValue());
                    }
                    String text = "[" + String.join(",", keys);
                    yield text + "]";
                } catch (JsonProcessingException e) {
                    yield "[" + body + "]";
                }
            }
            case 'v' -> "[=" + body + "]";
            case 'i' -> "[" + body + "]";
            default -> element;
        };
    }

    private static int rank(String element) {
        if (element.isEmpty()) {
            return 4;
        }
        return switch (element.charAt(0)) {
            case 'f' -> 0;
            case 'k' -> 1;
            case 'v' -> 2;
            case 'i' -> 3;
            default -> 4;
        };
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + value, e);
        }
    }
}
