package io.meridian.fleetsim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Changes made to a cluster from outside its normal life: scaling, stray pods, out-of-band edits (drift). */
final class ClusterChanges {

    private static final ResourceKind POD = ResourceKind.of("Pod");
    private static final ResourceKind NODE = ResourceKind.of("Node");
    private static final ResourceKind NAMESPACE = ResourceKind.of("Namespace");
    private static final ResourceKind DEPLOYMENT = ResourceKind.of("Deployment");
    private static final ResourceKind REPLICA_SET = ResourceKind.of("ReplicaSet");
    private static final int MAX_REPLICAS = 500;

    private final ClusterStore store;
    private final Clock clock;
    private final SplittableRandom random;

    ClusterChanges(ClusterProfile profile, ClusterStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        // Its own stream, so changes never disturb how the seeded objects were drawn.
        this.random = new SplittableRandom(profile.seed() ^ 0x636861696E676573L);
    }

    /** Scales a Deployment as its controller would: replicas on the Deployment and ReplicaSet, pods made or removed. */
    synchronized Map<String, Object> scale(String namespace, String deploymentName, int replicas) {
        if (replicas < 0 || replicas > MAX_REPLICAS) {
            throw FleetException.badRequest("replicas must be between 0 and " + MAX_REPLICAS + ", got " + replicas);
        }
        Deployment deployment = store.get(DEPLOYMENT, namespace, deploymentName, Deployment.class);
        if (deployment == null) {
            throw FleetException.notFound("no deployment " + namespace + "/" + deploymentName);
        }
        ReplicaSet replicaSet = store.list(REPLICA_SET, namespace, ReplicaSet.class).stream()
                .filter(rs -> ownedBy(rs.getMetadata().getOwnerReferences(), "Deployment", deploymentName))
                .findFirst()
                .orElseThrow(() -> FleetException.conflict(
                        "deployment " + namespace + "/" + deploymentName + " has no ReplicaSet to scale"));
        String rsName = replicaSet.getMetadata().getName();
        List<Pod> pods = new ArrayList<>(store.list(POD, namespace, Pod.class).stream()
                .filter(p -> ownedBy(p.getMetadata().getOwnerReferences(), "ReplicaSet", rsName))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList());

        List<String> created = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        OwnerReference owner =
                controller("ReplicaSet", rsName, replicaSet.getMetadata().getUid());
        List<Node> nodes = workers();
        while (pods.size() + created.size() < replicas) {
            String name = rsName + "-" + ClusterContents.suffix(random, 5);
            Pod pod = ClusterContents.newPod(
                    replicaSet.getSpec().getTemplate(),
                    namespace,
                    name,
                    owner,
                    pick(nodes),
                    0,
                    clock.instant(),
                    random);
            store.create(pod);
            created.add(name);
        }
        for (int i = pods.size() - 1; i >= replicas; i--) {
            String name = pods.get(i).getMetadata().getName();
            store.delete(POD, namespace, name);
            deleted.add(name);
        }

        replicaSet.getSpec().setReplicas(replicas);
        replicaSet.getStatus().setReplicas(replicas);
        replicaSet.getStatus().setReadyReplicas(replicas);
        replicaSet.getStatus().setAvailableReplicas(replicas);
        store.replace(replicaSet);
        deployment.getSpec().setReplicas(replicas);
        deployment.getStatus().setReplicas(replicas);
        deployment.getStatus().setReadyReplicas(replicas);
        deployment.getStatus().setAvailableReplicas(replicas);
        deployment.getStatus().setUpdatedReplicas(replicas);
        store.replace(deployment);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("namespace", namespace);
        result.put("deployment", deploymentName);
        result.put("replicas", replicas);
        result.put("created", created);
        result.put("deleted", deleted);
        return result;
    }

