package io.meridian.fleetsim;

import io.meridian.fleetsim.MergeSchema.Node;
import io.meridian.fleetsim.MergeSchema.Shape;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Server-side apply and field ownership as a v1.31 API server does them (structured-merge-diff's {@code Apply} and
 * {@code Update}), on objects held as parsed JSON ({@code Map}, {@code List}, scalars): an apply merges the applied
 * configuration into the live object, removes what the same manager applied before and no longer sends (unless another
 * manager owns it), and refuses, without {@code force}, to change a field another manager owns; an update takes the
 * fields it changed from whoever owned them. Pure: no store, no HTTP.
 */
final class ServerSideApply {

    static final String APPLY = "Apply";
    static final String UPDATE = "Update";

    private ServerSideApply() {}

    /** One {@code managedFields} entry. Its identity is manager, operation, subresource and, for updates, apiVersion. */
    record ManagerEntry(
            String manager, String operation, String apiVersion, String subresource, String time, FieldSet fields) {

        boolean sameManager(ManagerEntry other) {
            return manager.equals(other.manager)
                    && operation.equals(other.operation)
                    && subresource.equals(other.subresource)
                    && (operation.equals(APPLY) || apiVersion.equals(other.apiVersion));
        }

        ManagerEntry withFields(FieldSet newFields) {
            return new ManagerEntry(manager, operation, apiVersion, subresource, time, newFields);
        }

        ManagerEntry withFields(FieldSet newFields, String newTime) {
            return new ManagerEntry(manager, operation, apiVersion, subresource, newTime, newFields);
        }

        /** How a conflict message names this manager, e.g. {@code "kubectl-edit" using apps/v1}. */
        String describe() {
            String name = "\"" + manager + "\"";
            if (!subresource.isEmpty()) {
                name += " with subresource \"" + subresource + "\"";
            }
            return operation.equals(UPDATE) ? name + " using " + apiVersion : name;
        }

        private Map<String, Object> encode() {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("manager", manager);
            entry.put("operation", operation);
            entry.put("apiVersion", apiVersion);
            if (time != null) {
                entry.put("time", time);
            }
            entry.put("fieldsType", "FieldsV1");
            entry.put("fieldsV1", fields.toFieldsV1());
            if (!subresource.isEmpty()) {
                entry.put("subresource", subresource);
            }
            return entry;
        }
    }

    /** What changed between two versions of an object, as field sets. */
    record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {
        FieldSet changed() {
            return added.union(modified);
        }

        boolean isEmpty() {
            return added.isEmpty() && modified.isEmpty() && removed.isEmpty();
        }
    }

    /** A field another manager owns that an apply would change. */
    record Conflict(ManagerEntry owner, String field) {}

    /** The result of a write: the object to store and its managers, or the conflicts that refused an apply. */
    sealed interface Outcome {
        /** The object (with {@code metadata.managedFields} not yet set) and the managers to record. */
        record Written(Map<String, Object> object, List<ManagerEntry> managers) implements Outcome {}

        /** An apply refused without changing anything. */
        record Refused(List<Conflict> conflicts) implements Outcome {}
    }

    /**
     * Applies {@code config} (identity and bookkeeping metadata already removed) for {@code applier} (its
     * {@code fields} being those of {@code config}) to {@code live}, which may be null for a create.
     */
    static Outcome apply(
            Map<String, Object> live,
            Map<String, Object> config,
            Node schema,
            List<ManagerEntry> managers,
            ManagerEntry applier,
            boolean force,
            String now,
            Consumer<Map<String, Object>> defaults) {
        Map<String, Object> base = live == null ? new LinkedHashMap<>() : deepCopy(live);
        @SuppressWarnings("unchecked")
        Map<String, Object> merged = (Map<String, Object>) merge(base, config, schema);
        ManagerEntry previous = null;
        FieldSet keep = applier.fields();
        List<ManagerEntry> others = new ArrayList<>();
        for (ManagerEntry entry : managers) {
            if (entry.sameManager(applier)) {
                previous = entry;
            } else {
                others.add(entry);
                keep = keep.union(entry.fields());
            }
        }
        if (previous != null) {
            prune(merged, previous.fields(), keep, schema);
        }
        defaults.accept(merged);
        Comparison comparison = compare(live, merged, schema);
        FieldSet changed = comparison.changed();
        List<Conflict> conflicts = new ArrayList<>();
        for (ManagerEntry other : others) {
            other.fields().intersect(changed).paths().forEach(path -> conflicts.add(new Conflict(other, path)));
        }
        if (!conflicts.isEmpty() && !force) {
            conflicts.sort(Comparator.comparing((Conflict c) -> c.owner().manager())
                    .thenComparing(c -> c.owner().operation()));
            return new Outcome.Refused(conflicts);
        }
        List<ManagerEntry> result = new ArrayList<>();
        for (ManagerEntry other : others) {
            result.add(other.withFields(other.fields().minus(changed).minus(comparison.removed())));
        }
        boolean unchanged = previous != null
                && previous.fields().equals(applier.fields())
                && previous.apiVersion().equals(applier.apiVersion())
                && comparison.isEmpty();
        result.add(unchanged ? previous : applier.withFields(applier.fields(), now));
        return new Outcome.Written(merged, withoutEmpty(result));
    }

