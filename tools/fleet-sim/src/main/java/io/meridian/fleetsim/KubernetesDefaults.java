package io.meridian.fleetsim;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The defaults a v1.31 API server fills in on create, update and apply, for the kinds Meridian writes. Applied to
 * the object as it will be stored, so a client comparing what it sent with what it reads back meets them exactly as
 * it would on a real cluster.
 *
 * <p>Follows the {@code SetDefaults_*} functions of kubernetes/kubernetes {@code pkg/apis/<group>/<version>}, plus what
 * the registry strategies, the IP and port allocators and the default admission plugins (ServiceAccount, Priority,
 * DefaultTolerationSeconds) add before an object is first stored. A field is only filled when absent; the few places
 * where the real server overwrites what a client sent are marked.
 */
final class KubernetesDefaults {

    private static final long ALLOCATION_SEED = 0x5EB71CE5L;
    private static final int SERVICE_CIDR_BASE = (10 << 24) | (96 << 16); // 10.96.0.0/12
    private static final int SERVICE_CIDR_SIZE = 1 << 20;
    // The allocators hand out dynamic values from the upper band and leave the lower one for static requests.
    private static final int FIRST_DYNAMIC_IP_OFFSET = 257;
    private static final int FIRST_DYNAMIC_NODE_PORT = 30086;
    private static final int LAST_NODE_PORT = 32767;
    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    private KubernetesDefaults() {}

    /** Fills in the server-side defaults of {@code object} (a whole manifest with apiVersion and kind), in place. */
    static void apply(Map<String, Object> object) {
        switch (string(object.get("apiVersion")) + "/" + string(object.get("kind"))) {
            case "v1/Pod" -> pod(object);
            case "v1/PodTemplate" -> podTemplate(map(object, "template"));
            case "v1/ReplicationController" -> replicationController(object);
            case "v1/Service" -> service(object);
            case "v1/Namespace" -> namespace(object);
            case "v1/Secret" -> setIfEmpty(object, "type", "Opaque");
            case "v1/PersistentVolumeClaim" -> persistentVolumeClaim(object);
            case "v1/PersistentVolume" -> persistentVolume(object);
            case "v1/LimitRange" -> limitRange(object);
            case "v1/ResourceQuota" -> resourceQuota(object);
            case "v1/Endpoints" -> endpoints(object);
            case "v1/Node" -> node(object);
            case "apps/v1/Deployment" -> deployment(object);
            case "apps/v1/StatefulSet" -> statefulSet(object);
            case "apps/v1/DaemonSet" -> daemonSet(object);
            case "apps/v1/ReplicaSet" -> replicaSet(object);
            case "batch/v1/Job" -> job(object);
            case "batch/v1/CronJob" -> cronJob(object);
            case "networking.k8s.io/v1/NetworkPolicy" -> networkPolicy(object);
            case "networking.k8s.io/v1/IngressClass" -> ingressClass(object);
            case "autoscaling/v2/HorizontalPodAutoscaler" -> horizontalPodAutoscaler(object);
            case "autoscaling/v1/HorizontalPodAutoscaler" -> horizontalPodAutoscalerV1(object);
            case "rbac.authorization.k8s.io/v1/RoleBinding", "rbac.authorization.k8s.io/v1/ClusterRoleBinding" ->
                roleBinding(object);
            case "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy" -> validatingAdmissionPolicy(object);
            case "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding" ->
                validatingAdmissionPolicyBinding(object);
            case "admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration" -> webhooks(object, false);
            case "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration" -> webhooks(object, true);
            case "storage.k8s.io/v1/StorageClass" -> storageClass(object);
            case "scheduling.k8s.io/v1/PriorityClass" -> setIfNull(object, "preemptionPolicy", "PreemptLowerPriority");
            default -> {
                // ConfigMap, ServiceAccount, Role, ClusterRole, PodDisruptionBudget and custom resources: the
                // server defaults nothing in them.
            }
        }
    }

    // ---- core/v1 -------------------------------------------------------------------------------------------------

    private static void pod(Map<String, Object> pod) {
        Map<String, Object> spec = mapOrCreate(pod, "spec");
        // Only a Pod, not a template, gets requests copied from limits (SetDefaults_Pod).
        for (String list : List.of("initContainers", "containers")) {
            for (Map<String, Object> container : maps(spec, list)) {
                requestsFromLimits(container);
            }
        }
        setIfNull(spec, "enableServiceLinks", true);
        if (Boolean.TRUE.equals(spec.get("hostNetwork"))) {
            hostPortsFromContainerPorts(spec);
        }
        podSpec(spec);
        admitPod(spec);
        Map<String, Object> status = mapOrCreate(pod, "status");
        setIfEmpty(status, "phase", "Pending");
        setIfEmpty(status, "qosClass", qosClass(spec));
    }

    private static void requestsFromLimits(Map<String, Object> container) {
        Map<String, Object> resources = map(container, "resources");
        Map<String, Object> limits = map(resources, "limits");
        if (limits != null) {
            Map<String, Object> requests = mapOrCreate(resources, "requests");
            limits.forEach(requests::putIfAbsent);
        }
    }

    private static void hostPortsFromContainerPorts(Map<String, Object> spec) {
        for (String list : List.of("initContainers", "containers")) {
            for (Map<String, Object> container : maps(spec, list)) {
                for (Map<String, Object> port : maps(container, "ports")) {
                    if (isZero(port.get("hostPort")) && port.get("containerPort") != null) {
                        port.put("hostPort", port.get("containerPort"));
                    }
                }
            }
        }
    }

    /** What the ServiceAccount, Priority and DefaultTolerationSeconds admission plugins add to every new Pod. */
    private static void admitPod(Map<String, Object> spec) {
        setIfEmpty(spec, "serviceAccountName", "default");
        mirrorServiceAccount(spec);
        Integer priority = switch (string(spec.get("priorityClassName"))) {
            case "" -> 0;
            case "system-cluster-critical" -> 2_000_000_000;
            case "system-node-critical" -> 2_000_001_000;
            default -> null; // a user PriorityClass: its value lives in the cluster, not here
        };
        if (priority != null) {
            setIfNull(spec, "priority", priority);
        }
        setIfNull(spec, "preemptionPolicy", "PreemptLowerPriority");
        defaultTolerations(spec);
    }

