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

    // Compact JSON of what stamp() may add to one object when the manifest has none of it: "metadata":{},
    // "namespace":"",  "labels":{}, "meridian.io/workload":"", "annotations":{},
    // "meridian.io/workload-generation":"<a long's 20 characters>" with their commas.
    private static final long OBJECT_STAMP_BYTES = 14 + 15 + 12 + 26 + 17 + 57;
    // To a pod template kind: "spec":{}, "template":{}, "metadata":{}, "labels":{}, "meridian.io/workload":"",
    // and "replicas":<int> (an override's or a Divided share's).
    private static final long POD_TEMPLATE_STAMP_BYTES = 10 + 14 + 14 + 12 + 26 + 23;
    // "image":"", with its comma, where a container had none (a manifest's image is replaced, so this is more).
    private static final long IMAGE_FIELD_BYTES = 11;

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

    /**
     * At most how many bytes {@link #render} adds, on any cluster, to the compact JSON of the revision's manifests and
     * its overrides' merge patches: the stamps on every object, a replica count on every pod template, and the longest
     * override image on every container a manifest or a patch holds (a patch's list replaces the manifest's, so the
     * rendering never holds more containers than both). The reconciler sizes a workload by this without rendering it for
     * every cluster, so it must be a bound, not a guess. It is one for revisions {@link ManifestRules} accepted: a patch
     * keeps its manifest's kind, and names and images need no escaping in JSON.
     */
    public static long bytesAddedAtMost(WorkloadRevision revision) {
        long longestImage = 0;
        long containers = 0;
        for (WorkloadOverride override : revision.overrides()) {
            if (override.image() != null) {
                longestImage = Math.max(longestImage, override.image().length());
            }
            containers += containersIn(override.mergePatch());
        }
        long podTemplates = 0;
        for (Map<String, Object> manifest : revision.manifests()) {
            if (POD_TEMPLATE_KINDS.contains(manifest.get("kind"))) {
                podTemplates++;
                containers += containersIn(manifest);
            }
        }
        long perObject = OBJECT_STAMP_BYTES
                + revision.namespace().length()
                + revision.workload().length();
        long perPodTemplate = POD_TEMPLATE_STAMP_BYTES + revision.workload().length();
        long images = longestImage == 0 ? 0 : containers * (IMAGE_FIELD_BYTES + longestImage);
        return perObject * revision.manifests().size() + perPodTemplate * podTemplates + images;
    }

    private static long containersIn(Object tree) {
        long count = 0;
        if (tree instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (("containers".equals(e.getKey()) || "initContainers".equals(e.getKey()))
                        && e.getValue() instanceof List<?> list) {
                    count += list.size();
                } else {
                    count += containersIn(e.getValue());
                }
            }
        } else if (tree instanceof List<?> list) {
            for (Object item : list) {
                count += containersIn(item);
            }
        }
        return count;
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
