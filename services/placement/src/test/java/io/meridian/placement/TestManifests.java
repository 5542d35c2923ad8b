package io.meridian.placement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Manifests and workload bodies the placement tests declare. */
public final class TestManifests {

    private TestManifests() {}

    /** A Deployment of two replicas whose selector and pod template use the label {@code app=<app>}. */
    public static Map<String, Object> deployment(String name, String image, String app) {
        return deployment(name, app, Map.of("name", name, "image", image));
    }

    /** The same with the one container given. */
    public static Map<String, Object> deployment(String name, String app, Map<String, Object> container) {
        return Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", name),
                "spec",
                Map.of(
                        "replicas", 2,
                        "selector", Map.of("matchLabels", Map.of("app", app)),
                        "template",
                                Map.of(
                                        "metadata", Map.of("labels", Map.of("app", app)),
                                        "spec", Map.of("containers", List.of(container)))));
    }

    /** The workload's ConfigMap, {@code <name>-config}, holding {@code data}. */
    public static Map<String, Object> configMap(String name, Map<String, Object> data) {
        return Map.of(
                "apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", name + "-config"), "data", data);
    }

    /**
     * A workload body for {@code POST /api/v1/workloads}: a Deployment {@code <name>} of {@code image} requesting
     * 100m CPU and 128Mi per replica, and its ConfigMap, on the clusters labelled {@code test=<scope>}.
     */
    public static Map<String, Object> workload(
            String name,
            String namespace,
            String scope,
            String image,
            Map<String, Object> placementExtras,
            Map<String, Object> extras) {
        Map<String, Object> placement = new LinkedHashMap<>();
        placement.put("clusterSelector", Map.of("labelSelector", "test=" + scope));
        placement.putAll(placementExtras);
        Map<String, Object> container = Map.of(
                "name",
                "app",
                "image",
                image,
                "resources",
                Map.of("requests", Map.of("cpu", "100m", "memory", "128Mi")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("namespace", namespace);
        body.put("manifests", List.of(deployment(name, name, container), configMap(name, Map.of("greeting", "hello"))));
        body.put("placement", placement);
        body.putAll(extras);
        return body;
    }
}
