package io.meridian.policy.domain;

import io.meridian.contracts.ObjectRef;
import java.util.Map;

/**
 * An observed object as policies see it: its identity, labels and the whole manifest already converted to CEL
 * values (see {@code CelEnvironment.toCel}); {@code manifest} is {@code null} when the producer trimmed it.
 */
public record FleetObject(
        String clusterId,
        String apiGroup,
        String apiVersion,
        String kind,
        String namespace,
        String name,
        Map<String, String> labels,
        Map<String, Object> manifest) {

    public FleetObject {
        apiGroup = apiGroup == null ? "" : apiGroup;
        labels = labels == null ? Map.of() : labels;
    }

    /** {@code group/kind/namespace/name}, the object part of a compliance key. */
    public String objectKey() {
        return apiGroup + "/" + kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }

    /** The version part of {@code apiVersion} ({@code v1} of {@code apps/v1}). */
    public String version() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    }

    public ObjectRef ref() {
        return new ObjectRef(apiGroup, apiVersion, kind, namespace, name);
    }

    public boolean isNamespace() {
        return apiGroup.isEmpty() && kind.equals("Namespace");
    }
}
