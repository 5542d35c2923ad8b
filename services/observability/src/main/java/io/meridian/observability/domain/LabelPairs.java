package io.meridian.observability.domain;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable label map in parse order, held as one array of names and values: a scrape holds up to
 * {@link ExpositionLimits#maxSeries()} of them, and a hash map per sample costs several times the labels it holds.
 */
final class LabelPairs extends AbstractMap<String, String> {

    static final LabelPairs EMPTY = new LabelPairs(new String[0]);

    private final String[] pairs;

    private LabelPairs(String[] pairs) {
        this.pairs = pairs;
    }

    /** Takes ownership of {@code pairs} (name, value, name, value...), which the caller no longer changes. */
    static LabelPairs wrap(String[] pairs) {
        return pairs.length == 0 ? EMPTY : new LabelPairs(pairs);
    }

    static LabelPairs copyOf(Map<String, String> labels) {
        if (labels instanceof LabelPairs same) {
            return same;
        }
        String[] pairs = new String[labels.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            pairs[i++] = java.util.Objects.requireNonNull(e.getKey(), "label name");
            pairs[i++] = java.util.Objects.requireNonNull(e.getValue(), "label value");
        }
        return wrap(pairs);
    }

    @Override
    public int size() {
        return pairs.length / 2;
    }

    @Override
    public String get(Object key) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(key)) {
                return pairs[i + 1];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < pairs.length;
                    }

                    @Override
                    public Map.Entry<String, String> next() {
                        if (next >= pairs.length) {
                            throw new NoSuchElementException();
                        }
                        var entry = new AbstractMap.SimpleImmutableEntry<>(pairs[next], pairs[next + 1]);
                        next += 2;
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return pairs.length / 2;
            }
        };
    }
}
