package io.meridian.fleetsim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Typed, in-process access to the objects of one simulated cluster. Changes go through the same CRUD store as API
 * calls, so watches see them as they would see an out-of-band change on a real cluster.
 */
final class ClusterStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterDispatcher dispatcher;

    ClusterStore(ClusterDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** How many objects the cluster holds. */
    int count() {
        return dispatcher.crud().getMap().size();
    }

    void create(HasMetadata object) {
        ResourceKind kind = ResourceKind.of(object.getKind());
        String path = kind.collectionPath(object.getMetadata().getNamespace());
        String json = Serialization.asJson(object);
        MockResponse response = IdentityKeepingCrud.keeping(
                object.getMetadata().getUid(),
                object.getMetadata().getCreationTimestamp(),
                () -> dispatcher.local(HttpMethod.POST, path, json, "application/json"));
        expectSuccess(response, "create " + kind + " " + object.getMetadata().getName());
    }

    GenericKubernetesResource get(ResourceKind kind, String namespace, String name) {
        MockResponse response = dispatcher.local(HttpMethod.GET, kind.objectPath(namespace, name), null, null);
        if (response.code() == 404) {
            return null;
        }
        expectSuccess(response, "get " + kind + " " + name);
        return Serialization.unmarshal(body(response), GenericKubernetesResource.class);
    }

    <T extends HasMetadata> T get(ResourceKind kind, String namespace, String name, Class<T> type) {
        GenericKubernetesResource generic = get(kind, namespace, name);
        return generic == null ? null : Serialization.unmarshal(Serialization.asJson(generic), type);
    }

    /** Objects of a kind, in one namespace or (namespace null) everywhere. */
    List<GenericKubernetesResource> list(ResourceKind kind, String namespace) {
        MockResponse response = dispatcher.local(HttpMethod.GET, kind.collectionPath(namespace), null, null);
        expectSuccess(response, "list " + kind);
        GenericKubernetesResourceList list =
                Serialization.unmarshal(body(response), GenericKubernetesResourceList.class);
        return list.getItems() == null ? List.of() : list.getItems();
    }

    /**
     * Objects of a kind as typed model objects, parsed straight from the list the store answers (no tree in between:
     * the controllers list pods and replica sets on every reconcile, and the tree cost as much again as the objects).
     */
    <T extends HasMetadata> List<T> list(ResourceKind kind, String namespace, Class<T> type) {
        return list(kind.collectionPath(namespace), kind, type);
    }

    private <T extends HasMetadata> List<T> list(String path, ResourceKind kind, Class<T> type) {
        MockResponse response = dispatcher.local(HttpMethod.GET, path, null, null);
        expectSuccess(response, "list " + kind);
        try {
            ObjectMapper mapper = Serialization.jsonMapper();
            Items<T> list = mapper.readValue(
                    body(response), mapper.getTypeFactory().constructParametricType(Items.class, type));
            return list.items() == null ? List.of() : list.items();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the " + kind + " list", e);
        }
    }

    /**
     * The objects of a kind in one namespace whose labels hold every one of {@code labels}, as a controller lists by
     * its selector: the store answers (and this parses) only those. No labels lists them all.
     */
    <T extends HasMetadata> List<T> list(
            ResourceKind kind, String namespace, Map<String, String> labels, Class<T> type) {
        if (labels.isEmpty()) {
            return list(kind, namespace, type);
        }
        String selector = new java.util.TreeMap<>(labels)
                .entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(java.util.stream.Collectors.joining(","));
        return list(
                kind.collectionPath(namespace) + "?labelSelector="
                        + java.net.URLEncoder.encode(selector, java.nio.charset.StandardCharsets.UTF_8),
                kind,
                type);
    }

    /** The items of a list answer; its kind and metadata are not needed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Items<T>(List<T> items) {}

    /** Replaces an object with {@code object} (an update, as {@code kubectl replace} would). */
    void replace(HasMetadata object) {
        replace(object, null);
    }

    /** The same, recorded in managedFields under {@code fieldManager} (null: the simulator's own name). */
    private void replace(HasMetadata object, String fieldManager) {
        ResourceKind kind = ResourceKind.of(object.getKind());
        String path = kind.objectPath(
                        object.getMetadata().getNamespace(),
                        object.getMetadata().getName())
                + (fieldManager == null ? "" : "?fieldManager=" + fieldManager);
        MockResponse response =
                dispatcher.local(HttpMethod.PUT, path, Serialization.asJson(object), "application/json");
        expectSuccess(response, "replace " + kind + " " + object.getMetadata().getName());
    }

    /**
     * Applies a JSON merge patch (RFC 7386) to an object, as a person's {@code kubectl edit} would: recorded in
     * managedFields under the manager {@code kubectl-edit}, which takes the fields it changed.
     *
     * @return the patched object, or null when there is no such object
     */
    GenericKubernetesResource mergePatch(ResourceKind kind, String namespace, String name, Map<String, Object> patch) {
        GenericKubernetesResource current = get(kind, namespace, name);
        if (current == null) {
            return null;
        }
        ObjectNode target = JSON.valueToTree(JSON.convertValue(current, Map.class));
        merge(target, JSON.valueToTree(patch));
        // Identity stays: a patch cannot rename or move an object.
        ObjectNode metadata = target.withObject("/metadata");
        metadata.put("name", name);
        if (namespace != null && kind.namespaced()) {
            metadata.put("namespace", namespace);
        }
        GenericKubernetesResource patched = JSON.convertValue(target, GenericKubernetesResource.class);
        replace(patched, "kubectl-edit");
        return get(kind, namespace, name);
    }

    boolean delete(ResourceKind kind, String namespace, String name) {
        MockResponse response = dispatcher.local(HttpMethod.DELETE, kind.objectPath(namespace, name), null, null);
        if (response.code() == 404) {
            return false;
        }
        expectSuccess(response, "delete " + kind + " " + name);
        return true;
    }

    private static void merge(ObjectNode target, JsonNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && target.get(field.getKey()) instanceof ObjectNode existing) {
                merge(existing, value);
            } else {
                target.set(field.getKey(), value);
            }
        }
    }

    private static String body(MockResponse response) {
        return response.getBody() == null ? "" : response.getBody().readUtf8();
    }

    private static void expectSuccess(MockResponse response, String what) {
        if (response.code() < 200 || response.code() >= 300) {
            throw new StoreException(
                    response.code(), what + " failed with HTTP " + response.code() + ": " + body(response));
        }
    }

    /** A store call the API server refused, with its HTTP status. */
    static final class StoreException extends RuntimeException {
        private final int status;

        StoreException(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
