package io.meridian.contracts;

import java.util.Objects;

/**
 * Points at one Kubernetes object on a cluster; {@code apiGroup} may be omitted because it is implied by
 * {@code apiVersion}, and {@code namespace} is {@code null} for a cluster-scoped object.
 */
public record ObjectRef(String apiGroup, String apiVersion, String kind, String namespace, String name) {

    public ObjectRef {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /** The API group, taken from {@code apiVersion} when not given; the empty string for the core group. */
    public String group() {
        if (apiGroup != null) {
            return apiGroup;
        }
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** {@code group/kind/namespace/name}, with empty segments for the core group and cluster scope. */
    public String key() {
        return group() + "/" + kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }
}