    private static void defaultTolerations(Map<String, Object> spec) {
        List<Map<String, Object>> tolerations = maps(spec, "tolerations");
        List<Object> added = new ArrayList<>();
        for (String taint : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
            boolean tolerated = tolerations.stream().anyMatch(t -> {
                String key = string(t.get("key"));
                String effect = string(t.get("effect"));
                return (key.isEmpty() || key.equals(taint)) && (effect.isEmpty() || effect.equals("NoExecute"));
            });
            if (!tolerated) {
                added.add(fields("key", taint, "operator", "Exists", "effect", "NoExecute", "tolerationSeconds", 300));
            }
        }
        if (!added.isEmpty()) {
            List<Object> all = new ArrayList<>(list(spec, "tolerations"));
            all.addAll(added);
            spec.put("tolerations", all);
        }
    }

    /** The Pod QoS class, computed as the Pod strategy does on create (requests and limits of cpu and memory). */
    private static String qosClass(Map<String, Object> spec) {
        Map<String, BigDecimal> requests = new HashMap<>();
        Map<String, BigDecimal> limits = new HashMap<>();
        boolean guaranteed = true;
        for (String list : List.of("containers", "initContainers")) {
            for (Map<String, Object> container : maps(spec, list)) {
                Map<String, Object> resources = map(container, "resources");
                addPositive(map(resources, "requests"), requests);
                Set<String> limited = addPositive(map(resources, "limits"), limits);
                guaranteed &= limited.containsAll(List.of("cpu", "memory"));
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        for (Map.Entry<String, BigDecimal> request : requests.entrySet()) {
            BigDecimal limit = limits.get(request.getKey());
            guaranteed &= limit != null && limit.compareTo(request.getValue()) == 0;
        }
        return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
    }

    private static Set<String> addPositive(Map<String, Object> resources, Map<String, BigDecimal> totals) {
        Set<String> found = new HashSet<>();
        if (resources == null) {
            return found;
        }
        for (String name : List.of("cpu", "memory")) {
            Optional<Quantity> quantity = Quantity.parse(resources.get(name));
            if (quantity.isPresent() && quantity.get().value().signum() > 0) {
                found.add(name);
                totals.merge(name, quantity.get().value(), BigDecimal::add);
            }
        }
        return found;
    }

    private static void podTemplate(Map<String, Object> template) {
        if (template != null) {
            podSpec(mapOrCreate(template, "spec"));
        }
    }

    /** SetDefaults_PodSpec and everything nested in it; shared by Pods and every pod template. */
    private static void podSpec(Map<String, Object> spec) {
        setIfEmpty(spec, "dnsPolicy", "ClusterFirst");
        setIfEmpty(spec, "restartPolicy", "Always");
        setIfNull(spec, "securityContext", new LinkedHashMap<>());
        setIfNull(spec, "terminationGracePeriodSeconds", 30);
        setIfEmpty(spec, "schedulerName", "default-scheduler");
        mirrorServiceAccount(spec);
        maps(spec, "volumes").forEach(KubernetesDefaults::volume);
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            maps(spec, list).forEach(KubernetesDefaults::container);
        }
        canonicalResourceList(spec, "overhead");
    }

    /**
     * The v1 conversion keeps the deprecated {@code serviceAccount} alias equal to {@code serviceAccountName}, taking
     * the alias only when the name is empty (so a conflicting alias is overwritten, as on a real server).
     */
    private static void mirrorServiceAccount(Map<String, Object> spec) {
        String name = string(spec.get("serviceAccountName"));
        if (name.isEmpty()) {
            name = string(spec.get("serviceAccount"));
        }
        if (!name.isEmpty()) {
            spec.put("serviceAccountName", name);
            spec.put("serviceAccount", name);
        }
    }

    private static void container(Map<String, Object> container) {
        if (string(container.get("imagePullPolicy")).isEmpty()) {
            container.put("imagePullPolicy", imagePullPolicy(string(container.get("image"))));
        }
        setIfEmpty(container, "terminationMessagePath", "/dev/termination-log");
        setIfEmpty(container, "terminationMessagePolicy", "File");
        maps(container, "ports").forEach(port -> setIfEmpty(port, "protocol", "TCP"));
        for (Map<String, Object> env : maps(container, "env")) {
            Map<String, Object> valueFrom = map(env, "valueFrom");
            fieldRef(map(valueFrom, "fieldRef"));
            resourceFieldRef(map(valueFrom, "resourceFieldRef"));
        }
        Map<String, Object> resources = mapOrCreate(container, "resources");
        canonicalResourceList(resources, "limits");
        canonicalResourceList(resources, "requests");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            probe(map(container, probe));
        }
        Map<String, Object> lifecycle = map(container, "lifecycle");
        for (String hook : List.of("postStart", "preStop")) {
            httpGet(map(map(lifecycle, hook), "httpGet"));
        }
    }

    /** Always for a {@code latest} tag or a bare name, IfNotPresent otherwise (also for a name that does not parse). */
    static String imagePullPolicy(String image) {
        return "latest".equals(imageTag(image)) ? "Always" : "IfNotPresent";
    }

    private static String imageTag(String image) {
        int at = image.indexOf('@');
        String name = at < 0 ? image : image.substring(0, at);
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        String tag = colon > slash ? name.substring(colon + 1) : "";
        String repository = colon > slash ? name.substring(0, colon) : name;
        int firstSlash = repository.indexOf('/');
        if (firstSlash > 0 && isRegistry(repository.substring(0, firstSlash))) {
            repository = repository.substring(firstSlash + 1);
        }
        boolean valid = !repository.isEmpty()
                && repository.equals(repository.toLowerCase(Locale.ROOT))
                && !(colon > slash && tag.isEmpty());
        if (!valid) {
            return "";
        }
        return tag.isEmpty() && at < 0 ? "latest" : tag;
    }

