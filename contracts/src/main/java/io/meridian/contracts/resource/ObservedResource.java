package io.meridian.contracts.resource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes object as inventory last observed it, trimmed to what other services use. {@code apiGroup}
 * is the empty string for the core group; {@code namespace} is {@code null} for a cluster-scoped object;
 * {@code owner}, {@code nodeName}, {@code rbac} and {@code storage} are {@code null} where they do not apply.
 * {@code resyncEpoch} is the epoch of the resync (see {@link ResyncMarker}) that last confirmed the object.
 * {@code object} is the whole manifest as read from the cluster (optional, added in 1.1 for rule evaluation), without
 * {@code metadata.managedFields}, the last-applied annotation, or the data of Secrets; {@code null} when the
 * producer trimmed it.
 */
public record ObservedResource(
        String clusterId,
        String apiGroup,
        String apiVersion,
        String kind,
        String namespace,
        String name,
        String uid,
        String resourceVersion,
        Map<String, String> labels,
        Map<String, String> annotations,
        WorkloadRef owner,
        String nodeName,
        List<Container> containers,
        Rbac rbac,
        Storage storage,
        StatusSummary status,
        Instant observedAt,
        long resyncEpoch,
        Map<String, Object> object) {

    public ObservedResource {
        apiGroup = apiGroup == null ? "" : apiGroup;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        containers = containers == null ? List.of() : List.copyOf(containers);
        status = status == null ? StatusSummary.EMPTY : status;
    }

    /** An observed object without its manifest, as producers of the first version wrote it. */
    public ObservedResource(
            String clusterId,
            String apiGroup,
            String apiVersion,
            String kind,
            String namespace,
            String name,
            String uid,
            String resourceVersion,
            Map<String, String> labels,
            Map<String, String> annotations,
            WorkloadRef owner,
            String nodeName,
            List<Container> containers,
            Rbac rbac,
            Storage storage,
            StatusSummary status,
            Instant observedAt,
            long resyncEpoch) {
        this(
                clusterId,
                apiGroup,
                apiVersion,
                kind,
                namespace,
                name,
                uid,
                resourceVersion,
                labels,
                annotations,
                owner,
                nodeName,
                containers,
                rbac,
                storage,
                status,
                observedAt,
                resyncEpoch,
                null);
    }

    /** The same observation without the manifest: what an index keeps to stay small. */
    public ObservedResource withoutObject() {
        return object == null
                ? this
                : new ObservedResource(
                        clusterId,
                        apiGroup,
                        apiVersion,
                        kind,
                        namespace,
                        name,
                        uid,
                        resourceVersion,
                        labels,
                        annotations,
                        owner,
                        nodeName,
                        containers,
                        rbac,
                        storage,
                        status,
                        observedAt,
                        resyncEpoch);
    }

    /** The record key on {@code fleet.resources.v1}: {@code clusterId/apiGroup/kind/namespace/name}. */
    public String key() {
        return key(clusterId, apiGroup, kind, namespace, name);
    }

    /** The record key of an object; the core group and a cluster-scoped namespace are empty segments. */
    public static String key(String clusterId, String apiGroup, String kind, String namespace, String name) {
        return clusterId + "/" + (apiGroup == null ? "" : apiGroup) + "/" + kind + "/"
                + (namespace == null ? "" : namespace) + "/" + name;
    }
}
