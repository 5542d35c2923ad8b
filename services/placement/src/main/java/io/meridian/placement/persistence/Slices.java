package io.meridian.placement.persistence;

import io.meridian.eventing.sql.MultiRowValues;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Statements over many rows or names, split so that none binds more than PostgreSQL takes (65,535 parameters): at most
 * {@link #PER_STATEMENT} rows each, run one after the other in the order given, so that a lock order stays one.
 */
final class Slices {

    static final int PER_STATEMENT = 1000;

    private Slices() {}

    /** Runs {@code statement} on each slice of {@code items}, in their order. */
    static <T> Uni<Void> each(List<T> items, Function<List<T>, Uni<?>> statement) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < items.size(); from += PER_STATEMENT) {
            List<T> slice = items.subList(from, Math.min(items.size(), from + PER_STATEMENT));
            chain = chain.chain(() -> statement.apply(slice)).replaceWithVoid();
        }
        return chain;
    }

    /** The distinct names in sorted order: the order in which every statement over several of them meets their rows. */
    static List<String> sorted(Collection<String> names) {
        return List.copyOf(new TreeSet<>(names));
    }

    /** {@code :name0, :name1, ...}: one parameter per value, for an IN list. */
    static String parameters(String name, int count) {
        return MultiRowValues.of(":" + name + "#", count);
    }

    /** Binds {@code values} to the parameters {@code name0, name1, ...} of a query. */
    static void bind(BiConsumer<String, Object> query, String name, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            query.accept(name + i, values.get(i));
        }
    }
}