    private static boolean isRegistry(String component) {
        return component.contains(".")
                || component.contains(":")
                || component.equals("localhost")
                || !component.equals(component.toLowerCase(Locale.ROOT));
    }

    private static void probe(Map<String, Object> probe) {
        if (probe == null) {
            return;
        }
        setIfZero(probe, "timeoutSeconds", 1);
        setIfZero(probe, "periodSeconds", 10);
        setIfZero(probe, "successThreshold", 1);
        setIfZero(probe, "failureThreshold", 3);
        httpGet(map(probe, "httpGet"));
        Map<String, Object> grpc = map(probe, "grpc");
        if (grpc != null) {
            setIfNull(grpc, "service", "");
        }
    }

    private static void httpGet(Map<String, Object> action) {
        if (action != null) {
            setIfEmpty(action, "path", "/");
            setIfEmpty(action, "scheme", "HTTP");
        }
    }

    private static void fieldRef(Map<String, Object> selector) {
        if (selector != null) {
            setIfEmpty(selector, "apiVersion", "v1");
        }
    }

    /** {@code divisor} is a non-pointer Quantity, so the server always prints it, as "0" when unset. */
    private static void resourceFieldRef(Map<String, Object> selector) {
        if (selector != null) {
            setIfNull(selector, "divisor", "0");
            canonicalQuantity(selector, "divisor");
        }
    }

    private static void volume(Map<String, Object> volume) {
        boolean hasSource =
                volume.entrySet().stream().anyMatch(e -> !e.getKey().equals("name") && e.getValue() != null);
        if (!hasSource) {
            volume.put("emptyDir", new LinkedHashMap<>());
        }
        Map<String, Object> hostPath = map(volume, "hostPath");
        if (hostPath != null) {
            setIfNull(hostPath, "type", "");
        }
        for (String source : List.of("secret", "configMap", "downwardAPI", "projected")) {
            Map<String, Object> files = map(volume, source);
            if (files != null) {
                setIfNull(files, "defaultMode", 420); // 0644
            }
        }
        downwardApiItems(map(volume, "downwardAPI"));
        for (Map<String, Object> projection : maps(map(volume, "projected"), "sources")) {
            downwardApiItems(map(projection, "downwardAPI"));
            Map<String, Object> token = map(projection, "serviceAccountToken");
            if (token != null) {
                setIfNull(token, "expirationSeconds", 3600);
            }
        }
        Map<String, Object> emptyDir = map(volume, "emptyDir");
        if (emptyDir != null) {
            canonicalQuantity(emptyDir, "sizeLimit");
        }
        Map<String, Object> claimTemplate = map(map(volume, "ephemeral"), "volumeClaimTemplate");
        if (claimTemplate != null) {
            claimSpec(mapOrCreate(claimTemplate, "spec"));
        }
    }

    private static void downwardApiItems(Map<String, Object> downwardApi) {
        for (Map<String, Object> item : maps(downwardApi, "items")) {
            fieldRef(map(item, "fieldRef"));
            resourceFieldRef(map(item, "resourceFieldRef"));
        }
    }

    private static void replicationController(Map<String, Object> controller) {
        Map<String, Object> spec = mapOrCreate(controller, "spec");
        Map<String, Object> template = map(spec, "template");
        Map<String, Object> templateLabels = map(map(template, "metadata"), "labels");
        if (templateLabels != null) {
            if (isEmpty(map(spec, "selector"))) {
                spec.put("selector", new LinkedHashMap<>(templateLabels));
            }
            Map<String, Object> metadata = mapOrCreate(controller, "metadata");
            if (isEmpty(map(metadata, "labels"))) {
                metadata.put("labels", new LinkedHashMap<>(templateLabels));
            }
        }
        setIfNull(spec, "replicas", 1);
        podTemplate(template);
    }

    private static void service(Map<String, Object> service) {
        Map<String, Object> spec = mapOrCreate(service, "spec");
        setIfEmpty(spec, "sessionAffinity", "None");
        switch (string(spec.get("sessionAffinity"))) {
            case "None" -> spec.remove("sessionAffinityConfig"); // dropped by the server, even when sent
            case "ClientIP" -> clientIpAffinity(spec);
            default -> {}
        }
        setIfEmpty(spec, "type", "ClusterIP");
        String type = string(spec.get("type"));
        for (Map<String, Object> port : maps(spec, "ports")) {
            setIfEmpty(port, "protocol", "TCP");
            Object target = port.get("targetPort");
            if ((isZero(target) || "".equals(target)) && port.get("port") != null) {
                port.put("targetPort", port.get("port"));
            }
        }
        boolean externallyAccessible = type.equals("NodePort")
                || type.equals("LoadBalancer")
                || (type.equals("ClusterIP") && !list(spec, "externalIPs").isEmpty());
        if (externallyAccessible) {
            setIfEmpty(spec, "externalTrafficPolicy", "Cluster");
        }
        if (List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type)) {
            setIfNull(spec, "internalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            setIfNull(spec, "allocateLoadBalancerNodePorts", true);
            for (Map<String, Object> ingress : maps(map(map(service, "status"), "loadBalancer"), "ingress")) {
                if (!string(ingress.get("ip")).isEmpty()) {
                    setIfNull(ingress, "ipMode", "VIP");
                }
            }
        }
        if (!type.equals("ExternalName")) {
            String key = qualifiedName(service);
            allocateClusterIps(spec, key);
            allocateNodePorts(spec, type, key);
        }
    }

    private static void clientIpAffinity(Map<String, Object> spec) {
        Map<String, Object> clientIp = map(map(spec, "sessionAffinityConfig"), "clientIP");
        if (clientIp == null || clientIp.get("timeoutSeconds") == null) {
            spec.put("sessionAffinityConfig", fields("clientIP", fields("timeoutSeconds", 10800)));
        }
    }

