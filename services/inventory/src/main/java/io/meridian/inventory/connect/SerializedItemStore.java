package io.meridian.inventory.connect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * An informer's store that holds each object as its JSON bytes rather than as the fabric8 model. The model costs about
 * 20 KiB of heap per Pod (a map for {@code additionalProperties} in every nested object, boxed quantities, lists); its
 * JSON a few KiB. Measured with {@code bench inventory} at 100,000 objects: 1,946 MiB of live heap with the model, 631
 * MiB with the JSON (ADR 0017). Every read parses a new object equal to the one stored when it was stored: a reader
 * may change what it was given without changing the store, and a handler that changes the object it is handed (say
 * sets its kind) no longer changes the stored one (fabric8's own store hands out the object it holds). The price is a
 * parse per read (a lookup, a listing) and a write per change.
 *
 * <p>The object a change replaces ({@link #put}, {@link #remove}) is read back with its kind and metadata only (the
 * rest of it is skipped, not built): fabric8 reads its resourceVersion (a change that changed nothing is not handed
 * out), its namespace (the index) and hands it to update handlers as the old object, whose metadata is all inventory's
 * handlers read (the resourceVersion, the labels and field managers drift is judged by). Reading it whole was a third
 * of the store's CPU per watch event in {@code bench placement}'s profile of inventory.
 *
 * <p>Not a full-state store to fabric8 ({@link #isFullState()}): an informer's first list then hands each object to
 * the handlers as it is listed, instead of reading every listed object back from the store once the list completes
 * (one parse per object per connect saved). Inventory's handlers never read the store while handling an object.
 *
 * <p>An object that cannot be read back (a defect: the store wrote it) is logged and treated as absent, so that one bad
 * entry costs its own object, not the kind's every later relist or the connection.
 */
final class SerializedItemStore<T extends HasMetadata> implements ItemStore<T> {

    private static final Logger LOG = Logger.getLogger(SerializedItemStore.class);

    private final ConcurrentHashMap<String, byte[]> items = new ConcurrentHashMap<>();
    private final ObjectWriter writer;
    private final ObjectReader reader;
    private final ObjectReader previousReader;
    private final Constructor<T> blank;

    /** The part of a replaced object that is read back: every other field of it is skipped by the parser. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Previous(String apiVersion, String kind, ObjectMeta metadata) {}

    /** {@code mapper}: one configured for fabric8's model (the cluster clients' own). */
    SerializedItemStore(ObjectMapper mapper, Class<T> type) {
        this.writer = mapper.writer();
        this.reader = mapper.readerFor(type);
        this.previousReader = mapper.readerFor(Previous.class);
        try {
            this.blank = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type + " has no public no-argument constructor", e);
        }
    }

    @Override
    public String getKey(T object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    @Override
    public T put(String key, T object) {
        return previousOf(key, items.put(key, bytesOf(object)));
    }

    @Override
    public T remove(String key) {
        return previousOf(key, items.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return items.entrySet().stream()
                .map(entry -> objectOf(entry.getKey(), entry.getValue()))
                .filter(Objects::nonNull);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return objectOf(key, items.get(key));
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    private byte[] bytesOf(T object) {
        try {
            return writer.writeValueAsBytes(object);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hold " + getKey(object) + " as JSON", e);
        }
    }

    /** The kind and metadata of a replaced object, in an object of the store's type that holds nothing else. */
    private T previousOf(String key, byte[] json) {
        if (json == null) {
            return null;
        }
        Previous previous;
        try {
            previous = previousReader.readValue(json);
        } catch (IOException e) {
            LOG.errorf(e, "informer store: cannot read back %s, which it wrote; treated as absent", key);
            return null;
        }
        T object;
        try {
            object = blank.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "cannot create an empty " + blank.getDeclaringClass().getName(), e);
        }
        if (previous.apiVersion() != null) {
            object.setApiVersion(previous.apiVersion());
        }
        if (object instanceof GenericKubernetesResource generic) {
            generic.setKind(previous.kind());
        }
        object.setMetadata(previous.metadata());
        return object;
    }

    private T objectOf(String key, byte[] json) {
        if (json == null) {
            return null;
        }
        try {
            return reader.readValue(json);
        } catch (IOException e) {
            LOG.errorf(e, "informer store: cannot read back %s, which it wrote; treated as absent", key);
            return null;
        }
    }
}
