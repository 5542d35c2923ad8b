package io.meridian.fleetsim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code scale} subresource of Deployments, StatefulSets and ReplicaSets ({@code autoscaling/v1 Scale}), which
 * the fabric8 mock does not know (it would store the Scale in place of the object). A read answers the Scale of the
 * object; a write changes only the object's {@code spec.replicas}, as {@code kubectl scale} and the HPA expect.
 */
final class ScaleSubresource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile(
            "^(/apis/apps/v1/namespaces/[^/]+/(?:deployments|statefulsets|replicasets)/[^/?]+)/scale(\\?.*)?$");

    private ScaleSubresource() {}

    /** The object a scale path belongs to, with the request's query (e.g. {@code ?fieldManager=...}) kept. */
    record Target(String objectPath, String query) {

        String objectPathWithQuery() {
            return objectPath + query;
        }
    }

    /** The target of a {@code .../scale} path, or null for any other path. */
    static Target match(String path) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return null;
        }
        return new Target(m.group(1), m.group(2) == null ? "" : m.group(2));
    }

    /** Answers {@code GET .../scale}. */
    static MockResponse get(Target target, Function<String, MockResponse> getObject) {
        MockResponse object = getObject.apply(target.objectPath());
        if (object.code() != 200) {
            return object;
        }
        return ok(scaleOf(read(body(object))));
    }

    /**
     * Answers a {@code PUT} (a Scale) or {@code PATCH} (JSON merge patch or JSON patch of a Scale) on
     * {@code .../scale}: writes the object with the new {@code spec.replicas} through {@code putObject}.
     */
    static MockResponse update(
            Target target,
            String method,
            String requestBody,
            Function<String, MockResponse> getObject,
            BiFunction<String, String, MockResponse> putObject) {
        MockResponse current = getObject.apply(target.objectPath());
        if (current.code() != 200) {
            return current;
        }
        ObjectNode object = read(body(current));
        JsonNode request;
        try {
            request = JSON.readTree(requestBody == null ? "" : requestBody);
        } catch (JsonProcessingException e) {
            return status(400, "BadRequest", "the body is not a Scale: " + e.getOriginalMessage());
        }
        JsonNode replicas = "PUT".equals(method) || request.isObject()
                ? request.path("spec").path("replicas")
                : jsonPatchReplicas(request);
        if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
            return status(
                    422,
                    "Invalid",
                    "Scale.autoscaling \"" + name(object) + "\" is invalid: spec.replicas must be >= 0");
        }
        String wanted = request.path("metadata").path("resourceVersion").asText("");
        String stored = object.path("metadata").path("resourceVersion").asText("");
        if (!wanted.isEmpty() && !wanted.equals(stored)) {
            return status(
                    409,
                    "Conflict",
                    "Operation cannot be fulfilled on " + plural(target) + " \"" + name(object)
                            + "\": the object has been modified; please apply your changes to the latest version and"
                            + " try again");
        }
        object.withObject("/spec").put("replicas", replicas.asInt());
        MockResponse written = putObject.apply(target.objectPathWithQuery(), object.toString());
        if (written.code() < 200 || written.code() >= 300) {
            return written;
        }
        return ok(scaleOf(read(body(written))));
    }

    private static JsonNode jsonPatchReplicas(JsonNode patch) {
        for (JsonNode op : patch) {
            if ("/spec/replicas".equals(op.path("path").asText())
                    && ("replace".equals(op.path("op").asText())
                            || "add".equals(op.path("op").asText()))) {
                return op.path("value");
            }
        }
        return JSON.missingNode();
    }

    /** The {@code autoscaling/v1 Scale} of an object. */
    static ObjectNode scaleOf(ObjectNode object) {
        ObjectNode scale = JSON.createObjectNode();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        JsonNode source = object.path("metadata");
        for (String field : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (source.hasNonNull(field)) {
                metadata.set(field, source.get(field));
            }
        }
        JsonNode specReplicas = object.path("spec").path("replicas");
        scale.putObject("spec").put("replicas", specReplicas.canConvertToInt() ? specReplicas.asInt() : 1);
        ObjectNode status = scale.putObject("status");
        status.put("replicas", object.path("status").path("replicas").asInt(0));
        JsonNode matchLabels = object.path("spec").path("selector").path("matchLabels");
        if (matchLabels.isObject() && !matchLabels.isEmpty()) {
            Map<String, String> sorted = new TreeMap<>();
            matchLabels
                    .fields()
                    .forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
            status.put(
                    "selector",
                    sorted.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(",")));
        }
        return scale;
    }

    private static String plural(Target target) {
        String path = target.objectPath();
        String withoutName = path.substring(0, path.lastIndexOf('/'));
        return withoutName.substring(withoutName.lastIndexOf('/') + 1) + ".apps";
    }

    private static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    private static ObjectNode read(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("the store holds an unreadable object", e);
        }
    }

    private static String body(MockResponse response) {
        return response.getBody() == null ? "" : response.getBody().readUtf8();
    }

    private static MockResponse ok(ObjectNode scale) {
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "application/json")
                .setBody(scale.toString());
    }

    private static MockResponse status(int code, String reason, String message) {
        ObjectNode status = JSON.createObjectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        status.put("code", code);
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody(status.toString());
    }
}