    /** The IP family fields and cluster IP of a single-stack IPv4 cluster with the 10.96.0.0/12 service range. */
    private static void allocateClusterIps(Map<String, Object> spec, String key) {
        String clusterIp = string(spec.get("clusterIP"));
        List<Object> clusterIps = list(spec, "clusterIPs");
        if (!clusterIp.isEmpty() && clusterIps.isEmpty()) {
            clusterIps = new ArrayList<>(List.of(clusterIp));
            spec.put("clusterIPs", clusterIps);
        } else if (clusterIp.isEmpty() && !clusterIps.isEmpty()) {
            clusterIp = string(clusterIps.get(0));
            spec.put("clusterIP", clusterIp);
        }
        // A headless Service without a selector is the one case the allocator defaults to dual-stack.
        boolean headlessWithoutSelector = clusterIp.equals("None") && isEmpty(map(spec, "selector"));
        setIfNull(spec, "ipFamilyPolicy", headlessWithoutSelector ? "RequireDualStack" : "SingleStack");
        if (list(spec, "ipFamilies").isEmpty()) {
            List<Object> families = new ArrayList<>();
            for (Object ip : clusterIps) {
                if ("None".equals(ip)) {
                    break;
                }
                families.add(string(ip).contains(":") ? "IPv6" : "IPv4");
            }
            if (families.isEmpty()) {
                families.add("IPv4");
            }
            if (headlessWithoutSelector && families.size() < 2 && !"SingleStack".equals(spec.get("ipFamilyPolicy"))) {
                families.add(families.get(0).equals("IPv4") ? "IPv6" : "IPv4");
            }
            spec.put("ipFamilies", families);
        }
        if (clusterIp.isEmpty()) {
            String allocated = clusterIp(key);
            spec.put("clusterIP", allocated);
            spec.put("clusterIPs", new ArrayList<>(List.of(allocated)));
        }
    }

    /** A stable address for {@code namespace/name}: the same Service gets the same IP on every run and cluster. */
    static String clusterIp(String key) {
        int offset = switch (key) {
            case "default/kubernetes" -> 1;
            case "kube-system/kube-dns" -> 10;
            default ->
                FIRST_DYNAMIC_IP_OFFSET
                        + (int) Long.remainderUnsigned(
                                SplitMix.hash(ALLOCATION_SEED, "clusterIP/" + key),
                                SERVICE_CIDR_SIZE - 1 - FIRST_DYNAMIC_IP_OFFSET);
        };
        int address = SERVICE_CIDR_BASE + offset;
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    private static void allocateNodePorts(Map<String, Object> spec, String type, String key) {
        boolean needsNodePorts = type.equals("NodePort")
                || (type.equals("LoadBalancer") && !Boolean.FALSE.equals(spec.get("allocateLoadBalancerNodePorts")));
        List<Map<String, Object>> ports = maps(spec, "ports");
        Set<Integer> used = new HashSet<>();
        // Ports with the same number (TCP and UDP, say) share one node port, as the real allocator does.
        Map<Object, Object> byPort = new HashMap<>();
        for (Map<String, Object> port : ports) {
            if (port.get("nodePort") instanceof Number nodePort && nodePort.intValue() != 0) {
                used.add(nodePort.intValue());
                byPort.putIfAbsent(number(port.get("port")), port.get("nodePort"));
            }
        }
        if (needsNodePorts) {
            for (Map<String, Object> port : ports) {
                if (isZero(port.get("nodePort"))) {
                    Object portNumber = number(port.get("port"));
                    Object nodePort = byPort.computeIfAbsent(portNumber, p -> nodePort(key + "/" + p, used));
                    port.put("nodePort", nodePort);
                }
            }
        }
        if (type.equals("LoadBalancer")
                && "Local".equals(spec.get("externalTrafficPolicy"))
                && isZero(spec.get("healthCheckNodePort"))) {
            spec.put("healthCheckNodePort", nodePort(key + "/healthCheck", used));
        }
    }

    private static int nodePort(String key, Set<Integer> used) {
        int band = LAST_NODE_PORT - FIRST_DYNAMIC_NODE_PORT + 1;
        int offset = (int) Long.remainderUnsigned(SplitMix.hash(ALLOCATION_SEED, "nodePort/" + key), band);
        while (used.contains(FIRST_DYNAMIC_NODE_PORT + offset)) {
            offset = (offset + 1) % band;
        }
        used.add(FIRST_DYNAMIC_NODE_PORT + offset);
        return FIRST_DYNAMIC_NODE_PORT + offset;
    }

    private static void namespace(Map<String, Object> namespace) {
        Map<String, Object> metadata = mapOrCreate(namespace, "metadata");
        String name = string(metadata.get("name"));
        if (!name.isEmpty()) {
            // Always set, overwriting a different value: the label must name the namespace.
            mapOrCreate(metadata, "labels").put("kubernetes.io/metadata.name", name);
        }
        Map<String, Object> spec = mapOrCreate(namespace, "spec");
        if (list(spec, "finalizers").isEmpty()) {
            spec.put("finalizers", new ArrayList<>(List.of("kubernetes")));
        }
        setIfEmpty(mapOrCreate(namespace, "status"), "phase", "Active");
    }

    private static void persistentVolumeClaim(Map<String, Object> claim) {
        setIfEmpty(mapOrCreate(claim, "status"), "phase", "Pending");
        claimSpec(mapOrCreate(claim, "spec"));
        Map<String, Object> status = map(claim, "status");
        canonicalResourceList(status, "capacity");
        canonicalResourceList(status, "allocatedResources");
    }

    private static void claimSpec(Map<String, Object> spec) {
        setIfNull(spec, "volumeMode", "Filesystem");
        Map<String, Object> resources = map(spec, "resources");
        canonicalResourceList(resources, "limits");
        canonicalResourceList(resources, "requests");
    }

    private static void persistentVolume(Map<String, Object> volume) {
        setIfEmpty(mapOrCreate(volume, "status"), "phase", "Pending");
        Map<String, Object> spec = mapOrCreate(volume, "spec");
        setIfEmpty(spec, "persistentVolumeReclaimPolicy", "Retain");
        setIfNull(spec, "volumeMode", "Filesystem");
        canonicalResourceList(spec, "capacity");
        Map<String, Object> hostPath = map(spec, "hostPath");
        if (hostPath != null) {
            setIfNull(hostPath, "type", "");
        }
    }

    private static void limitRange(Map<String, Object> limitRange) {
        for (Map<String, Object> item : maps(map(limitRange, "spec"), "limits")) {
            if ("Container".equals(item.get("type"))) {
                // SetDefaults_LimitRangeItem: default <- max, then defaultRequest <- default, then <- min.
                Map<String, Object> defaults = copyOrEmpty(map(item, "default"));
                copyMissing(map(item, "max"), defaults);
                putIfNotEmpty(item, "default", defaults);
                Map<String, Object> defaultRequests = copyOrEmpty(map(item, "defaultRequest"));
                copyMissing(defaults, defaultRequests);
                copyMissing(map(item, "min"), defaultRequests);
                putIfNotEmpty(item, "defaultRequest", defaultRequests);
            }
            for (String list : List.of("max", "min", "default", "defaultRequest", "maxLimitRequestRatio")) {
                canonicalResourceList(item, list);
            }
        }
    }

    private static void resourceQuota(Map<String, Object> quota) {
        canonicalResourceList(map(quota, "spec"), "hard");
        Map<String, Object> status = map(quota, "status");
        canonicalResourceList(status, "hard");
        canonicalResourceList(status, "used");
    }

    private static void endpoints(Map<String, Object> endpoints) {
        for (Map<String, Object> subset : maps(endpoints, "subsets")) {
            maps(subset, "ports").forEach(port -> setIfEmpty(port, "protocol", "TCP"));
        }
    }

    private static void node(Map<String, Object> node) {
        Map<String, Object> status = map(node, "status");
        Map<String, Object> capacity = map(status, "capacity");
        if (capacity != null && map(status, "allocatable") == null) {
            status.put("allocatable", new LinkedHashMap<>(capacity));
        }
        canonicalResourceList(status, "capacity");
        canonicalResourceList(status, "allocatable");
    }

    // ---- apps/v1, batch/v1 ---------------------------------------------------------------------------------------

    private static void deployment(Map<String, Object> deployment) {
        Map<String, Object> spec = mapOrCreate(deployment, "spec");
        setIfNull(spec, "replicas", 1);
        Map<String, Object> strategy = mapOrCreate(spec, "strategy");
        setIfEmpty(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.get("type"))) {
            Map<String, Object> rollingUpdate = mapOrCreate(strategy, "rollingUpdate");
            setIfNull(rollingUpdate, "maxUnavailable", "25%");
            setIfNull(rollingUpdate, "maxSurge", "25%");
        }
        setIfNull(spec, "revisionHistoryLimit", 10);
        setIfNull(spec, "progressDeadlineSeconds", 600);
        podTemplate(map(spec, "template"));
    }

