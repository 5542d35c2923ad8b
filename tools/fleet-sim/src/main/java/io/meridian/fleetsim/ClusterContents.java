package io.meridian.fleetsim;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.meridian.fleetsim.WorkloadSpec.Kind;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Grows the objects of one simulated cluster from its profile: the same profile, target and reference time always
 * give the same objects, down to names, UIDs and IP addresses.
 */
public final class ClusterContents {

    /** Kubernetes' alphabet for generated name suffixes (no vowels, no look-alikes). */
    static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    static final String KUBERNETES_VERSION = "v1.31.4";
    static final String ISTIO_PROXY_IMAGE = "docker.io/istio/proxyv2:1.24.1";

    private static final int MAX_DEPLOYMENT_REPLICAS = 10;
    private static final int MAX_STATEFULSET_REPLICAS = 5;
    private static final int OBJECTS_PER_NODE_TARGET = 30;
    private static final int MAX_NODES = 500;
    private static final int RBAC_OBJECTS = 5 + 3 * WorkloadCatalog.TEAM_NAMESPACES.size();

    private final ClusterProfile profile;
    private final Cloud cloud;
    private final SplittableRandom random;
    private final Instant now;
    private final List<HasMetadata> out = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    // Requests of the pods placed so far, per node name: CPU in millicores and memory in bytes.
    private final Map<String, long[]> requested = new HashMap<>();
    private int unschedulable;
    private final String azureSubscription;
    private final String gcpProject;
    private final int clusterOctet;

    private ClusterContents(ClusterProfile profile, Instant now) {
        this.profile = profile;
        this.cloud = profile.cloud();
        this.random = new SplittableRandom(profile.seed());
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
        this.azureSubscription = uuid(random).toString();
        this.gcpProject = "meridian-" + profile.environment() + "-" + (100000 + random.nextInt(900000));
        this.clusterOctet = random.nextInt(250);
    }

    /**
     * The objects of a cluster, about {@code target} of them (never fewer than the base set of about 130).
     *
     * @param now the reference time pod start times and ages are computed back from
     */
    public static List<HasMetadata> generate(ClusterProfile profile, int target, Instant now) {
        // Like a cluster autoscaler: a pod that fits on no node asks for another node. Each attempt starts from the
        // same seed, so the result stays a function of profile, target and time.
        int nodeCount = Math.max(3, (int) Math.ceil((double) target / OBJECTS_PER_NODE_TARGET));
        while (true) {
            ClusterContents contents = new ClusterContents(profile, now);
            List<HasMetadata> objects = contents.build(target, nodeCount);
            if (contents.unschedulable == 0 || nodeCount >= MAX_NODES) {
                return objects;
            }
            nodeCount++;
        }
    }

    private List<HasMetadata> build(int target, int nodeCount) {
        List<WorkloadSpec> workloads = plan(target, nodeCount);

        WorkloadCatalog.NAMESPACES.forEach(ns -> out.add(namespace(ns)));
        storageClasses();
        for (int i = 0; i < nodeCount; i++) {
            Node node = node(i);
            nodes.add(node);
            out.add(node);
        }
        rbac();
        // Node agents come first, as their priority class gives them on a real cluster.
        for (WorkloadSpec w : workloads) {
            if (w.kind() == Kind.DAEMONSET) {
                PodTemplateSpec template = template(w);
                nodes.forEach(node -> reserve(node, template));
            }
        }
        workloads.forEach(this::workload);
        return out;
    }

    /** Base workloads, then more replicas round robin, then more services, until the target is reached. */
    private List<WorkloadSpec> plan(int target, int nodeCount) {
        List<WorkloadSpec> workloads = new ArrayList<>(WorkloadCatalog.base(profile));
        int fixed = WorkloadCatalog.NAMESPACES.size() + 2 + nodeCount + RBAC_OBJECTS;
        int total = fixed
                + workloads.stream().mapToInt(w -> w.objectCount(nodeCount)).sum();
        int cursor = 0;
        int extras = 0;
        while (total < target) {
            int grown = -1;
            for (int step = 0; step < workloads.size() && grown < 0; step++) {
                int i = (cursor + step) % workloads.size();
                if (growable(workloads.get(i))) {
                    grown = i;
                }
            }
            if (grown < 0) {
                WorkloadSpec extra = WorkloadCatalog.extra(profile, extras++);
                workloads.add(extra);
                total += extra.objectCount(nodeCount);
                continue;
            }
            WorkloadSpec before = workloads.get(grown);
            WorkloadSpec after = before.withReplicas(before.replicas() + 1);
            workloads.set(grown, after);
            total += after.objectCount(nodeCount) - before.objectCount(nodeCount);
            cursor = grown + 1;
        }
        return workloads;
    }

