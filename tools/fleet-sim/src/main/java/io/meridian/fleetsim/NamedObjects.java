package io.meridian.fleetsim;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The objects of one simulated API server's store (attributes -> JSON), as fabric8's CRUD store keeps them, plus an
 * index by object name. fabric8 finds an object by scanning every stored object's attributes: at 1,000 objects a
 * cluster, every GET, update and create by the controllers paid that scan (a tenth of the simulator's CPU in {@code bench
 * placement}). With the index, a lookup by name matches only the objects of that name. Iteration order, and so which of
 * several matches comes first, is the insertion order fabric8's own map has.
 *
 * <p>Callers hold the store's lock as they do for fabric8's map; the methods are synchronized as well, as that map
 * ({@code Collections.synchronizedMap}) is. Removal through the entry set is refused, so that the index cannot miss it.
 */
final class NamedObjects extends AbstractMap<AttributeSet, String> {

    /** The attribute fabric8 stores an object's name under. */
    static final String NAME = "name";

    private final Map<AttributeSet, String> objects = new LinkedHashMap<>();
    private final Map<Attribute, Set<AttributeSet>> byName = new HashMap<>();

    /** The first stored object (in insertion order) of the name {@code query} asks for that matches it, or null. */
    synchronized Map.Entry<AttributeSet, String> findNamed(AttributeSet query) {
        Attribute name = query.getAttribute(NAME);
        Set<AttributeSet> named = name == null ? null : byName.get(name);
        if (named == null) {
            return null;
        }
        for (AttributeSet key : named) {
            if (key.matches(query)) {
                return new SimpleImmutableEntry<>(key, objects.get(key));
            }
        }
        return null;
    }

    @Override
    public synchronized String put(AttributeSet key, String value) {
        // As in a LinkedHashMap, a key stored already keeps its place.
        String previous = objects.put(key, value);
        if (previous == null) {
            Attribute name = key.getAttribute(NAME);
            if (name != null) {
                byName.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(key);
            }
        }
        return previous;
    }

    @Override
    public synchronized String remove(Object key) {
        String previous = objects.remove(key);
        if (previous != null) {
            unindex((AttributeSet) key);
        }
        return previous;
    }

    @Override
    public synchronized String computeIfPresent(
            AttributeSet key, BiFunction<? super AttributeSet, ? super String, ? extends String> remapping) {
        String value = objects.get(key);
        if (value == null) {
            return null;
        }
        String next = remapping.apply(key, value);
        if (next == null) {
            remove(key);
        } else {
            objects.put(key, next); // same key: neither the order nor the index changes
        }
        return next;
    }

    @Override
    public synchronized String get(Object key) {
        return objects.get(key);
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return objects.containsKey(key);
    }

    @Override
    public synchronized int size() {
        return objects.size();
    }

    @Override
    public synchronized void clear() {
        objects.clear();
        byName.clear();
    }

    @Override
    public Set<Map.Entry<AttributeSet, String>> entrySet() {
        return Collections.unmodifiableMap(objects).entrySet();
    }

    private void unindex(AttributeSet key) {
        Attribute name = key.getAttribute(NAME);
        if (name == null) {
            return;
        }
        Set<AttributeSet> named = byName.get(name);
        if (named != null) {
            named.remove(key);
            if (named.isEmpty()) {
                byName.remove(name);
            }
        }
    }
}