    private static void statefulSet(Map<String, Object> statefulSet) {
        Map<String, Object> spec = mapOrCreate(statefulSet, "spec");
        setIfEmpty(spec, "podManagementPolicy", "OrderedReady");
        Map<String, Object> updateStrategy = mapOrCreate(spec, "updateStrategy");
        if (string(updateStrategy.get("type")).isEmpty()) {
            updateStrategy.put("type", "RollingUpdate");
            setIfNull(updateStrategy, "rollingUpdate", new LinkedHashMap<>());
        }
        // An explicit RollingUpdate without rollingUpdate gets no partition: the real defaulter only fills one it has.
        Map<String, Object> rollingUpdate = map(updateStrategy, "rollingUpdate");
        if ("RollingUpdate".equals(updateStrategy.get("type")) && rollingUpdate != null) {
            setIfNull(rollingUpdate, "partition", 0);
        }
        Map<String, Object> retention = mapOrCreate(spec, "persistentVolumeClaimRetentionPolicy");
        setIfEmpty(retention, "whenDeleted", "Retain");
        setIfEmpty(retention, "whenScaled", "Retain");
        setIfNull(spec, "replicas", 1);
        setIfNull(spec, "revisionHistoryLimit", 10);
        for (Map<String, Object> claim : maps(spec, "volumeClaimTemplates")) {
            setIfEmpty(claim, "apiVersion", "v1");
            setIfEmpty(claim, "kind", "PersistentVolumeClaim");
            persistentVolumeClaim(claim);
        }
        podTemplate(map(spec, "template"));
    }

    private static void daemonSet(Map<String, Object> daemonSet) {
        Map<String, Object> spec = mapOrCreate(daemonSet, "spec");
        Map<String, Object> updateStrategy = mapOrCreate(spec, "updateStrategy");
        setIfEmpty(updateStrategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(updateStrategy.get("type"))) {
            Map<String, Object> rollingUpdate = mapOrCreate(updateStrategy, "rollingUpdate");
            setIfNull(rollingUpdate, "maxUnavailable", 1);
            setIfNull(rollingUpdate, "maxSurge", 0);
        }
        setIfNull(spec, "revisionHistoryLimit", 10);
        podTemplate(map(spec, "template"));
    }

    private static void replicaSet(Map<String, Object> replicaSet) {
        Map<String, Object> spec = mapOrCreate(replicaSet, "spec");
        setIfNull(spec, "replicas", 1);
        podTemplate(map(spec, "template"));
    }

    private static void job(Map<String, Object> job) {
        Map<String, Object> spec = mapOrCreate(job, "spec");
        if (spec.get("completions") == null && spec.get("parallelism") == null) {
            spec.put("completions", 1);
        }
        setIfNull(spec, "parallelism", 1);
        setIfNull(spec, "backoffLimit", spec.get("backoffLimitPerIndex") != null ? Integer.MAX_VALUE : 6);
        Map<String, Object> templateLabels = map(map(map(spec, "template"), "metadata"), "labels");
        Map<String, Object> metadata = mapOrCreate(job, "metadata");
        if (templateLabels != null && isEmpty(map(metadata, "labels"))) {
            metadata.put("labels", new LinkedHashMap<>(templateLabels));
        }
        setIfNull(spec, "completionMode", "NonIndexed");
        setIfNull(spec, "suspend", false);
        podFailurePolicy(map(spec, "podFailurePolicy"));
        setIfNull(
                spec, "podReplacementPolicy", map(spec, "podFailurePolicy") != null ? "Failed" : "TerminatingOrFailed");
        setIfNull(spec, "manualSelector", false);
        podTemplate(map(spec, "template"));
    }