    /** A pod nobody manages (no owner), e.g. a privileged debug pod that policies should flag. */
    synchronized Pod addPod(String namespace, String name, String image, boolean privileged) {
        if (store.get(NAMESPACE, null, namespace) == null) {
            throw FleetException.badRequest("namespace '" + namespace + "' does not exist");
        }
        if (store.get(POD, namespace, name) != null) {
            throw FleetException.conflict("pod " + namespace + "/" + name + " already exists");
        }
        PodTemplateSpecBuilder template = new PodTemplateSpecBuilder()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(name)
                .withImage(image)
                .withNewResources()
                .addToRequests("cpu", new Quantity("100m"))
                .addToRequests("memory", new Quantity("128Mi"))
                .endResources()
                .endContainer()
                .endSpec();
        if (privileged) {
            template.editSpec()
                    .editFirstContainer()
                    .withNewSecurityContext()
                    .withPrivileged(true)
                    .endSecurityContext()
                    .endContainer()
                    .endSpec();
        }
        PodTemplateSpec spec = template.build();
        Pod pod = ClusterContents.newPod(spec, namespace, name, null, pick(workers()), 0, clock.instant(), random);
        store.create(pod);
        return store.get(POD, namespace, name, Pod.class);
    }

    synchronized boolean deletePod(String namespace, String name) {
        return store.delete(POD, namespace, name);
    }

    /**
     * An out-of-band change: {@code edit} applies a JSON merge patch, {@code delete} removes the object.
     *
     * @return the object after an edit, or null after a delete
     */
    synchronized GenericKubernetesResource drift(
            String action, String kindName, String namespace, String name, Map<String, Object> patch) {
        ResourceKind kind;
        try {
            kind = ResourceKind.of(kindName == null ? "" : kindName);
        } catch (IllegalArgumentException e) {
            throw FleetException.badRequest(e.getMessage());
        }
        if (name == null || name.isBlank()) {
            throw FleetException.badRequest("name is required");
        }
        if (kind.namespaced() && (namespace == null || namespace.isBlank())) {
            throw FleetException.badRequest(kind.kind() + " is namespaced: namespace is required");
        }
        String ns = kind.namespaced() ? namespace : null;
        String what = kind.kind() + " " + (ns == null ? "" : ns + "/") + name;
        switch (action == null ? "" : action) {
            case "edit" -> {
                if (patch == null || patch.isEmpty()) {
                    throw FleetException.badRequest("edit needs a non-empty 'patch' object (a JSON merge patch)");
                }
                GenericKubernetesResource patched = store.mergePatch(kind, ns, name, patch);
                if (patched == null) {
                    throw FleetException.notFound("no " + what);
                }
                return patched;
            }
            case "delete" -> {
                if (!store.delete(kind, ns, name)) {
                    throw FleetException.notFound("no " + what);
                }
                return null;
            }
            default -> throw FleetException.badRequest("action must be 'edit' or 'delete', got '" + action + "'");
        }
    }

    private List<Node> workers() {
        List<Node> nodes = store.list(NODE, null, Node.class);
        List<Node> workers = nodes.stream()
                .filter(n -> n.getMetadata().getLabels() == null
                        || !n.getMetadata().getLabels().containsKey("node-role.meridian.io/system"))
                .toList();
        if (!workers.isEmpty()) {
            return workers;
        }
        if (nodes.isEmpty()) {
            throw FleetException.conflict("the cluster has no nodes to place pods on");
        }
        return nodes;
    }

    private Node pick(List<Node> nodes) {
        return nodes.get(random.nextInt(nodes.size()));
    }

    private static boolean ownedBy(List<OwnerReference> owners, String kind, String name) {
        return owners != null && owners.stream().anyMatch(o -> kind.equals(o.getKind()) && name.equals(o.getName()));
    }

    private static OwnerReference controller(String kind, String name, String uid) {
        return new OwnerReferenceBuilder()
                .withApiVersion("apps/v1")
                .withKind(kind)
                .withName(name)
                .withUid(uid)
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}
