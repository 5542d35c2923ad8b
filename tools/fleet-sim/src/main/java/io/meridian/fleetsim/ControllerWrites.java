package io.meridian.fleetsim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes made in-process as a named field manager ({@code kube-controller-manager}, {@code kubelet}), through the
 * same request path an API client uses, so that the store records who owns what and watches see every change.
 */
final class ControllerWrites {

    private final ClusterDispatcher dispatcher;

    ControllerWrites(ClusterDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /**
     * Creates {@code object}, keeping the UID and creation time it carries; answers it as stored, read straight into
     * the object's own class (a tree in between cost as much again on every controller write).
     */
    <T extends HasMetadata> T create(T object, String manager) {
        ResourceKind kind = ResourceKind.of(object.getKind());
        String path = kind.collectionPath(object.getMetadata().getNamespace()) + fieldManager(manager);
        String json = Serialization.asJson(object);
        MockResponse response = IdentityKeepingCrud.keeping(
                object.getMetadata().getUid(),
                object.getMetadata().getCreationTimestamp(),
                () -> dispatcher.local(HttpMethod.POST, path, json, "application/json"));
        return expect(response, "create " + kind + " " + object.getMetadata().getName(), typeOf(object));
    }

    /** Replaces the object (an Update; {@code metadata.resourceVersion}, when set, must be current). */
    <T extends HasMetadata> T update(T object, String manager) {
        return put(object, "", manager);
    }

    /** Replaces the object's {@code status} through the status subresource. */
    <T extends HasMetadata> T updateStatus(T object, String manager) {
        return put(object, "/status", manager);
    }

    /**
     * Sets {@code spec.replicas} through the scale subresource, as the HPA does. The HPA is a client of the API
     * server, not part of it: its write takes the way of a request from outside (and counts as one).
     */
    GenericKubernetesResource scale(ResourceKind kind, String namespace, String name, int replicas, String manager) {
        String path = kind.objectPath(namespace, name) + "/scale" + fieldManager(manager);
        Map<String, Object> scale = Map.of(
                "apiVersion",
                "autoscaling/v1",
                "kind",
                "Scale",
                "metadata",
                Map.of("name", name, "namespace", namespace),
                "spec",
                Map.of("replicas", replicas));
        Buffer body = new Buffer();
        body.writeUtf8(Serialization.asJson(scale));
        RecordedRequest request = new RecordedRequest(
                "HTTP/1.1",
                HttpMethod.PUT,
                path,
                Headers.builder().add("Content-Type", "application/json").build(),
                body);
        return expect(dispatcher.dispatch(request), "scale " + kind + " " + name, GenericKubernetesResource.class);
    }

    /** Deletes an object; false when it was not there. */
    boolean delete(ResourceKind kind, String namespace, String name) {
        MockResponse response = dispatcher.local(HttpMethod.DELETE, kind.objectPath(namespace, name), null, null);
        if (response.code() == 404) {
            return false;
        }
        expect(response, "delete " + kind + " " + name, GenericKubernetesResource.class);
        return true;
    }

    private <T extends HasMetadata> T put(T object, String subresource, String manager) {
        ResourceKind kind = ResourceKind.of(object.getKind());
        String path = kind.objectPath(
                        object.getMetadata().getNamespace(),
                        object.getMetadata().getName())
                + subresource
                + fieldManager(manager);
        return expect(
                dispatcher.local(HttpMethod.PUT, path, Serialization.asJson(object), "application/json"),
                "update " + kind + subresource + " " + object.getMetadata().getName(),
                typeOf(object));
    }

    private static String fieldManager(String manager) {
        return "?fieldManager=" + URLEncoder.encode(manager, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> Class<T> typeOf(T object) {
        return (Class<T>) object.getClass();
    }

    private static <T> T expect(MockResponse response, String what, Class<T> type) {
        String body = response.getBody() == null ? "" : response.getBody().readUtf8();
        if (response.code() < 200 || response.code() >= 300) {
            throw new ClusterStore.StoreException(
                    response.code(), what + " failed with HTTP " + response.code() + ": " + body);
        }
        return body.isEmpty() ? null : Serialization.unmarshal(body, type);
    }
}