    /**
     * Records an update (create, replace, JSON or merge patch) by {@code updater} from {@code live} (null for a create)
     * to {@code next}: it takes the fields it changed, except those the server defaults, and previous owners lose them.
     * {@code next} is defaulted in place.
     */
    static Outcome.Written update(
            Map<String, Object> live,
            Map<String, Object> next,
            Node schema,
            List<ManagerEntry> managers,
            ManagerEntry updater,
            String now,
            Consumer<Map<String, Object>> defaults) {
        FieldSet changed;
        FieldSet removed;
        if (live == null) {
            // One walk: everything the creator sent is new, and the defaults are filled in after it.
            changed = fieldSet(next, schema);
            removed = FieldSet.empty();
            defaults.accept(next);
        } else {
            Map<String, Object> sent = deepCopy(next);
            defaults.accept(next);
            Comparison comparison = compare(live, next, schema);
            FieldSet defaulted = compare(sent, next, schema).added();
            changed = comparison.changed().minus(defaulted);
            removed = comparison.removed();
        }
        List<ManagerEntry> result = new ArrayList<>();
        ManagerEntry previous = null;
        for (ManagerEntry entry : managers) {
            if (entry.sameManager(updater)) {
                previous = entry;
            } else {
                result.add(entry.withFields(entry.fields().minus(changed).minus(removed)));
            }
        }
        if (previous != null) {
            FieldSet fields = previous.fields().minus(removed).union(changed);
            result.add(previous.withFields(fields, changed.isEmpty() ? previous.time() : now));
        } else if (!changed.isEmpty()) {
            result.add(updater.withFields(changed, now));
        }
        return new Outcome.Written(next, withoutEmpty(result));
    }

