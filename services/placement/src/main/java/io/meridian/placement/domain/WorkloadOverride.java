package io.meridian.placement.domain;

import io.meridian.contracts.selector.ClusterSelector;
import java.util.Map;

/**
 * What differs on the clusters a selector picks: a JSON merge patch (RFC 7386) on one manifest, and the two daily
 * shorthands, the image of every container (e.g. the cloud's registry mirror) and the replica count.
 *
 * @param manifest {@code Kind/name} of the manifest the patch applies to; null with no patch
 * @param image null keeps the manifests' images
 * @param replicas null keeps the decided replica count
 */
public record WorkloadOverride(
        ClusterSelector clusters, String manifest, Map<String, Object> mergePatch, String image, Integer replicas) {}