    private static boolean growable(WorkloadSpec w) {
        boolean team = WorkloadCatalog.TEAM_NAMESPACES.contains(w.namespace());
        return team
                && switch (w.kind()) {
                    case DEPLOYMENT -> w.replicas() < MAX_DEPLOYMENT_REPLICAS;
                    case STATEFULSET -> w.replicas() < MAX_STATEFULSET_REPLICAS;
                    case DAEMONSET -> false;
                };
    }

    // ---- cluster-scoped basics -------------------------------------------------------------------------

    private Namespace namespace(String name) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/metadata.name", name);
        if (WorkloadCatalog.TEAM_NAMESPACES.contains(name)) {
            labels.put("team", name);
            labels.put("istio-injection", "enabled");
        }
        return new NamespaceBuilder()
                .withMetadata(meta(name, null).withLabels(labels).build())
                .withNewStatus()
                .withPhase("Active")
                .endStatus()
                .build();
    }

    private void storageClasses() {
        Cloud.StorageFlavour main = cloud.storage();
        out.add(new StorageClassBuilder()
                .withMetadata(meta(main.className(), null)
                        .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true")
                        .build())
                .withProvisioner(main.provisioner())
                .withParameters(main.parameters())
                .withReclaimPolicy("Delete")
                .withVolumeBindingMode(cloud == Cloud.ONPREM ? "Immediate" : "WaitForFirstConsumer")
                .withAllowVolumeExpansion(true)
                .build());
        // The second class each platform ships: older default, premium tier, or shared filesystem.
        String[] second = switch (cloud) {
            case AWS -> new String[] {"gp2", "kubernetes.io/aws-ebs", "type", "gp2"};
            case AZURE -> new String[] {"managed-csi-premium", "disk.csi.azure.com", "skuname", "Premium_LRS"};
            case GCP -> new String[] {"standard-rwo", "pd.csi.storage.gke.io", "type", "pd-balanced"};
            case ONPREM -> new String[] {"cephfs", "cephfs.csi.ceph.com", "fsName", "myfs"};
        };
        out.add(new StorageClassBuilder()
                .withMetadata(meta(second[0], null).build())
                .withProvisioner(second[1])
                .withParameters(Map.of(second[2], second[3]))
                .withReclaimPolicy("Delete")
                .withVolumeBindingMode("WaitForFirstConsumer")
                .build());
    }

    private Node node(int index) {
        List<Cloud.InstanceType> types = cloud.instanceTypes();
        boolean system = index < 2;
        boolean spot = !system && cloud.hasSpot() && index % 4 == 3;
        String pool = system ? "system" : spot ? "spot" : "general";
        Cloud.InstanceType type = system ? types.getFirst() : types.get(random.nextInt(types.size()));
        List<String> zones = profile.region().zones();
        String zone = zones.get(index % zones.size());
        String ip = "10." + clusterOctet + "." + (index / 200) + "." + (10 + index % 200);

        String name;
        String providerId;
        Map<String, String> labels = new LinkedHashMap<>();
        switch (cloud) {
            case AWS -> {
                String dashed = "ip-" + ip.replace('.', '-');
                name = "us-east-1".equals(profile.region().name())
                        ? dashed + ".ec2.internal"
                        : dashed + "." + profile.region().name() + ".compute.internal";
                providerId = "aws:///" + zone + "/i-0" + hex(16);
                labels.put("eks.amazonaws.com/nodegroup", profile.name() + "-" + pool);
                labels.putAll(spot ? cloud.spotLabels() : cloud.onDemandLabels());
            }
            case AZURE -> {
                String scaleSet = "aks-" + pool + "pool-" + poolDigits(pool) + "-vmss";
                name = scaleSet + String.format("%06d", index);
                providerId = "azure:///subscriptions/" + azureSubscription + "/resourceGroups/mc_rg-"
                        + profile.name() + "_" + profile.name() + "_"
                        + profile.region().name()
                        + "/providers/Microsoft.Compute/virtualMachineScaleSets/" + scaleSet + "/virtualMachines/"
                        + index;
                labels.put("kubernetes.azure.com/agentpool", pool + "pool");
                if (spot) {
                    labels.putAll(cloud.spotLabels());
                }
            }
            case GCP -> {
                name = "gke-" + profile.name() + "-" + pool + "-pool-" + hex(8) + "-" + suffix(4);
                providerId = "gce://" + gcpProject + "/" + zone + "/" + name;
                labels.put("cloud.google.com/gke-nodepool", pool + "-pool");
                labels.put(
                        "cloud.google.com/machine-family",
                        type.name().substring(0, type.name().indexOf('-')));
                if (spot) {
                    labels.putAll(cloud.spotLabels());
                }
            }
            case ONPREM -> {
                name = profile.region().code() + "-" + zone.substring(zone.lastIndexOf('-') + 1) + "-node"
                        + String.format("%02d", index + 1);
                // Half of the data centres run Metal3, which sets a provider ID; the others are hand-built.
                providerId = (profile.seed() & 1) == 0 ? "metal3://metal3/bmh-" + name + "/" + name : null;
            }
            default -> throw new IllegalStateException(cloud.name());
        }
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("node.kubernetes.io/instance-type", type.name());
        labels.put("topology.kubernetes.io/region", profile.region().name());
        labels.put("topology.kubernetes.io/zone", zone);
        if (system) {
            labels.put("node-role.meridian.io/system", "true");
        }

        int allocatableMillis = type.cpuCores() * 1000 - (type.cpuCores() <= 4 ? 80 : type.cpuCores() <= 8 ? 90 : 190);
        long capacityKi = type.memoryGi() * 1024L * 1024L - 310_000L;
        long allocatableKi = capacityKi - (type.memoryGi() <= 16 ? 1_500_000L : 2_600_000L);
        String[] os = switch (cloud) {
            case AWS -> new String[] {"Amazon Linux 2023.6.20241121", "6.1.115-126.197.amzn2023.x86_64"};
            case AZURE -> new String[] {"Ubuntu 22.04.5 LTS", "5.15.0-1075-azure"};
            case GCP -> new String[] {"Container-Optimized OS from Google", "6.1.112+"};
            case ONPREM -> new String[] {"Ubuntu 24.04.1 LTS", "6.8.0-49-generic"};
        };
        String since = iso(now.minus(Duration.ofHours(24 + random.nextInt(24 * 60))));
        NodeBuilder builder = new NodeBuilder()
                .withMetadata(meta(name, null)
                        .withLabels(labels)
                        .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                        .build())
                .withNewSpec()
                .withProviderID(providerId)
                .withPodCIDR("10." + clusterOctet + "." + (64 + index) + ".0/24")
                .endSpec()
                .withNewStatus()
                .addToCapacity("cpu", new Quantity(Integer.toString(type.cpuCores())))
                .addToCapacity("memory", new Quantity(capacityKi + "Ki"))
                .addToCapacity("pods", new Quantity(Integer.toString(type.maxPods())))
                .addToCapacity("ephemeral-storage", new Quantity("104845292Ki"))
                .addToAllocatable("cpu", new Quantity(allocatableMillis + "m"))
                .addToAllocatable("memory", new Quantity(allocatableKi + "Ki"))
                .addToAllocatable("pods", new Quantity(Integer.toString(type.maxPods())))
                .addToAllocatable("ephemeral-storage", new Quantity("95551679080"))
                .addNewCondition()
                .withType("MemoryPressure")
                .withStatus("False")
                .withReason("KubeletHasSufficientMemory")
                .withLastTransitionTime(since)
                .withLastHeartbeatTime(iso(now))
                .endCondition()
                .addNewCondition()
                .withType("DiskPressure")
                .withStatus("False")
                .withReason("KubeletHasNoDiskPressure")
                .withLastTransitionTime(since)
                .withLastHeartbeatTime(iso(now))
                .endCondition()
                .addNewCondition()
                .withType("PIDPressure")
                .withStatus("False")
                .withReason("KubeletHasSufficientPID")
                .withLastTransitionTime(since)
                .withLastHeartbeatTime(iso(now))
                .endCondition()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .withReason("KubeletReady")
                .withMessage("kubelet is posting ready status")
                .withLastTransitionTime(since)
                .withLastHeartbeatTime(iso(now))
                .endCondition()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress(ip)
                .endAddress()
                .addNewAddress()
                .withType("Hostname")
                .withAddress(name)
                .endAddress()
                .withNewNodeInfo()
                .withArchitecture("amd64")
                .withOperatingSystem("linux")
                .withOsImage(os[0])
                .withKernelVersion(os[1])
                .withContainerRuntimeVersion("containerd://1.7.23")
                .withKubeletVersion(KUBERNETES_VERSION + cloud.versionSuffix())
                .withKubeProxyVersion(KUBERNETES_VERSION + cloud.versionSuffix())
                .withMachineID(hex(32))
                .withSystemUUID(uuid(random).toString())
                .withBootID(uuid(random).toString())
                .endNodeInfo()
                .endStatus();
        if (spot && cloud == Cloud.AZURE) {
            builder.editSpec()
                    .addNewTaint()
                    .withKey("kubernetes.azure.com/scalesetpriority")
                    .withValue("spot")
                    .withEffect("NoSchedule")
                    .endTaint()
                    .endSpec();
        }
        return builder.build();
    }

    private final Map<String, String> poolDigits = new HashMap<>();

    private String poolDigits(String pool) {
        return poolDigits.computeIfAbsent(pool, p -> Integer.toString(10_000_000 + random.nextInt(89_999_999)));
    }

    /** System roles every cluster has, team roles, and two risky objects nobody manages. */
    private void rbac() {
        out.add(new ClusterRoleBuilder()
                .withMetadata(meta("cluster-admin", null)
                        .addToLabels("kubernetes.io/bootstrapping", "rbac-defaults")
                        .addToAnnotations("rbac.authorization.kubernetes.io/autoupdate", "true")
                        .build())
                .addToRules(new PolicyRuleBuilder()
                        .withApiGroups("*")
                        .withResources("*")
                        .withVerbs("*")
                        .build())
                .addToRules(new PolicyRuleBuilder()
                        .withNonResourceURLs("*")
                        .withVerbs("*")
                        .build())
                .build());
        out.add(new ClusterRoleBuilder()
                .withMetadata(meta("view", null)
                        .addToLabels("kubernetes.io/bootstrapping", "rbac-defaults")
                        .build())
                .addToRules(new PolicyRuleBuilder()
                        .withApiGroups("", "apps", "batch")
                        .withResources("pods", "services", "deployments", "statefulsets", "jobs", "configmaps")
                        .withVerbs("get", "list", "watch")
                        .build())
                .build());
        out.add(new ClusterRoleBindingBuilder()
                .withMetadata(meta("cluster-admin", null)
                        .addToLabels("kubernetes.io/bootstrapping", "rbac-defaults")
                        .build())
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                .addToSubjects(new SubjectBuilder()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("Group")
                        .withName("system:masters")
                        .build())
                .build());
        // Risky and unmanaged: a wildcard role someone created while debugging, and a personal admin binding.
        out.add(new ClusterRoleBuilder()
                .withMetadata(meta("ops-debug-all", null).build())
                .addToRules(new PolicyRuleBuilder()
                        .withApiGroups("*")
                        .withResources("*")
                        .withVerbs("*")
                        .build())
                .build());
        out.add(new ClusterRoleBindingBuilder()
                .withMetadata(meta("legacy-admin-jdoe", null).build())
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                .addToSubjects(new SubjectBuilder()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("User")
                        .withName("j.doe@example.com")
                        .build())
                .build());
        for (String ns : WorkloadCatalog.TEAM_NAMESPACES) {
            out.add(new ServiceAccountBuilder()
                    .withMetadata(meta(ns + "-ci", ns).build())
                    .build());
            out.add(new RoleBuilder()
                    .withMetadata(meta(ns + "-deployer", ns).build())
                    .addToRules(new PolicyRuleBuilder()
                            .withApiGroups("", "apps")
                            .withResources("deployments", "statefulsets", "services", "configmaps", "pods")
                            .withVerbs("get", "list", "watch", "create", "update", "patch")
                            .build())
                    .build());
            out.add(new RoleBindingBuilder()
                    .withMetadata(meta(ns + "-deployers", ns).build())
                    .withNewRoleRef("rbac.authorization.k8s.io", "Role", ns + "-deployer")
                    .addToSubjects(new SubjectBuilder()
                            .withApiGroup("rbac.authorization.k8s.io")
                            .withKind("Group")
                            .withName(ns + "-devs")
                            .build())
                    .addToSubjects(new SubjectBuilder()
                            .withKind("ServiceAccount")
                            .withName(ns + "-ci")
                            .withNamespace(ns)
                            .build())
                    .build());
        }
    }

    // ---- workloads ----------------------------------------------------------------------------------

    private void workload(WorkloadSpec w) {
        PodTemplateSpec template = template(w);
        switch (w.kind()) {
            case DEPLOYMENT -> {
                String uid = uuid(random).toString();
                String hash = suffix(10);
                out.add(new DeploymentBuilder()
                        .withMetadata(meta(w.name(), w.namespace())
                                .withUid(uid)
                                .withLabels(template.getMetadata().getLabels())
                                .addToAnnotations("deployment.kubernetes.io/revision", "1")
                                .build())
                        .withNewSpec()
                        .withReplicas(w.replicas())
                        .withNewSelector()
                        .addToMatchLabels("app", w.name())
                        .endSelector()
                        .withTemplate(template)
                        .endSpec()
                        .withNewStatus()
                        .withReplicas(w.replicas())
                        .withReadyReplicas(w.replicas())
                        .withAvailableReplicas(w.replicas())
                        .withUpdatedReplicas(w.replicas())
                        .withObservedGeneration(1L)
                        .endStatus()
                        .build());
                String rsName = w.name() + "-" + hash;
                String rsUid = uuid(random).toString();
                PodTemplateSpec rsTemplate = new PodTemplateSpecBuilder(template)
                        .editMetadata()
                        .addToLabels("pod-template-hash", hash)
                        .endMetadata()
                        .build();
                out.add(new ReplicaSetBuilder()
                        .withMetadata(meta(rsName, w.namespace())
                                .withUid(rsUid)
                                .withLabels(rsTemplate.getMetadata().getLabels())
                                .addToAnnotations("deployment.kubernetes.io/revision", "1")
                                .withOwnerReferences(owner("apps/v1", "Deployment", w.name(), uid))
                                .build())
                        .withNewSpec()
                        .withReplicas(w.replicas())
                        .withNewSelector()
                        .addToMatchLabels("app", w.name())
                        .addToMatchLabels("pod-template-hash", hash)
                        .endSelector()
                        .withTemplate(rsTemplate)
                        .endSpec()
                        .withNewStatus()
                        .withReplicas(w.replicas())
                        .withReadyReplicas(w.replicas())
                        .withAvailableReplicas(w.replicas())
                        .endStatus()
                        .build());
                OwnerReference rsOwner = owner("apps/v1", "ReplicaSet", rsName, rsUid);
                for (int i = 0; i < w.replicas(); i++) {
                    out.add(pod(
                            rsTemplate,
                            w.namespace(),
                            rsName + "-" + suffix(5),
                            rsOwner,
                            nodeFor(rsTemplate),
                            restarts(w)));
                }
            }
            case STATEFULSET -> {
                String uid = uuid(random).toString();
                out.add(new StatefulSetBuilder()
                        .withMetadata(meta(w.name(), w.namespace())
                                .withUid(uid)
                                .withLabels(template.getMetadata().getLabels())
                                .build())
                        .withNewSpec()
                        .withReplicas(w.replicas())
                        .withServiceName(w.name())
                        .withNewSelector()
                        .addToMatchLabels("app", w.name())
                        .endSelector()
                        .withTemplate(template)
                        .addNewVolumeClaimTemplate()
                        .withNewMetadata()
                        .withName("data")
                        .endMetadata()
                        .withNewSpec()
                        .withAccessModes("ReadWriteOnce")
                        .withStorageClassName(cloud.storage().className())
                        .withNewResources()
                        .addToRequests("storage", new Quantity(w.storageGi() + "Gi"))
                        .endResources()
                        .endSpec()
                        .endVolumeClaimTemplate()
                        .endSpec()
                        .withNewStatus()
                        .withReplicas(w.replicas())
                        .withReadyReplicas(w.replicas())
                        .withCurrentReplicas(w.replicas())
                        .withObservedGeneration(1L)
                        .endStatus()
                        .build());
                OwnerReference stsOwner = owner("apps/v1", "StatefulSet", w.name(), uid);
                for (int i = 0; i < w.replicas(); i++) {
                    Node node = nodeFor(template);
                    String claim = "data-" + w.name() + "-" + i;
                    PodTemplateSpec withVolume = new PodTemplateSpecBuilder(template)
                            .editSpec()
                            .addNewVolume()
                            .withName("data")
                            .withNewPersistentVolumeClaim()
                            .withClaimName(claim)
                            .endPersistentVolumeClaim()
                            .endVolume()
                            .endSpec()
                            .build();
                    out.add(pod(withVolume, w.namespace(), w.name() + "-" + i, stsOwner, node, restarts(w)));
                    if (w.storageGi() > 0) {
                        volume(w, claim, node);
                    }
                }
            }
            case DAEMONSET -> {
                String uid = uuid(random).toString();
                out.add(new DaemonSetBuilder()
                        .withMetadata(meta(w.name(), w.namespace())
                                .withUid(uid)
                                .withLabels(template.getMetadata().getLabels())
                                .build())
                        .withNewSpec()
                        .withNewSelector()
                        .addToMatchLabels("app", w.name())
                        .endSelector()
                        .withTemplate(template)
                        .endSpec()
                        .withNewStatus()
                        .withDesiredNumberScheduled(nodes.size())
                        .withCurrentNumberScheduled(nodes.size())
                        .withNumberReady(nodes.size())
                        .withNumberAvailable(nodes.size())
                        .withNumberMisscheduled(0)
                        .endStatus()
                        .build());
                OwnerReference dsOwner = owner("apps/v1", "DaemonSet", w.name(), uid);
                for (Node node : nodes) {
                    out.add(pod(template, w.namespace(), w.name() + "-" + suffix(5), dsOwner, node, restarts(w)));
                }
            }
        }
        if (w.serviceType() != null) {
            out.add(service(w));
        }
    }

    private PodTemplateSpec template(WorkloadSpec w) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app", w.name());
        labels.put("app.kubernetes.io/name", w.name());
        String image = w.image();
        String tag = image.substring(image.lastIndexOf(':') + 1);
        labels.put("app.kubernetes.io/version", tag);
        if (WorkloadCatalog.TEAM_NAMESPACES.contains(w.namespace())) {
            labels.put("team", w.namespace());
        }
        // Node agents run privileged on the host network, as they do on real clusters.
        boolean nodeAgent = w.kind() == Kind.DAEMONSET;
        ResourceRequirementsBuilder resources = new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(w.cpuMillis() + "m"))
                .addToRequests("memory", new Quantity(w.memoryMi() + "Mi"));
        if (w.limits()) {
            resources.addToLimits("cpu", new Quantity(w.cpuMillis() * 2 + "m"));
            resources.addToLimits("memory", new Quantity(w.memoryMi() * 2 + "Mi"));
        }
        ContainerBuilder main = new ContainerBuilder()
                .withName(w.name())
                .withImage(image)
                .withImagePullPolicy("latest".equals(tag) ? "Always" : "IfNotPresent")
                .withResources(resources.build());
        if (w.port() > 0) {
            main.addNewPort().withContainerPort(w.port()).withProtocol("TCP").endPort();
        }
        if (nodeAgent) {
            main.withNewSecurityContext().withPrivileged(true).endSecurityContext();
        }
        PodTemplateSpecBuilder template = new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addToContainers(main.build())
                .withServiceAccountName(
                        WorkloadCatalog.TEAM_NAMESPACES.contains(w.namespace()) ? w.namespace() + "-ci" : "default")
                .withHostNetwork(nodeAgent ? Boolean.TRUE : null)
                .endSpec();
        if (w.meshed()) {
            template.editMetadata()
                    .addToAnnotations("sidecar.istio.io/status", "{\"containers\":[\"istio-proxy\"]}")
                    .endMetadata()
                    .editSpec()
                    .addNewContainer()
                    .withName("istio-proxy")
                    .withImage(ISTIO_PROXY_IMAGE)
                    .withNewResources()
                    .addToRequests("cpu", new Quantity("100m"))
                    .addToRequests("memory", new Quantity("128Mi"))
                    .addToLimits("cpu", new Quantity("2"))
                    .addToLimits("memory", new Quantity("1Gi"))
                    .endResources()
                    .endContainer()
                    .endSpec();
        }
        return template.build();
    }

    private int restarts(WorkloadSpec w) {
        // The legacy worker crash-loops now and then; most pods never restarted.
        if (w.name().equals("etl-worker")) {
            return 5 + random.nextInt(20);
        }
        return random.nextInt(10) == 0 ? 1 + random.nextInt(3) : 0;
    }

    private Pod pod(
            PodTemplateSpec template, String namespace, String name, OwnerReference owner, Node node, int restarts) {
        Instant started = now.minus(Duration.ofMinutes(5 + random.nextInt(60 * 24 * 30)));
        return newPod(template, namespace, name, owner, node, restarts, started, random);
    }

    /** A pod running since {@code started}, made from a controller's template and placed on {@code node}. */
    static Pod newPod(
            PodTemplateSpec template,
            String namespace,
            String name,
            OwnerReference owner,
            Node node,
            int restarts,
            Instant started,
            SplittableRandom random) {
        String startedAt = iso(started);
        String hostIp = node.getStatus().getAddresses().getFirst().getAddress();
        String podCidr = node.getSpec().getPodCIDR();
        String podIp = podCidr.substring(0, podCidr.lastIndexOf('.') + 1) + (2 + random.nextInt(250));
        PodBuilder pod = new PodBuilder()
                .withMetadata(new ObjectMetaBuilder(template.getMetadata())
                        .withName(name)
                        .withNamespace(namespace)
                        .withUid(uuid(random).toString())
                        .withCreationTimestamp(startedAt)
                        .withOwnerReferences(owner == null ? List.of() : List.of(owner))
                        .build())
                .withSpec(template.getSpec())
                .editSpec()
                .withNodeName(node.getMetadata().getName())
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withQosClass("Burstable")
                .withHostIP(hostIp)
                .withPodIP(podIp)
                .withStartTime(startedAt)
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("True")
                .withLastTransitionTime(startedAt)
                .endCondition()
                .addNewCondition()
                .withType("Initialized")
                .withStatus("True")
                .withLastTransitionTime(startedAt)
                .endCondition()
                .addNewCondition()
                .withType("ContainersReady")
                .withStatus("True")
                .withLastTransitionTime(startedAt)
                .endCondition()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .withLastTransitionTime(startedAt)
                .endCondition()
                .endStatus();
        boolean first = true;
        for (var container : template.getSpec().getContainers()) {
            pod.editStatus()
                    .addToContainerStatuses(new ContainerStatusBuilder()
                            .withName(container.getName())
                            .withImage(container.getImage())
                            .withImageID(imageRepository(container.getImage()) + "@sha256:" + hex(random, 64))
                            .withContainerID("containerd://" + hex(random, 64))
                            .withReady(true)
                            .withStarted(true)
                            .withRestartCount(first ? restarts : 0)
                            .withNewState()
                            .withNewRunning(startedAt)
                            .endState()
                            .build())
                    .endStatus();
            first = false;
        }
        return pod.build();
    }

    private static String imageRepository(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    /**
     * The node a scheduler would give a pod: among the worker nodes (system pools keep to add-ons) where its requests
     * fit, the least allocated one, as kube-scheduler's default scoring prefers. A pod that fits nowhere is counted, so
     * that {@link #generate} adds a node instead of overcommitting one.
     */
    private Node nodeFor(PodTemplateSpec template) {
        long[] ask = requests(template);
        List<Node> workers = nodes.size() > 2 ? nodes.subList(2, nodes.size()) : nodes;
        Node best = null;
        double bestLoad = Double.MAX_VALUE;
        for (Node node : workers) {
            long[] free = free(node);
            if (free[0] < ask[0] || free[1] < ask[1]) {
                continue;
            }
            long[] total = allocatable(node);
            double load = Math.max(
                    (double) (total[0] - free[0] + ask[0]) / total[0],
                    (double) (total[1] - free[1] + ask[1]) / total[1]);
            if (load < bestLoad) {
                best = node;
                bestLoad = load;
            }
        }
        if (best == null) {
            unschedulable++;
            best = workers.getFirst();
        }
        reserve(best, template);
        return best;
    }

    private void reserve(Node node, PodTemplateSpec template) {
        long[] ask = requests(template);
        long[] used = requested.computeIfAbsent(node.getMetadata().getName(), n -> new long[2]);
        used[0] += ask[0];
        used[1] += ask[1];
    }

    private long[] free(Node node) {
        long[] total = allocatable(node);
        long[] used = requested.getOrDefault(node.getMetadata().getName(), new long[2]);
        return new long[] {total[0] - used[0], total[1] - used[1]};
    }

    private static long[] allocatable(Node node) {
        Map<String, Quantity> allocatable = node.getStatus().getAllocatable();
        return new long[] {millis(allocatable.get("cpu")), bytes(allocatable.get("memory"))};
    }

    private static long[] requests(PodTemplateSpec template) {
        long cpu = 0;
        long memory = 0;
        for (var container : template.getSpec().getContainers()) {
            Map<String, Quantity> requests = container.getResources().getRequests();
            cpu += millis(requests.get("cpu"));
            memory += bytes(requests.get("memory"));
        }
        return new long[] {cpu, memory};
    }

    private static long millis(Quantity cpu) {
        return cpu == null
                ? 0
                : Quantity.getAmountInBytes(cpu)
                        .multiply(java.math.BigDecimal.valueOf(1000))
                        .longValue();
    }

    private static long bytes(Quantity memory) {
        return memory == null ? 0 : Quantity.getAmountInBytes(memory).longValue();
    }

    private void volume(WorkloadSpec w, String claim, Node node) {
        String pvName = "pvc-" + uuid(random);
        String claimUid = uuid(random).toString();
        String zone = node.getMetadata().getLabels().get("topology.kubernetes.io/zone");
        String size = w.storageGi() + "Gi";
        String handle = switch (cloud) {
            case AWS -> "vol-0" + hex(16);
            case AZURE ->
                "/subscriptions/" + azureSubscription + "/resourceGroups/mc_rg-" + profile.name() + "_" + profile.name()
                        + "_" + profile.region().name() + "/providers/Microsoft.Compute/disks/" + pvName;
            case GCP -> "projects/" + gcpProject + "/zones/" + zone + "/disks/" + pvName;
            case ONPREM -> "0001-0009-rook-ceph-0000000000000002-" + uuid(random);
        };
        out.add(new PersistentVolumeClaimBuilder()
                .withMetadata(meta(claim, w.namespace())
                        .withUid(claimUid)
                        .addToLabels("app", w.name())
                        .addToAnnotations(
                                "volume.kubernetes.io/storage-provisioner",
                                cloud.storage().provisioner())
                        .build())
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(cloud.storage().className())
                .withVolumeName(pvName)
                .withNewResources()
                .addToRequests("storage", new Quantity(size))
                .endResources()
                .endSpec()
                .withNewStatus()
                .withPhase("Bound")
                .addToCapacity("storage", new Quantity(size))
                .withAccessModes("ReadWriteOnce")
                .endStatus()
                .build());
        out.add(new PersistentVolumeBuilder()
                .withMetadata(meta(pvName, null)
                        .addToAnnotations(
                                "pv.kubernetes.io/provisioned-by",
                                cloud.storage().provisioner())
                        .build())
                .withNewSpec()
                .addToCapacity("storage", new Quantity(size))
                .withAccessModes("ReadWriteOnce")
                .withPersistentVolumeReclaimPolicy("Delete")
                .withStorageClassName(cloud.storage().className())
                .withNewClaimRef()
                .withApiVersion("v1")
                .withKind("PersistentVolumeClaim")
                .withNamespace(w.namespace())
                .withName(claim)
                .withUid(claimUid)
                .endClaimRef()
                .withNewCsi()
                .withDriver(cloud.storage().provisioner())
                .withVolumeHandle(handle)
                .withFsType("ext4")
                .endCsi()
                .withNewNodeAffinity()
                .withNewRequired()
                .addNewNodeSelectorTerm()
                .addNewMatchExpression()
                .withKey("topology.kubernetes.io/zone")
                .withOperator("In")
                .withValues(zone)
                .endMatchExpression()
                .endNodeSelectorTerm()
                .endRequired()
                .endNodeAffinity()
                .endSpec()
                .withNewStatus()
                .withPhase("Bound")
                .endStatus()
                .build());
    }

    private HasMetadata service(WorkloadSpec w) {
        boolean loadBalancer = "LoadBalancer".equals(w.serviceType());
        boolean headless = "None".equals(w.serviceType());
        boolean internal = w.name().equals("payments-api");
        String serviceName = w.name().equals("coredns") ? "kube-dns" : w.name();
        ObjectMetaBuilder meta = meta(serviceName, w.namespace()).addToLabels("app", w.name());
        if (loadBalancer) {
            meta.addToAnnotations(loadBalancerAnnotations(internal));
        }
        ServiceBuilder service = new ServiceBuilder()
                .withMetadata(meta.build())
                .withNewSpec()
                .withType(headless ? "ClusterIP" : w.serviceType())
                .withClusterIP(headless ? "None" : "172.20." + random.nextInt(256) + "." + (1 + random.nextInt(254)))
                .addToSelector("app", w.name())
                .addNewPort()
                .withName(w.port() == 53 ? "dns" : "tcp")
                .withPort(w.port())
                .withNewTargetPort(w.port())
                .withProtocol(w.port() == 53 ? "UDP" : "TCP")
                .endPort()
                .endSpec();
        if (loadBalancer) {
            service.withNewStatus()
                    .withNewLoadBalancer()
                    .addNewIngress()
                    .withHostname(
                            cloud == Cloud.AWS
                                    ? "k8s-" + w.namespace() + "-" + w.name() + "-" + hex(10) + ".elb."
                                            + profile.region().name() + ".amazonaws.com"
                                    : null)
                    .withIp(cloud == Cloud.AWS ? null : loadBalancerIp(internal))
                    .endIngress()
                    .endLoadBalancer()
                    .endStatus();
        }
        return service.build();
    }

    private Map<String, String> loadBalancerAnnotations(boolean internal) {
        return switch (cloud) {
            case AWS ->
                Map.of(
                        "service.beta.kubernetes.io/aws-load-balancer-type", "external",
                        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type", "ip",
                        "service.beta.kubernetes.io/aws-load-balancer-scheme",
                                internal ? "internal" : "internet-facing");
            case AZURE ->
                internal
                        ? Map.of("service.beta.kubernetes.io/azure-load-balancer-internal", "true")
                        : Map.of(
                                "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path", "/healthz");
            case GCP ->
                internal
                        ? Map.of("networking.gke.io/load-balancer-type", "Internal")
                        : Map.of("cloud.google.com/l4-rbs", "enabled");
            case ONPREM ->
                Map.of(
                        "metallb.universe.tf/address-pool",
                        profile.region().code() + (internal ? "-internal" : "-public"));
        };
    }

    private String loadBalancerIp(boolean internal) {
        if (internal) {
            return "10." + clusterOctet + ".250." + (10 + random.nextInt(200));
        }
        return switch (cloud) {
            case AZURE ->
                "20." + (50 + random.nextInt(150)) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
            case GCP ->
                "34." + (64 + random.nextInt(100)) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
            default -> "192.168." + (100 + random.nextInt(50)) + "." + (1 + random.nextInt(254));
        };
    }

    // ---- small helpers ----------------------------------------------------------------------------------

    /** Metadata with a UID and an age, as the API server would have stamped them at some point in the past. */
    private ObjectMetaBuilder meta(String name, String namespace) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(namespace)
                .withUid(uuid(random).toString())
                .withCreationTimestamp(iso(now.minus(Duration.ofMinutes(60 * 24 + random.nextInt(60 * 24 * 120)))));
    }

    private static OwnerReference owner(String apiVersion, String kind, String name, String uid) {
        return new OwnerReferenceBuilder()
                .withApiVersion(apiVersion)
                .withKind(kind)
                .withName(name)
                .withUid(uid)
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private String hex(int length) {
        return hex(random, length);
    }

    static String hex(SplittableRandom random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(Character.forDigit(random.nextInt(16), 16));
        }
        return s.toString();
    }

    private String suffix(int length) {
        return suffix(random, length);
    }

    /** A generated-name suffix as Kubernetes makes them, e.g. the {@code 7d9f8} of {@code api-7d9f8}. */
    static String suffix(SplittableRandom random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
        }
        return s.toString();
    }

    static UUID uuid(SplittableRandom random) {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least);
    }

    static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