    /** The {@code metadata.managedFields} of {@code object}, read leniently (an entry without a manager is dropped). */
    static List<ManagerEntry> managers(Map<String, Object> object) {
        List<ManagerEntry> entries = new ArrayList<>();
        if (object != null
                && object.get("metadata") instanceof Map<?, ?> metadata
                && metadata.get("managedFields") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> entry && entry.get("manager") instanceof String manager) {
                    entries.add(new ManagerEntry(
                            manager,
                            Objects.toString(entry.get("operation"), UPDATE),
                            Objects.toString(entry.get("apiVersion"), ""),
                            Objects.toString(entry.get("subresource"), ""),
                            entry.get("time") instanceof String time ? time : null,
                            FieldSet.fromFieldsV1(entry.get("fieldsV1"))));
                }
            }
        }
        return entries;
    }

    /** The {@code managedFields} list, in the order the server sorts it: operation, time, manager, ... */
    static List<Object> encode(List<ManagerEntry> managers) {
        return managers.stream()
                .sorted(Comparator.comparing(ManagerEntry::operation)
                        .thenComparing(e -> Objects.toString(e.time(), ""))
                        .thenComparing(ManagerEntry::manager)
                        .thenComparing(ManagerEntry::apiVersion)
                        .thenComparing(ManagerEntry::subresource))
                .<Object>map(ManagerEntry::encode)
                .toList();
    }

    // ---- field sets ----

    /** The fields {@code value} sets: the field set an apply of it owns, or a create records. */
    static FieldSet fieldSet(Object value, Node schema) {
        FieldSet set = FieldSet.empty();
        collect(value, schema, new ArrayList<>(), set);
        return set;
    }

    /**
     * Adds the paths of {@code value} at {@code path}: a scalar, an atomic value or an empty object is one field; an
     * object's fields and an associative list's elements (members themselves) are walked.
     */
    private static void collect(Object value, Node schema, List<String> path, FieldSet into) {
        if (value == null || schema.shape() == Shape.IGNORED) {
            return;
        }
        if (value instanceof Map<?, ?> map && schema.shape() != Shape.ATOMIC) {
            if (map.isEmpty()) {
                into.insert(path);
                return;
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String name = String.valueOf(entry.getKey());
                path.add(FieldSet.field(name));
                collect(entry.getValue(), schema.field(name), path, into);
                path.removeLast();
            }
            return;
        }
        if (value instanceof List<?> list && schema.associative()) {
            List<String> elements = elementKeys(list, schema);
            if (elements != null) {
                for (int i = 0; i < list.size(); i++) {
                    path.add(elements.get(i));
                    into.insert(path);
                    if (schema.shape() == Shape.LIST_MAP) {
                        collect(list.get(i), schema.element(), path, into);
                    }
                    path.removeLast();
                }
                return;
            }
        }
        into.insert(path);
    }

    /**
     * The path element of each element of an associative list, or null when the list cannot be one (an element
     * without a key that has no default, a duplicate): the server then treats it as a single field.
     */
    static List<String> elementKeys(List<?> list, Node schema) {
        List<String> elements = new ArrayList<>(list.size());
        Set<String> seen = new HashSet<>();
        for (Object item : list) {
            String element = elementKey(item, schema);
            if (element == null || !seen.add(element)) {
                return null;
            }
            elements.add(element);
        }
        return elements;
    }

    /**
     * The path element of one element of an associative list ({@code k:{...}} with defaulted key fields filled in,
     * or {@code v:...}), or null when it has no usable key.
     */
    static String elementKey(Object item, Node schema) {
        if (schema.shape() == Shape.LIST_SET) {
            return item instanceof Map<?, ?> || item instanceof List<?> || item == null ? null : FieldSet.value(item);
        }
        if (!(item instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, Object> keyFields = new LinkedHashMap<>();
        for (String key : schema.keys()) {
            Object value = map.get(key);
            if (value == null) {
                value = schema.keyDefault(key);
            }
            if (value == null) {
                return null;
            }
            keyFields.put(key, value);
        }
        return FieldSet.key(keyFields);
    }

    /**
     * Why an applied configuration cannot be read as the schema says (an associative list with an element that lacks
     * a key, or two elements with the same key), in structured-merge-diff's words; null when it can.
     */
    static String invalidList(Object value, Node schema) {
        return invalidList(value, schema, "");
    }

    private static String invalidList(Object value, Node schema, String path) {
        if (value instanceof Map<?, ?> map && schema.shape() == Shape.GRANULAR) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String name = String.valueOf(entry.getKey());
                String invalid = invalidList(entry.getValue(), schema.field(name), path + "." + name);
                if (invalid != null) {
                    return invalid;
                }
            }
        } else if (value instanceof List<?> list && schema.associative()) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                String element = elementKey(item, schema);
                if (element == null) {
                    String missing = schema.keys().stream()
                            .filter(k -> !(item instanceof Map<?, ?> m) || m.get(k) == null)
                            .findFirst()
                            .orElse("");
                    return schema.shape() == Shape.LIST_SET
                            ? path + ": element " + i + ": a set may only hold scalars"
                            : path + ": element " + i + ": associative list with keys has an element that omits key"
                                    + " field \"" + missing + "\" (and doesn't have default value)";
                }
                if (!seen.add(element)) {
                    return path + ": duplicate entries for key " + FieldSet.render(element);
                }
                if (schema.shape() == Shape.LIST_MAP) {
                    String invalid = invalidList(item, schema.element(), path + FieldSet.render(element));
                    if (invalid != null) {
                        return invalid;
                    }
                }
            }
        }
        return null;
    }

    /** What changed from {@code live} to {@code next} (either may be null), field by field. */
    static Comparison compare(Object live, Object next, Node schema) {
        Comparison comparison = new Comparison(FieldSet.empty(), FieldSet.empty(), FieldSet.empty());
        compare(live, next, schema, new ArrayList<>(), comparison);
        return comparison;
    }

    private static void compare(Object live, Object next, Node schema, List<String> path, Comparison into) {
        if ((live == null && next == null) || schema.shape() == Shape.IGNORED) {
            return;
        }
        if (live == null) {
            collect(next, schema, path, into.added());
            return;
        }
        if (next == null) {
            collect(live, schema, path, into.removed());
            return;
        }
        if (live instanceof Map<?, ?> l && next instanceof Map<?, ?> n && schema.shape() != Shape.ATOMIC) {
            // An empty object owned as a field stays owned when it gains fields, as on a real server.
            Set<Object> names = new LinkedHashSet<>(l.keySet());
            names.addAll(n.keySet());
            for (Object key : names) {
                String name = String.valueOf(key);
                path.add(FieldSet.field(name));
                compare(l.get(key), n.get(key), schema.field(name), path, into);
                path.removeLast();
            }
            return;
        }
        if (live instanceof List<?> l && next instanceof List<?> n && schema.associative()) {
            List<String> liveKeys = elementKeys(l, schema);
            List<String> nextKeys = elementKeys(n, schema);
            if (liveKeys != null && nextKeys != null) {
                Map<String, Object> liveElements = new HashMap<>();
                for (int i = 0; i < l.size(); i++) {
                    liveElements.put(liveKeys.get(i), l.get(i));
                }
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < n.size(); i++) {
                    String element = nextKeys.get(i);
                    seen.add(element);
                    path.add(element);
                    Object before = liveElements.get(element);
                    if (before == null) {
                        into.added().insert(path);
                        if (schema.shape() == Shape.LIST_MAP) {
                            collect(n.get(i), schema.element(), path, into.added());
                        }
                    } else if (schema.shape() == Shape.LIST_MAP) {
                        compareElement(before, n.get(i), schema.element(), path, into);
                    }
                    path.removeLast();
                }
                for (int i = 0; i < l.size(); i++) {
                    String element = liveKeys.get(i);
                    if (!seen.contains(element)) {
                        path.add(element);
                        into.removed().insert(path);
                        if (schema.shape() == Shape.LIST_MAP) {
                            collect(l.get(i), schema.element(), path, into.removed());
                        }
                        path.removeLast();
                    }
                }
                return;
            }
        }
        boolean sameKind = (live instanceof Map<?, ?>) == (next instanceof Map<?, ?>)
                && (live instanceof List<?>) == (next instanceof List<?>);
        if (!sameKind) {
            collect(live, schema, path, into.removed());
            collect(next, schema, path, into.added());
        } else if (!valueEquals(live, next)) {
            into.modified().insert(path);
        }
    }

    private static void compareElement(Object live, Object next, Node schema, List<String> path, Comparison into) {
        if (schema.shape() == Shape.ATOMIC) {
            if (!valueEquals(live, next)) {
                into.modified().insert(path);
            }
        } else {
            compare(live, next, schema, path, into);
        }
    }

    // ---- merging ----

    /** {@code config} merged into {@code live} with structured-merge semantics; {@code live} is not changed. */
    static Object merge(Object live, Object config, Node schema) {
        if (config == null) {
            return live;
        }
        if (live instanceof Map<?, ?> l && config instanceof Map<?, ?> c && schema.shape() == Shape.GRANULAR) {
            Map<String, Object> result = new LinkedHashMap<>();
            l.forEach((key, value) -> result.put(String.valueOf(key), value));
            c.forEach((key, value) -> {
                String name = String.valueOf(key);
                if (value == null) {
                    result.remove(name);
                } else {
                    result.put(name, merge(result.get(name), value, schema.field(name)));
                }
            });
            return result;
        }
        if (live instanceof List<?> l && config instanceof List<?> c && schema.associative()) {
            List<String> liveKeys = elementKeys(l, schema);
            List<String> configKeys = elementKeys(c, schema);
            if (liveKeys != null && configKeys != null) {
                return mergeList(l, liveKeys, c, configKeys, schema);
            }
        }
        return deepCopy(config);
    }

    /**
     * An associative list merged the way structured-merge-diff orders it: live elements keep their places, applied
     * elements keep their order among themselves, new ones come after the live element they follow in the config.
     */
    private static List<Object> mergeList(
            List<?> live, List<String> liveKeys, List<?> config, List<String> configKeys, Node schema) {
        Map<String, Integer> inLive = new HashMap<>();
        for (int i = 0; i < liveKeys.size(); i++) {
            inLive.put(liveKeys.get(i), i);
        }
        Map<String, Integer> inConfig = new HashMap<>();
        for (int i = 0; i < configKeys.size(); i++) {
            inConfig.put(configKeys.get(i), i);
        }
        List<String> sharedOrder = new ArrayList<>();
        for (String key : configKeys) {
            if (inLive.containsKey(key)) {
                sharedOrder.add(key);
            }
        }
        int nextShared = 0;
        Set<String> merged = new HashSet<>();
        List<Object> out = new ArrayList<>(Math.max(live.size(), config.size()));
        int li = 0;
        int ri = 0;
        while (li < live.size() || ri < config.size()) {
            if (li < live.size() && ri < config.size()) {
                String key = liveKeys.get(li);
                if (key.equals(configKeys.get(ri))) {
                    merged.add(key);
                    out.add(mergeElement(live.get(li), config.get(ri), schema));
                    li++;
                    ri++;
                    nextShared++;
                    continue;
                }
                if (inConfig.containsKey(key)
                        && nextShared < sharedOrder.size()
                        && !sharedOrder.get(nextShared).equals(key)) {
                    li++;
                    continue;
                }
            }
            if (li < live.size()) {
                String key = liveKeys.get(li);
                if (!inConfig.containsKey(key)) {
                    out.add(live.get(li));
                    li++;
                    continue;
                }
                if (merged.contains(key)) {
                    li++;
                    continue;
                }
            }
            if (ri < config.size()) {
                String key = configKeys.get(ri);
                merged.add(key);
                Integer at = inLive.get(key);
                out.add(mergeElement(at == null ? null : live.get(at), config.get(ri), schema));
                ri++;
                if (nextShared < sharedOrder.size()
                        && sharedOrder.get(nextShared).equals(key)) {
                    nextShared++;
                }
            }
        }
        return out;
    }

    private static Object mergeElement(Object live, Object config, Node schema) {
        if (schema.shape() == Shape.LIST_SET) {
            return config;
        }
        return live == null ? deepCopy(config) : merge(live, config, schema.element());
    }

    /**
     * Removes from {@code object} what {@code last} (the applier's previous field set) holds and {@code keep} (its new
     * set and every other manager's) does not hold at or beneath the same path. Key fields of a list-map element that
     * stays are kept.
     */
    static void prune(Object object, FieldSet last, FieldSet keep, Node schema) {
        if (object instanceof Map<?, ?> map && schema.shape() == Shape.GRANULAR) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) map;
            for (String name : new ArrayList<>(fields.keySet())) {
                FieldSet lastChild = last.child(FieldSet.field(name));
                if (lastChild == null) {
                    continue;
                }
                Node childSchema = schema.field(name);
                if (childSchema.shape() == Shape.IGNORED) {
                    continue;
                }
                FieldSet keepChild = keep == null ? null : keep.child(FieldSet.field(name));
                if (keepChild == null || keepChild.isEmpty()) {
                    fields.remove(name);
                } else {
                    prune(fields.get(name), lastChild, keepChild, childSchema);
                }
            }
        } else if (object instanceof List<?> list && schema.associative()) {
            List<String> elements = elementKeys(list, schema);
            if (elements == null) {
                return;
            }
            @SuppressWarnings("unchecked")
            List<Object> items = (List<Object>) list;
            for (int i = items.size() - 1; i >= 0; i--) {
                FieldSet lastChild = last.child(elements.get(i));
                if (lastChild == null) {
                    continue;
                }
                FieldSet keepChild = keep == null ? null : keep.child(elements.get(i));
                if (keepChild == null || keepChild.isEmpty()) {
                    items.remove(i);
                } else if (schema.shape() == Shape.LIST_MAP) {
                    pruneElement(items.get(i), lastChild, keepChild, schema);
                }
            }
        }
    }

    /** Prunes inside a list-map element; its key fields identify it, so they stay. */
    private static void pruneElement(Object element, FieldSet last, FieldSet keep, Node listSchema) {
        if (!(element instanceof Map<?, ?> map) || listSchema.element().shape() != Shape.GRANULAR) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        for (String name : new ArrayList<>(fields.keySet())) {
            if (listSchema.keys().contains(name)) {
                continue;
            }
            FieldSet lastChild = last.child(FieldSet.field(name));
            if (lastChild == null) {
                continue;
            }
            FieldSet keepChild = keep.child(FieldSet.field(name));
            if (keepChild == null || keepChild.isEmpty()) {
                fields.remove(name);
            } else {
                prune(
                        fields.get(name),
                        lastChild,
                        keepChild,
                        listSchema.element().field(name));
            }
        }
    }

    // ---- JSON values ----

    /** A deep copy of parsed JSON, with mutable maps and lists. */
    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, child) -> copy.put(String.valueOf(key), deepCopy(child)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(child -> copy.add(deepCopy(child)));
            return (T) copy;
        }
        return value;
    }

    /** Equality of parsed JSON: maps regardless of key order, numbers by value ({@code 1} equals {@code 1.0}). */
    static boolean valueEquals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> entry : x.entrySet()) {
                if (!y.containsKey(entry.getKey()) || !valueEquals(entry.getValue(), y.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!valueEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return a.equals(b);
    }

    private static List<ManagerEntry> withoutEmpty(List<ManagerEntry> entries) {
        return entries.stream().filter(e -> !e.fields().isEmpty()).toList();
    }
}