    private static void podFailurePolicy(Map<String, Object> policy) {
        for (Map<String, Object> rule : maps(policy, "rules")) {
            maps(rule, "onPodConditions").forEach(pattern -> setIfEmpty(pattern, "status", "True"));
        }
    }

    /** A CronJob's job template gets pod defaults but not the Job defaults: SetDefaults_Job is for Jobs only. */
    private static void cronJob(Map<String, Object> cronJob) {
        Map<String, Object> spec = mapOrCreate(cronJob, "spec");
        setIfEmpty(spec, "concurrencyPolicy", "Allow");
        setIfNull(spec, "suspend", false);
        setIfNull(spec, "successfulJobsHistoryLimit", 3);
        setIfNull(spec, "failedJobsHistoryLimit", 1);
        Map<String, Object> jobSpec = map(map(spec, "jobTemplate"), "spec");
        podFailurePolicy(map(jobSpec, "podFailurePolicy"));
        podTemplate(map(jobSpec, "template"));
    }

    // ---- networking, autoscaling, rbac, admissionregistration, storage -------------------------------------------

    private static void networkPolicy(Map<String, Object> policy) {
        Map<String, Object> spec = mapOrCreate(policy, "spec");
        setIfNull(spec, "podSelector", new LinkedHashMap<>()); // a required struct, always printed
        if (list(spec, "policyTypes").isEmpty()) {
            List<Object> types = new ArrayList<>(List.of("Ingress"));
            if (!list(spec, "egress").isEmpty()) {
                types.add("Egress");
            }
            spec.put("policyTypes", types);
        }
        for (String direction : List.of("ingress", "egress")) {
            for (Map<String, Object> rule : maps(spec, direction)) {
                maps(rule, "ports").forEach(port -> setIfNull(port, "protocol", "TCP"));
            }
        }
    }

    private static void ingressClass(Map<String, Object> ingressClass) {
        Map<String, Object> parameters = map(map(ingressClass, "spec"), "parameters");
        if (parameters != null) {
            setIfNull(parameters, "scope", "Cluster");
        }
    }

    /** autoscaling/v2: behavior is only completed when the client sent one; no behavior stays no behavior. */
    private static void horizontalPodAutoscaler(Map<String, Object> autoscaler) {
        Map<String, Object> spec = mapOrCreate(autoscaler, "spec");
        setIfNull(spec, "minReplicas", 1);
        if (list(spec, "metrics").isEmpty()) {
            Map<String, Object> target = fields("type", "Utilization", "averageUtilization", 80);
            Map<String, Object> resource = fields("name", "cpu", "target", target);
            spec.put("metrics", new ArrayList<>(List.of(fields("type", "Resource", "resource", resource))));
        }
        Map<String, Object> behavior = map(spec, "behavior");
        if (behavior != null) {
            Map<String, Object> scaleUp = mapOrCreate(behavior, "scaleUp");
            setIfNull(scaleUp, "stabilizationWindowSeconds", 0);
            setIfNull(scaleUp, "selectPolicy", "Max");
            setIfNull(
                    scaleUp,
                    "policies",
                    new ArrayList<>(List.of(scalingPolicy("Pods", 4), scalingPolicy("Percent", 100))));
            // scaleDown keeps stabilizationWindowSeconds unset: the controller's flag decides it.
            Map<String, Object> scaleDown = mapOrCreate(behavior, "scaleDown");
            setIfNull(scaleDown, "selectPolicy", "Max");
            setIfNull(scaleDown, "policies", new ArrayList<>(List.of(scalingPolicy("Percent", 100))));
        }
    }

    private static Map<String, Object> scalingPolicy(String type, int value) {
        return fields("type", type, "value", value, "periodSeconds", 15);
    }

    /** autoscaling/v1 is served from the stored v2 object, whose default CPU metric reads back as 80 percent. */
    private static void horizontalPodAutoscalerV1(Map<String, Object> autoscaler) {
        Map<String, Object> spec = mapOrCreate(autoscaler, "spec");
        setIfNull(spec, "minReplicas", 1);
        setIfNull(spec, "targetCPUUtilizationPercentage", 80);
    }

    /** Users and Groups get the RBAC API group; a ServiceAccount subject keeps an empty (so absent) one. */
    private static void roleBinding(Map<String, Object> binding) {
        setIfEmpty(mapOrCreate(binding, "roleRef"), "apiGroup", RBAC_GROUP);
        for (Map<String, Object> subject : maps(binding, "subjects")) {
            if (List.of("User", "Group").contains(string(subject.get("kind")))) {
                setIfEmpty(subject, "apiGroup", RBAC_GROUP);
            }
        }
    }

    private static void validatingAdmissionPolicy(Map<String, Object> policy) {
        Map<String, Object> spec = mapOrCreate(policy, "spec");
        setIfNull(spec, "failurePolicy", "Fail");
        matchResources(map(spec, "matchConstraints"));
    }

    private static void validatingAdmissionPolicyBinding(Map<String, Object> binding) {
        matchResources(map(map(binding, "spec"), "matchResources"));
    }

    private static void matchResources(Map<String, Object> match) {
        if (match == null) {
            return;
        }
        setIfNull(match, "matchPolicy", "Equivalent");
        setIfNull(match, "namespaceSelector", new LinkedHashMap<>());
        setIfNull(match, "objectSelector", new LinkedHashMap<>());
        for (String rules : List.of("resourceRules", "excludeResourceRules")) {
            maps(match, rules).forEach(rule -> setIfNull(rule, "scope", "*"));
        }
    }

