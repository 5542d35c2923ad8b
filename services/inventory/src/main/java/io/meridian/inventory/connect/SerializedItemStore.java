package io.meridian.inventory.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer's store that holds each object as its JSON bytes rather than as the fabric8 model. The model costs about
 * 20 KiB of heap per Pod (a map for {@code additionalProperties} in every nested object, boxed quantities, lists); its
 * JSON a tenth of that. Measured with {@code bench inventory}: the informer caches were most of inventory's live heap
 * at 100,000 objects. Every read answers a new object equal to the one stored, so the informer and every reader of its
 * store see what the default store would have given them, and a reader may change what it was given without changing
 * the store (fabric8's own store hands out the object it holds). The price is a parse per read (an update's previous
 * object, a lookup, a listing) and a write per change.
 *
 * <p>Not a full-state store to fabric8 ({@link #isFullState()}): fabric8 then announces each object of a list to the
 * handlers as it is listed, instead of reading every listed object back from the store once the list completes, which
 * would parse each object once more per relist. Inventory's handlers never read the store while handling an object.
 */
final class SerializedItemStore<T extends HasMetadata> implements ItemStore<T> {

    // Made once per mapper and type: every connect of every cluster makes a store per watched kind.
    private static final Map<ObjectMapper, Map<Class<?>, ObjectReader>> READERS = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, byte[]> items = new ConcurrentHashMap<>();
    private final ObjectWriter writer;
    private final ObjectReader reader;

    /** {@code mapper}: one configured for fabric8's model (the cluster clients' own). */
    SerializedItemStore(ObjectMapper mapper, Class<T> type) {
        this.writer = mapper.writer();
        this.reader = READERS.computeIfAbsent(mapper, m -> new ConcurrentHashMap<>())
                .computeIfAbsent(type, mapper::readerFor);
    }

    @Override
    public String getKey(T object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    @Override
    public T put(String key, T object) {
        return objectOf(items.put(key, bytesOf(object)));
    }

    @Override
    public T remove(String key) {
        return objectOf(items.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return items.values().stream().map(this::objectOf);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return objectOf(items.get(key));
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

    private T objectOf(byte[] json) {
        if (json == null) {
            return null;
        }
        try {
            return reader.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back an object this store wrote", e);
        }
    }
}
