package io.meridian.systemtests;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meridian.fleetsim.SimulatedCluster;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The policy half of the chaos storm: pods that break a policy or not appear on and vanish from the clusters, waivers
 * are granted and revoked, clusters are relabelled into and out of the policy's scope, and the policy's rule is
 * changed. Then the open violations must be exactly what the policy, as it stands, says of the pods the clusters hold
 * (recomputed here from the clusters' own API), and every acknowledged change (a waiver, a label, a rule) must have
 * survived.
 */
final class PolicyStorm {

    static final String POLICY = "chaos-no-privileged";
    static final String SCOPE_LABEL = "chaos-audit";
    private static final List<String> NAMESPACES = List.of("chaos-a", "chaos-b");
    private static final String PRIVILEGED = "object.spec.containers.all(c, !has(c.securityContext)"
            + " || !has(c.securityContext.privileged) || !c.securityContext.privileged)";
    private static final String HOST_NETWORK = "!has(object.spec.hostNetwork) || !object.spec.hostNetwork";

    private final SystemUnderTest system;
    private final Random random;
    private final Consumer<String> count;
    private final Runnable unanswered;

    // Acknowledged state; a change whose answer was lost makes its key uncertain until a later one is acknowledged.
    private final Set<String> waiversCreated = ConcurrentHashMap.newKeySet();
    private final Set<String> waiversRevoked = ConcurrentHashMap.newKeySet();
    private final Set<String> revokeTried = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> inScope = new ConcurrentHashMap<>();
    // A change whose answer was lost may still be applied after a later one: its key stays uncertain for good.
    private final Set<String> scopeUncertain = ConcurrentHashMap.newKeySet();
    private volatile boolean strictRule;
    private volatile boolean ruleUncertain;
    private int pods;
    private volatile int violationsExpected;

    PolicyStorm(SystemUnderTest system, Random random, Consumer<String> count, Runnable unanswered) {
        this.system = system;
        this.random = random;
        this.count = count;
        this.unanswered = unanswered;
    }

    /**
     * Before the storm: the namespaces on every cluster with three pods in each (some breaking a rule), the policy,
     * and every other cluster in its scope.
     */
    void setUp() {
        for (SimulatedCluster cluster : system.fleet().clusters()) {
            for (String namespace : NAMESPACES) {
                try {
                    cluster.client()
                            .namespaces()
                            .resource(new NamespaceBuilder()
                                    .withNewMetadata()
                                    .withName(namespace)
                                    .endMetadata()
                                    .build())
                            .create();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                }
                for (int i = 0; i < 3; i++) {
                    createPod(cluster, namespace, "seeded before the storm");
                }
            }
        }
        system.as(DemoUser.OPERATOR, Service.POLICY)
                .body(policy(false))
                .post("/api/v1/policies")
                .then()
                .statusCode(201);
        List<SimulatedCluster> clusters = system.fleet().clusters();
        for (int i = 0; i < clusters.size(); i += 2) {
            String name = clusters.get(i).name();
            if (!relabel(name, true, 1)) {
                throw new AssertionError("cluster " + name + " could not be labelled before the storm");
            }
        }
    }

    /** One change of the storm's policy half, picked by {@code dice} in [0, 11). */
    void step(int dice, int replica) {
        switch (dice) {
            case 0, 1, 2, 3, 4 -> {
                SimulatedCluster cluster = pick(system.fleet().clusters());
                if (cluster.isUp()) {
                    createPod(cluster, pick(NAMESPACES), "created");
                }
            }
            case 5, 6 -> deletePod();
            case 7 -> createWaiver(replica);
            case 8 -> revokeWaiver(replica);
            case 9 -> {
                SimulatedCluster cluster = pick(system.fleet().clusters());
                relabel(cluster.name(), !Boolean.TRUE.equals(inScope.get(cluster.name())), replica);
            }
            default -> changeRule(replica);
        }
    }

    private void createPod(SimulatedCluster cluster, String namespace, String how) {
        boolean privileged = random.nextInt(3) == 0;
        boolean hostNetwork = random.nextInt(3) == 0;
        String name = "chaos-pod-" + (++pods);
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withHostNetwork(hostNetwork ? true : null)
                .addNewContainer()
                .withName("main")
                .withImage("registry.meridian.io/tools/debug:1.0")
                .withNewSecurityContext()
                .withPrivileged(privileged)
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .build();
        cluster.client().pods().inNamespace(namespace).resource(pod).create();
        count.accept("pod " + how + (privileged || hostNetwork ? " that breaks a rule" : " that breaks none"));
    }

    private void deletePod() {
        SimulatedCluster cluster = pick(system.fleet().clusters());
        if (!cluster.isUp()) {
            return;
        }
        String namespace = pick(NAMESPACES);
        List<Pod> present =
                cluster.client().pods().inNamespace(namespace).list().getItems();
        if (!present.isEmpty()) {
            cluster.client()
                    .pods()
                    .inNamespace(namespace)
                    .withName(pick(present).getMetadata().getName())
                    .delete();
            count.accept("pod deleted");
        }
    }

    private void createWaiver(int replica) {
        count.accept("waiver granted");
        Response created = system.as(DemoUser.OPERATOR, Service.POLICY, replica)
                .body(Map.of(
                        "policy", POLICY,
                        "clusterId", pick(system.fleet().clusters()).name(),
                        "namespace", pick(NAMESPACES),
                        "reason", "chaos storm",
                        "expiresAt", Instant.now().plus(Duration.ofHours(2)).toString()))
                .post("/api/v1/waivers");
        if (created.statusCode() == 201) {
            waiversCreated.add(created.path("id"));
        } else {
            unanswered.run();
        }
    }

    private void revokeWaiver(int replica) {
        List<String> standing = new ArrayList<>(new TreeSet<>(waiversCreated));
        standing.removeAll(waiversRevoked);
        if (standing.isEmpty()) {
            return;
        }
        String id = pick(standing);
        count.accept("waiver revoked");
        revokeTried.add(id);
        if (system.as(DemoUser.OPERATOR, Service.POLICY, replica)
                        .delete("/api/v1/waivers/{id}", id)
                        .statusCode()
                == 204) {
            waiversRevoked.add(id);
        } else {
            // Revoked or not: the check reads which, and only a waiver acknowledged revoked must be gone.
            unanswered.run();
        }
    }

    /** Puts a cluster into the policy's scope or takes it out; whether Meridian acknowledged the change. */
    private boolean relabel(String cluster, boolean in, int replica) {
        JsonPath current = system.as(DemoUser.VIEWER, Service.INVENTORY, replica)
                .get("/api/v1/clusters/{name}", cluster)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, String> labels = new HashMap<>(current.getMap("labels", String.class, String.class));
        if (in) {
            labels.put(SCOPE_LABEL, "on");
        } else {
            labels.remove(SCOPE_LABEL);
        }
        count.accept(in ? "cluster relabelled into the policy's scope" : "cluster relabelled out of it");
        // Changing a prod cluster's labels is for fleet-admins.
        Response changed = system.as(DemoUser.ADMIN, Service.INVENTORY, replica)
                .contentType("application/merge-patch+json")
                .body(Map.of("labels", labels))
                .patch("/api/v1/clusters/{name}", cluster);
        if (changed.statusCode() == 200) {
            inScope.put(cluster, in);
            return true;
        }
        scopeUncertain.add(cluster);
        unanswered.run();
        return false;
    }

    private void changeRule(int replica) {
        boolean strict = !strictRule;
        count.accept(strict ? "policy rule made stricter (host network too)" : "policy rule relaxed");
        Response replaced = system.as(DemoUser.OPERATOR, Service.POLICY, replica)
                .body(policy(strict))
                .put("/api/v1/policies/{name}", POLICY);
        if (replaced.statusCode() != 200) {
            ruleUncertain = true;
            unanswered.run();
        }
        strictRule = strict; // the next change goes the other way, answered or not
    }

    private static Map<String, Object> policy(boolean strict) {
        List<Map<String, Object>> validations = new ArrayList<>();
        validations.add(Map.of("expression", PRIVILEGED, "message", "privileged containers are not allowed"));
        if (strict) {
            validations.add(Map.of("expression", HOST_NETWORK, "message", "host network is not allowed"));
        }
        return Map.of(
                "name",
                POLICY,
                "severity",
                "low",
                "action",
                "audit",
                "categories",
                List.of("security"),
                "fleetScope",
                Map.of("clusterSelector", Map.of("matchLabels", Map.of(SCOPE_LABEL, "on"))),
                "spec",
                Map.of(
                        "matchConstraints",
                        Map.of(
                                "resourceRules",
                                List.of(Map.of(
                                        "apiGroups", List.of(""),
                                        "apiVersions", List.of("v1"),
                                        "resources", List.of("pods"),
                                        "operations", List.of("CREATE", "UPDATE")))),
                        // Only the storm's namespaces: the seeded workloads are not its business.
                        "matchConditions",
                        List.of(Map.of(
                                "name", "chaos-namespaces",
                                "expression", "object.metadata.namespace.startsWith('chaos-')")),
                        "validations",
                        validations));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // ground truth

    /**
     * What differs from what the policy says, on the {@code checked} clusters: acknowledged changes that did not
     * survive, violations open that the clusters' pods do not cause, and pods whose violation is not open.
     */
    @SuppressWarnings("unchecked")
    List<String> problems(Set<String> checked) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> policy = system.as(DemoUser.VIEWER, Service.POLICY)
                .get("/api/v1/policies/{name}", POLICY)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("policy");
        List<Map<String, Object>> validations =
                (List<Map<String, Object>>) ((Map<String, Object>) policy.get("spec")).get("validations");
        boolean strict = validations.size() > 1;
        if (!ruleUncertain && strictRule != strict) {
            problems.add("the policy's rule was acknowledged " + (strictRule ? "strict" : "relaxed") + " but is not");
        }

        Instant now = Instant.now();
        Set<String> waived = new HashSet<>();
        Set<String> standing = new HashSet<>();
        for (Map<String, Object> waiver : system.as(DemoUser.VIEWER, Service.POLICY)
                .get("/api/v1/waivers")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .<Map<String, Object>>getList("$")) {
            if (POLICY.equals(waiver.get("policy"))
                    && Instant.parse((String) waiver.get("expiresAt")).isAfter(now)) {
                waived.add(waiver.get("clusterId") + "/" + waiver.get("namespace"));
                standing.add((String) waiver.get("id"));
            }
        }
        for (String id : waiversCreated) {
            if (waiversRevoked.contains(id) && standing.contains(id)) {
                problems.add("waiver " + id + " was acknowledged revoked but stands");
            }
        }
        // A waiver whose revocation was not acknowledged may be either way; one never revoked must stand.
        for (String id : waiversCreated) {
            if (!revokeTried.contains(id) && !standing.contains(id)) {
                problems.add("waiver " + id + " was acknowledged granted but is gone");
            }
        }

        Map<String, Boolean> labelledIn = new HashMap<>();
        CursorPages.forEach(
                () -> system.as(DemoUser.VIEWER, Service.INVENTORY).queryParam("limit", 500),
                "/api/v1/clusters",
                page -> {
                    for (Map<String, Object> item : page.<Map<String, Object>>getList("items")) {
                        Map<String, String> labels = (Map<String, String>) item.getOrDefault("labels", Map.of());
                        labelledIn.put((String) item.get("name"), "on".equals(labels.get(SCOPE_LABEL)));
                    }
                });
        inScope.forEach((cluster, in) -> {
            if (!scopeUncertain.contains(cluster) && !in.equals(labelledIn.get(cluster))) {
                problems.add("cluster " + cluster + " was acknowledged " + (in ? "in" : "out of")
                        + " the policy's scope but is not");
            }
        });

        Set<String> expected = new TreeSet<>();
        for (SimulatedCluster cluster : system.fleet().clusters()) {
            if (!checked.contains(cluster.name()) || !Boolean.TRUE.equals(labelledIn.get(cluster.name()))) {
                continue;
            }
            for (String namespace : NAMESPACES) {
                if (waived.contains(cluster.name() + "/" + namespace)) {
                    continue;
                }
                for (Pod pod :
                        cluster.client().pods().inNamespace(namespace).list().getItems()) {
                    if (breaks(pod, strict)) {
                        expected.add(cluster.name() + "/" + namespace + "/"
                                + pod.getMetadata().getName());
                    }
                }
            }
        }
        Set<String> open = new TreeSet<>();
        int offset = 0;
        long total;
        do {
            JsonPath page = system.as(DemoUser.VIEWER, Service.POLICY)
                    .queryParam("policy", POLICY)
                    .queryParam("limit", 500)
                    .queryParam("offset", offset)
                    .get("/api/v1/compliance/violations")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            for (Map<String, Object> item : items) {
                String cluster = (String) item.get("clusterId");
                Map<String, Object> object = (Map<String, Object>) item.get("object");
                if (checked.contains(cluster)) {
                    open.add(cluster + "/" + object.get("namespace") + "/" + object.get("name"));
                }
            }
            offset += items.size();
            total = page.getLong("total");
            if (items.isEmpty()) {
                break;
            }
        } while (offset < total);
        for (String violation : expected) {
            if (!open.contains(violation)) {
                problems.add("pod " + violation + " breaks " + POLICY + " but no violation is open");
            }
        }
        for (String violation : open) {
            if (!expected.contains(violation)) {
                problems.add("violation of " + POLICY + " open for " + violation + ", which the policy does not say");
            }
        }
        violationsExpected = expected.size();
        return problems;
    }

    /** Violations the policy said were open at the last check. */
    int violationsExpected() {
        return violationsExpected;
    }

    private static boolean breaks(Pod pod, boolean strict) {
        boolean privileged = pod.getSpec().getContainers().stream()
                .anyMatch(c -> c.getSecurityContext() != null
                        && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged()));
        return privileged || (strict && Boolean.TRUE.equals(pod.getSpec().getHostNetwork()));
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