    /** v1 webhooks: sideEffects and admissionReviewVersions are required in v1, so they get no default. */
    private static void webhooks(Map<String, Object> configuration, boolean mutating) {
        for (Map<String, Object> webhook : maps(configuration, "webhooks")) {
            setIfNull(webhook, "failurePolicy", "Fail");
            setIfNull(webhook, "matchPolicy", "Equivalent");
            setIfNull(webhook, "namespaceSelector", new LinkedHashMap<>());
            setIfNull(webhook, "objectSelector", new LinkedHashMap<>());
            setIfNull(webhook, "timeoutSeconds", 10);
            if (mutating) {
                setIfNull(webhook, "reinvocationPolicy", "Never");
            }
            maps(webhook, "rules").forEach(rule -> setIfNull(rule, "scope", "*"));
            Map<String, Object> service = map(map(webhook, "clientConfig"), "service");
            if (service != null) {
                setIfNull(service, "port", 443);
            }
        }
    }

    private static void storageClass(Map<String, Object> storageClass) {
        setIfNull(storageClass, "reclaimPolicy", "Delete");
        setIfNull(storageClass, "volumeBindingMode", "Immediate");
    }

    // ---- quantities --------------------------------------------------------------------------------------------

    /** SetDefaults_ResourceList: every value rounded up to milli precision, then printed in canonical form. */
    private static void canonicalResourceList(Map<String, Object> parent, String key) {
        Map<String, Object> resources = map(parent, key);
        if (resources != null) {
            resources.replaceAll((name, value) -> Quantity.parse(value)
                    .map(q -> (Object) q.roundUpToMilli().toString())
                    .orElse(value));
        }
    }

    /** A Quantity outside a ResourceList: canonical form, without the milli rounding. */
    private static void canonicalQuantity(Map<String, Object> parent, String key) {
        Quantity.parse(parent.get(key)).ifPresent(q -> parent.put(key, q.toString()));
    }

    /**
     * A {@code resource.Quantity} as apimachinery reads and prints it. {@code text} is the input string when the
     * parser keeps it verbatim (it does so for inputs that look canonical, e.g. "1.500"), else null and the value is
     * printed in canonical form: the suffix kind of the input (binary, decimal SI, exponent), no fractional digits,
     * and the largest suffix that keeps the mantissa an integer.
     */
    record Quantity(BigDecimal value, Format format, String text) {

        enum Format {
            BINARY_SI,
            DECIMAL_SI,
            DECIMAL_EXPONENT
        }

        private static final Map<String, Integer> DECIMAL_SUFFIXES =
                Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
        private static final Map<String, Integer> BINARY_SUFFIXES =
                Map.of("Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50, "Ei", 60);
        private static final List<String> BINARY_BY_POWER = List.of("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei");
        private static final BigDecimal BINARY_CAP = BigDecimal.valueOf(Long.MAX_VALUE);
        private static final BigDecimal KI = BigDecimal.valueOf(1024);
        private static final BigInteger KI_INT = BigInteger.valueOf(1024);

        /** Parses a string as ParseQuantity does, or a JSON number from its decimal text; empty when invalid. */
        static Optional<Quantity> parse(Object raw) {
            return switch (raw) {
                case String s -> parse(s.strip());
                case Double d -> parse(Double.toString(d));
                case Float f -> parse(Float.toString(f));
                case Number n -> parse(n.toString());
                case null, default -> Optional.empty();
            };
        }

        private static Optional<Quantity> parse(String str) {
            if (str.isEmpty()) {
                return Optional.empty();
            }
            int end = str.length();
            int pos = 0;
            boolean positive = true;
            if (str.charAt(0) == '-' || str.charAt(0) == '+') {
                positive = str.charAt(0) == '+';
                pos++;
            }
            while (pos < end && str.charAt(pos) == '0') {
                pos++;
            }
            if (pos >= end) {
                return Optional.of(new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI, null));
            }
            int numStart = pos;
            pos = skipDigits(str, pos);
            String num = str.substring(numStart, pos).isEmpty() ? "0" : str.substring(numStart, pos);
            String denom = "";
            if (pos < end && str.charAt(pos) == '.') {
                int denomStart = ++pos;
                pos = skipDigits(str, pos);
                denom = str.substring(denomStart, pos);
            }
            String number = str.substring(0, pos);
            int suffixStart = pos;
            while (pos < end && "eEinumkKMGTP".indexOf(str.charAt(pos)) >= 0) {
                pos++;
            }
            if (pos < end && (str.charAt(pos) == '-' || str.charAt(pos) == '+')) {
                pos++;
            }
            if (skipDigits(str, pos) != end) {
                return Optional.empty();
            }
            String suffix = str.substring(suffixStart);

            Format format;
            int exponent;
            if (DECIMAL_SUFFIXES.containsKey(suffix)) {
                format = Format.DECIMAL_SI;
                exponent = DECIMAL_SUFFIXES.get(suffix);
            } else if (BINARY_SUFFIXES.containsKey(suffix)) {
                format = Format.BINARY_SI;
                exponent = BINARY_SUFFIXES.get(suffix);
            } else if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
                format = Format.DECIMAL_EXPONENT;
                try {
                    exponent = Integer.parseInt(suffix.substring(1));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            } else {
                return Optional.empty();
            }
            Optional<Quantity> small = parseInt64(str, positive, num, denom, format, exponent);
            return small.isPresent() ? small : Optional.of(parseExact(number, format, exponent));
        }

        /** The int64 fast path, which also decides whether the input string is kept verbatim. */
        private static Optional<Quantity> parseInt64(
                String str, boolean positive, String num, String denom, Format format, int exponent) {
            int precision;
            int scale;
            long mantissa = 1;
            if (format == Format.BINARY_SI) {
                scale = 0;
                if (denom.isEmpty()) {
                    mantissa = 1L << exponent;
                    precision = 15 - num.length() - (int) ((float) exponent * 3 / 10) - 1;
                } else {
                    precision = -1;
                }
            } else {
                scale = exponent;
                precision = 18 - (num.length() + denom.length());
            }
            scale -= denom.length();
            if (precision < 0 || scale < -9) {
                return Optional.empty();
            }
            String shifted = num + denom;
            long digits = Long.parseLong(shifted);
            long result;
            try {
                result = Math.multiplyExact(digits, mantissa);
            } catch (ArithmeticException overflow) {
                return Optional.empty();
            }
            boolean verbatim = format == Format.BINARY_SI
                    ? exponent % 10 == 0 && (digits & 0x07) != 0
                    : scale % 3 == 0 && !shifted.endsWith("000") && shifted.charAt(0) != '0';
            return Optional.of(new Quantity(
                    BigDecimal.valueOf(positive ? result : -result, -scale), format, verbatim ? str : null));
        }

