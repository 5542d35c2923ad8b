package io.meridian.placement;

import java.util.List;
import java.util.Map;

/** Manifests the placement tests declare in workloads. */
public final class TestManifests {

    private TestManifests() {}

    /** A Deployment of two replicas whose selector and pod template use the label {@code app=<app>}. */
    public static Map<String, Object> deployment(String name, String image, String app) {
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
                                        "spec", Map.of("containers", List.of(Map.of("name", name, "image", image))))));
    }
}
