package io.meridian.eventing.desired;

/** What {@link DesiredBundleDeclarer} did for one cluster: declared a generation, withdrew the bundle, or nothing. */
public sealed interface Declaration {

    String clusterId();

    /** The generation on record for the cluster afterwards; 0 when the owner never declared anything there. */
    long generation();

    /** A new generation went out with {@code objectCount} objects: the content or its settings changed. */
    record Declared(String clusterId, long generation, int objectCount) implements Declaration {}

    /**
     * A tombstone went out: nothing is wanted any more. It keeps the generation it withdrew; the next declaration
     * is one above it, so inventory, which remembers the generation across a tombstone, takes it as newer.
     */
    record Tombstoned(String clusterId, long generation) implements Declaration {}

    /** Nothing went out: the same content was declared last, or nothing is wanted and nothing is declared. */
    record Unchanged(String clusterId, long generation) implements Declaration {}
}