        private static Quantity parseExact(String number, Format format, int exponent) {
            BigDecimal amount;
            try {
                amount = new BigDecimal(number);
            } catch (NumberFormatException e) {
                amount = BigDecimal.ZERO;
            }
            amount = format == Format.BINARY_SI
                    ? amount.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(exponent)))
                    : amount.scaleByPowerOfTen(exponent);
            // Non-zero values round up to the smallest representable amount (1n) rather than vanish.
            if (amount.scale() > 9) {
                amount = amount.setScale(9, RoundingMode.UP);
            }
            if (format == Format.BINARY_SI && amount.abs().compareTo(BINARY_CAP) > 0) {
                amount = amount.signum() < 0 ? BINARY_CAP.negate() : BINARY_CAP;
            }
            if (format == Format.BINARY_SI && amount.abs().compareTo(BigDecimal.ONE) < 0) {
                format = Format.DECIMAL_SI;
            }
            return new Quantity(amount, format, null);
        }

        private static int skipDigits(String str, int pos) {
            while (pos < str.length() && Character.isDigit(str.charAt(pos)) && str.charAt(pos) < 128) {
                pos++;
            }
            return pos;
        }

        /** RoundUp(milli), as SetDefaults_ResourceList does; a verbatim string survives when nothing is rounded. */
        Quantity roundUpToMilli() {
            if (value.scale() <= 3) {
                return this;
            }
            return new Quantity(value.setScale(3, RoundingMode.UP), format, null);
        }

        @Override
        public String toString() {
            if (text != null) {
                return text;
            }
            if (value.signum() == 0) {
                return "0";
            }
            boolean integral = value.stripTrailingZeros().scale() <= 0;
            if (format == Format.BINARY_SI && value.abs().compareTo(KI) >= 0 && integral) {
                BigInteger amount = value.toBigIntegerExact();
                int power = 0;
                while (amount.mod(KI_INT).signum() == 0 && power < BINARY_BY_POWER.size() - 1) {
                    amount = amount.divide(KI_INT);
                    power++;
                }
                return amount + BINARY_BY_POWER.get(power);
            }
            BigDecimal stripped = value.stripTrailingZeros();
            BigInteger mantissa = stripped.unscaledValue();
            int exponent = -stripped.scale();
            while (exponent % 3 != 0) {
                mantissa = mantissa.multiply(BigInteger.TEN);
                exponent--;
            }
            if (format == Format.DECIMAL_EXPONENT) {
                return mantissa + (exponent == 0 ? "" : "e" + exponent);
            }
            int power = exponent;
            String suffix = DECIMAL_SUFFIXES.entrySet().stream()
                    .filter(e -> e.getValue() == power)
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse("e" + exponent);
            return mantissa + suffix;
        }
    }

    // ---- map access --------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return parent != null && parent.get(key) instanceof Map<?, ?> child ? (Map<String, Object>) child : null;
    }

    private static Map<String, Object> mapOrCreate(Map<String, Object> parent, String key) {
        Map<String, Object> child = map(parent, key);
        if (child == null) {
            child = new LinkedHashMap<>();
            parent.put(key, child);
        }
        return child;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> parent, String key) {
        return parent != null && parent.get(key) instanceof List<?> items ? (List<Object>) items : new ArrayList<>();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Map<String, Object> parent, String key) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Object item : list(parent, key)) {
            if (item instanceof Map<?, ?> child) {
                found.add((Map<String, Object>) child);
            }
        }
        return found;
    }

    private static Map<String, Object> copyOrEmpty(Map<String, Object> source) {
        return source == null ? new LinkedHashMap<>() : source;
    }

    private static void copyMissing(Map<String, Object> from, Map<String, Object> to) {
        if (from != null) {
            from.forEach(to::putIfAbsent);
        }
    }

    private static void putIfNotEmpty(Map<String, Object> parent, String key, Map<String, Object> value) {
        if (!value.isEmpty()) {
            parent.put(key, value);
        }
    }

    private static String qualifiedName(Map<String, Object> object) {
        Map<String, Object> metadata = mapOrCreate(object, "metadata");
        String namespace = string(metadata.get("namespace"));
        return (namespace.isEmpty() ? "default" : namespace) + "/" + string(metadata.get("name"));
    }

    /** A new mutable map in the given key order (Map.of iterates in a per-JVM order, which would reach the JSON). */
    private static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return fields;
    }

    private static String string(Object value) {
        return value instanceof String s ? s : "";
    }

    private static Object number(Object value) {
        return value instanceof Number n ? (Object) n.longValue() : value;
    }

    private static boolean isEmpty(Map<String, Object> map) {
        return map == null || map.isEmpty();
    }

    private static boolean isZero(Object value) {
        return value == null || (value instanceof Number n && n.doubleValue() == 0);
    }

    /** For pointer fields: only a missing (or null) value is unset. */
    private static void setIfNull(Map<String, Object> object, String key, Object value) {
        if (object.get(key) == null) {
            object.put(key, value);
        }
    }

    /** For plain string fields, where Go cannot tell "" from unset. */
    private static void setIfEmpty(Map<String, Object> object, String key, String value) {
        Object current = object.get(key);
        if (current == null || "".equals(current)) {
            object.put(key, value);
        }
    }

    /** For plain int fields, where Go cannot tell 0 from unset. */
    private static void setIfZero(Map<String, Object> object, String key, int value) {
        if (isZero(object.get(key))) {
            object.put(key, value);
        }
    }
}
