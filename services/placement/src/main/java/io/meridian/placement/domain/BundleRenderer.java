package io.meridian.placement.domain;

import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.contracts.selector.SelectableLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The objects one generation of a workload puts on one cluster: the revision's manifests with the overrides whose
 * selector picks the cluster (in their order, each: merge patch on its manifest, then the image of every container and
 * init container of every pod template, then the replica count), a {@link PlacementMode#DIVIDED} share's replica
 * count where no override set one, and the workload label and generation annotation on every object.
 */
public final class BundleRenderer {

    /** The annotation that says which workload generation an object belongs to; health gates compare it. */
    public static final String GENERATION_ANNOTATION = "meridian.io/workload-generation";

    /** The kinds that run pods from a template: the ones images, replicas and the pod label go to. */
    static final Set<String> POD_TEMPLATE_KINDS = Set.of("Deployment", "StatefulSet");

    /**
     * Renders {@code revision} for one cluster. Nothing of the revision is changed; the result shares nothing with it.
     *
     * @param clusterLabels the cluster's selectable labels, which the overrides' selectors are matched against
     * @param assignment what the cluster runs; its generation must be the revision's
     */
    public List<Map<String, Object>> render(
            WorkloadRevision revision, String clusterId, SelectableLabels clusterLabels, Assignment assignment) {
        if (assignment.generation() != revision.generation()) {
            // The generation annotation is what health gates read: rendering another generation's content under it
            // would report the wrong thing as available.
            throw new IllegalArgumentException("cluster " + clusterId + " is assigned generation "
                    + assignment.generation() + " of workload " + revision.workload() + ", not "
                    + revision.generation());
        }
        List<Map<String, Object>> objects = new ArrayList<>(revision.manifests().size());
        revision.manifests().forEach(m -> objects.add(MergePatch.copyMap(m)));
        boolean replicasOverridden = false;
        for (WorkloadOverride override : revision.overrides()) {
            ClusterSelector clusters = override.clusters() == null ? ClusterSelector.ALL : override.clusters();
            if (!clusters.matches(clusterLabels)) {
                continue;
            }
            if (override.manifest() != null && override.mergePatch() != null) {
                int index = indexOf(objects, override.manifest());
                if (index >= 0) {
                    objects.set(index, MergePatch.applyTo(objects.get(index), override.mergePatch()));
                }
            }
            if (override.image() != null) {
                objects.forEach(object -> setImage(object, override.image()));
            }
            if (override.replicas() != null) {
                objects.forEach(object -> setReplicas(object, override.replicas()));
                replicasOverridden = true;
            }
        }
        if (revision.mode() == PlacementMode.DIVIDED && !replicasOverridden) {
            objects.forEach(object -> setReplicas(object, assignment.replicas()));
        }
        objects.forEach(object -> stamp(object, revision));
        return List.copyOf(objects);
    }

    /** The {@code Kind/name} a manifest is referred to by (overrides, messages). */
    public static String reference(Map<String, Object> manifest) {
        Object kind = manifest.get("kind");
        Object name = manifest.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("name") : null;
        return kind + "/" + name;
    }

    private static int indexOf(List<Map<String, Object>> objects, String reference) {
        for (int i = 0; i < objects.size(); i++) {
            if (reference(objects.get(i)).equals(reference)) {
                return i;
            }
        }
        return -1;
    }

    private static void stamp(Map<String, Object> object, WorkloadRevision revision) {
        Map<String, Object> metadata = child(object, "metadata");
        metadata.put("namespace", revision.namespace());
        child(metadata, "labels").put(Workload.WORKLOAD_LABEL, revision.workload());
        child(metadata, "annotations").put(GENERATION_ANNOTATION, Long.toString(revision.generation()));
        if (POD_TEMPLATE_KINDS.contains(object.get("kind"))) {
            // The pods carry the workload label (cost aggregates by it) but not the generation: an annotation on the
            // template that changed with every generation would restart every pod even when the pod spec did not.
            Map<String, Object> template = child(child(object, "spec"), "template");
            child(child(template, "metadata"), "labels").put(Workload.WORKLOAD_LABEL, revision.workload());
        }
    }

    private static void setImage(Map<String, Object> object, String image) {
        if (!POD_TEMPLATE_KINDS.contains(object.get("kind"))) {
            return;
        }
        if (object.get("spec") instanceof Map<?, ?> spec
                && spec.get("template") instanceof Map<?, ?> template
                && template.get("spec") instanceof Map<?, ?> podSpec) {
            for (String list : List.of("containers", "initContainers")) {
                if (podSpec.get(list) instanceof List<?> containers) {
                    for (Object container : containers) {
                        if (container instanceof Map<?, ?> c) {
                            asStringMap(c).put("image", image);
                        }
                    }
                }
            }
        }
    }

    private static void setReplicas(Map<String, Object> object, int replicas) {
        if (POD_TEMPLATE_KINDS.contains(object.get("kind"))) {
            child(object, "spec").put("replicas", replicas);
        }
    }

    // The tree is this renderer's own copy (MergePatch.copyMap makes String-keyed LinkedHashMaps all the way down).
    @SuppressWarnings("unchecked")
    private static Map<String, Object> asStringMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        if (parent.get(key) instanceof Map<?, ?> existing) {
            return asStringMap(existing);
        }
        Map<String, Object> created = new LinkedHashMap<>();
        parent.put(key, created);
        return created;
    }
}
