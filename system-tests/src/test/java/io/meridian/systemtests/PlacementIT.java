package io.meridian.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.meridian.fleetsim.Cloud;
import io.meridian.fleetsim.SimulatedCluster;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The placement scenario of issue 16 on the running services and simulated fleet: a workload spread over AWS and GCP
 * runs on one cluster of each; every AWS cluster goes down (the simulator's control API) and the AWS share is running
 * on another GCP cluster within {@code failover.after} + 15 s of inventory declaring the cluster Unreachable, with the
 * spread rule reported unmet; AWS returns and the share goes back after {@code stableFor}, make-before-break. Bad input
 * is a 400 naming the field, and a viewer reaches no write.
 */
@SystemTest
class PlacementIT {

    /** Short on purpose, so the scenario takes about two minutes; the defaults are 30 s and 5 min. */
    private static final Duration FAILOVER_AFTER = Duration.ofSeconds(10);

    private static final Duration STABLE_FOR = Duration.ofSeconds(20);

    /** The bound for a failover: replicas available elsewhere within failover.after + 15 s. */
    private static final Duration MOVE_WITHIN = FAILOVER_AFTER.plusSeconds(15);

    /** Generous bounds for what the scenario waits on but does not measure (inventory's probes, a first placement). */
    private static final Duration WITHIN = Duration.ofSeconds(90);

    private static final String NAMESPACE = "placement-it";
    private static final int REPLICAS = 2;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final SystemUnderTest system;

    PlacementIT(SystemUnderTest system) {
        this.system = system;
    }

    @Test
    void aWorkloadOnTwoCloudsFailsOverWhenAwsGoesDownAndComesBackAfterStableFor() {
        system.registerFleet();
        List<String> aws = clusterNames(Cloud.AWS);
        List<String> gcp = clusterNames(Cloud.GCP);
        awaitReady(aws, gcp);
        String workload = unique("checkout");

        // The selector can reach production clusters: a fleet-admin's workload.
        system.as(DemoUser.ADMIN, Service.PLACEMENT)
                .body(workload(
                        workload,
                        Map.of(
                                "clusterSelector", Map.of("clouds", List.of("aws", "gcp")),
                                "mode", "Duplicated",
                                "clusters", Map.of("min", 2, "max", 2),
                                "spread", List.of(Map.of("by", "cloud", "min", 2))),
                        Map.of(
                                "after",
                                text(FAILOVER_AFTER),
                                // One of the workload's two clusters is half of them: not a sign of our own network.
                                "maxFraction",
                                0.5,
                                "failback",
                                "Automatic",
                                "stableFor",
                                text(STABLE_FOR))))
                .post("/api/v1/workloads")
                .then()
                .statusCode(201);

        // Placed on one cluster of each cloud, and running there as the clusters and inventory see it.
        Explanation placed = await().atMost(WITHIN)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> explain(workload), e -> e.chosen().size() == 2 && e.availableEverywhere());
        String awsCluster = only(placed.chosen(), aws);
        String gcpCluster = only(placed.chosen(), gcp);
        assertThat(placed.degraded()).isFalse();
        assertThat(placed.unmetSpread()).isEmpty();
        assertThat(placed.rejectedReasons())
                .as("the clusters of the other clouds are not selected")
                .containsAllEntriesOf(notSelected());
        assertRunning(awsCluster, workload);
        assertRunning(gcpCluster, workload);

        Instant down = Instant.now();
        cloud("aws", "down");
        try {
            // The AWS share runs on another GCP cluster: the only cloud left, so the spread rule is unmet.
            AtomicReference<Instant> movedAt = new AtomicReference<>();
            List<Explanation> brokeBeforeMade = new ArrayList<>();
            Explanation failedOver = await().atMost(WITHIN.plus(MOVE_WITHIN))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> explain(workload), e -> {
                        // Make-before-break: while a chosen cluster is not available yet, the lost one keeps its share.
                        if (!e.chosen().stream().allMatch(e::availableOn)
                                && !e.clusters().containsKey(awsCluster)) {
                            brokeBeforeMade.add(e);
                        }
                        boolean moved = !e.chosen().contains(awsCluster)
                                && e.chosen().size() == 2
                                && e.chosen().stream().allMatch(gcp::contains)
                                && e.chosen().stream().allMatch(e::availableOn);
                        if (moved) {
                            movedAt.set(Instant.now());
                        }
                        return moved;
                    });
            String replacement = failedOver.chosen().stream()
                    .filter(c -> !c.equals(gcpCluster))
                    .findFirst()
                    .orElseThrow();
            Displaced lost = failedOver.displaced().get(awsCluster);
            assertThat(lost).as("%s is remembered for the failback", awsCluster).isNotNull();
            log("failover: %s Unreachable %.1f s after the outage, replicas available on %s %.1f s later"
                    .formatted(
                            awsCluster,
                            seconds(down, lost.lostAt()),
                            replacement,
                            seconds(lost.lostAt(), movedAt.get())));
            assertThat(movedAt.get())
                    .as(
                            "replicas available on %s within failover.after + 15 s of %s becoming Unreachable (%s)",
                            replacement, awsCluster, lost.lostAt())
                    .isBeforeOrEqualTo(lost.lostAt().plus(MOVE_WITHIN));
            assertThat(failedOver.degraded()).isTrue();
            assertThat(failedOver.unmetSpread()).singleElement().asString().startsWith("cloud: 1 of 2");
            assertRunning(replacement, workload);
            assertThat(brokeBeforeMade)
                    .as("%s kept its assignment until the replacement was available", awsCluster)
                    .isEmpty();
        } finally {
            cloud("aws", "up");
        }

        // Back: the AWS cluster waits stableFor Ready, then gets its share back. Every move on the way (another AWS
        // cluster may restore the spread rule first) is make-before-break: two clusters run the workload throughout.
        Instant up = Instant.now();
        Explanation waiting = await().atMost(WITHIN)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> explain(workload),
                        e -> e.displaced().containsKey(awsCluster)
                                && e.displaced().get(awsCluster).readyAgainSince() != null);
        Instant readyAgain = waiting.displaced().get(awsCluster).readyAgainSince();
        assertThat(waiting.chosen()).doesNotContain(awsCluster);

        AtomicReference<Instant> backAt = new AtomicReference<>();
        List<Explanation> belowTwo = new ArrayList<>();
        Set<Set<String>> choices = new LinkedHashSet<>();
        await().atMost(STABLE_FOR.plus(WITHIN))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Explanation e = explain(workload);
                    choices.add(e.chosen());
                    if (backAt.get() == null && e.chosen().contains(awsCluster)) {
                        backAt.set(Instant.now());
                    }
                    if (e.availableCount() < 2) {
                        belowTwo.add(e);
                    }
                    return e.chosen().equals(Set.of(awsCluster, gcpCluster))
                            && e.clusters().keySet().equals(Set.of(awsCluster, gcpCluster))
                            && e.availableEverywhere();
                });
        log("failback: chosen in turn %s".formatted(choices));
        log("failback: %s Ready again %.1f s after it came up, chosen again %.1f s after that (stableFor %s)"
                .formatted(awsCluster, seconds(up, readyAgain), seconds(readyAgain, backAt.get()), STABLE_FOR));
        assertThat(backAt.get())
                .as("%s chosen again no sooner than stableFor after it was Ready again (%s)", awsCluster, readyAgain)
                .isAfterOrEqualTo(readyAgain.plus(STABLE_FOR));
        assertThat(belowTwo)
                .as("the workload ran available on two clusters throughout its return")
                .isEmpty();
        Explanation back = explain(workload);
        assertThat(back.degraded()).isFalse();
        assertThat(back.unmetSpread()).isEmpty();
        assertThat(back.displaced()).isEmpty();
        assertRunning(awsCluster, workload);
    }

    @Test
    void aSecretIsRefusedWithAProblemThatNamesTheFieldAndNothingIsCreated() {
        String workload = unique("with-secret");
        Map<String, Object> body = new LinkedHashMap<>(workload(workload, onNoCluster(), null));
        List<Map<String, Object>> manifests = new ArrayList<>(manifests(workload));
        manifests.add(Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Secret",
                "metadata",
                Map.of("name", "db", "namespace", NAMESPACE),
                "stringData",
                Map.of("password", "hunter2")));
        body.put("manifests", manifests);

        JsonPath problem = system.as(DemoUser.OPERATOR, Service.PLACEMENT)
                .body(body)
                .post("/api/v1/workloads")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .extract()
                .jsonPath();
        assertThat(problem.getList("errors.field", String.class)).containsExactly("manifests[1].kind");
        assertThat(problem.getString("errors[0].message"))
                .startsWith("Secret/db: Meridian never carries secret data")
                .doesNotContain("hunter2");
        system.as(DemoUser.VIEWER, Service.PLACEMENT)
                .get("/api/v1/workloads/{name}", workload)
                .then()
                .statusCode(404);
    }

    @Test
    void aViewerReachesNoWriteOfAWorkload() {
        String workload = unique("viewer-target");
        system.as(DemoUser.OPERATOR, Service.PLACEMENT)
                .body(workload(workload, onNoCluster(), null))
                .post("/api/v1/workloads")
                .then()
                .statusCode(201);

        String other = unique("viewer-made");
        system.as(DemoUser.VIEWER, Service.PLACEMENT)
                .body(workload(other, onNoCluster(), null))
                .post("/api/v1/workloads")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        system.as(DemoUser.VIEWER, Service.PLACEMENT)
                .body(workload(workload, onNoCluster(), null))
                .put("/api/v1/workloads/{name}", workload)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        for (String path : List.of("rollback", "rollout/resume", "failover")) {
            var answer =
                    system.as(DemoUser.VIEWER, Service.PLACEMENT).post("/api/v1/workloads/{name}/" + path, workload);
            assertThat(answer.statusCode()).as("a viewer's POST .../%s", path).isEqualTo(403);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
        system.as(DemoUser.VIEWER, Service.PLACEMENT)
                .body(Map.of("clusters", List.of("aws-prod-use1-1")))
                .post("/api/v1/workloads/{name}/failback", workload)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        system.as(DemoUser.VIEWER, Service.PLACEMENT)
                .delete("/api/v1/workloads/{name}", workload)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");

        system.as(DemoUser.VIEWER, Service.PLACEMENT)
                .get("/api/v1/workloads/{name}", other)
                .then()
                .statusCode(404);
        JsonPath unchanged = system.as(DemoUser.VIEWER, Service.PLACEMENT)
                .get("/api/v1/workloads/{name}", workload)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(unchanged.getLong("generation")).isEqualTo(1);
        assertThat(unchanged.getString("updatedBy")).isEqualTo(DemoUser.OPERATOR.username());
    }

    // ------------------------------------------------------------------ the workload

    private static Map<String, Object> workload(
            String name, Map<String, Object> placement, Map<String, Object> failover) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("namespace", NAMESPACE);
        body.put("manifests", manifests(name));
        body.put("placement", placement);
        if (failover != null) {
            body.put("failover", failover);
        }
        return body;
    }

    /** A small web Deployment: what it requests fits on every simulated cluster. */
    private static List<Map<String, Object>> manifests(String name) {
        return List.of(Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", name, "namespace", NAMESPACE),
                "spec",
                Map.of(
                        "replicas",
                        REPLICAS,
                        "selector",
                        Map.of("matchLabels", Map.of("app", name)),
                        "template",
                        Map.of(
                                "metadata",
                                Map.of("labels", Map.of("app", name)),
                                "spec",
                                Map.of(
                                        "containers",
                                        List.of(Map.of(
                                                "name",
                                                "web",
                                                "image",
                                                "nginx:1.27",
                                                "resources",
                                                Map.of("requests", Map.of("cpu", "100m", "memory", "64Mi")))))))));
    }

    /** Selects no cluster (there are no on-prem dev clusters), and can never reach production: an operator's. */
    private static Map<String, Object> onNoCluster() {
        return Map.of(
                "clusterSelector",
                Map.of(
                        "clouds", List.of("onprem"),
                        "environments", List.of("dev"),
                        "labelSelector", "environment!=prod"));
    }

    /** A name no earlier run of the scenario used: the stack may keep its data between runs. */
    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ------------------------------------------------------------------ what the system shows

    /** The placement explanation of a workload, as a viewer reads it. */
    private Explanation explain(String workload) {
        return Explanation.of(system.as(DemoUser.VIEWER, Service.PLACEMENT)
                .get("/api/v1/workloads/{name}/placement", workload)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath());
    }

    /**
     * The workload's Deployment runs on the cluster: its API server says every replica is available at the current
     * spec, and inventory's fleet search shows it labelled with the workload and available.
     */
    private void assertRunning(String cluster, String workload) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    Deployment live = system.fleet()
                            .cluster(cluster)
                            .client()
                            .apps()
                            .deployments()
                            .inNamespace(NAMESPACE)
                            .withName(workload)
                            .get();
                    assertThat(live)
                            .as("Deployment %s/%s on %s", NAMESPACE, workload, cluster)
                            .isNotNull();
                    assertThat(live.getMetadata().getLabels()).containsEntry("meridian.io/workload", workload);
                    assertThat(live.getStatus())
                            .as("status of %s on %s", workload, cluster)
                            .isNotNull();
                    assertThat(live.getStatus().getObservedGeneration())
                            .isEqualTo(live.getMetadata().getGeneration());
                    assertThat(live.getStatus().getAvailableReplicas()).isEqualTo(REPLICAS);

                    JsonPath observed = system.as(DemoUser.VIEWER, Service.INVENTORY)
                            .queryParam("cluster", cluster)
                            .queryParam("kind", "Deployment")
                            .queryParam("labelSelector", "meridian.io/workload=" + workload)
                            .get("/api/v1/resources")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    assertThat(observed.getList("items.name", String.class)).containsExactly(workload);
                    assertThat(observed.getBoolean("items[0].status.ready")).isTrue();
                    assertThat(observed.getString("items[0].status.conditions.Available"))
                            .isEqualTo("True");
                });
    }

    private void awaitReady(List<String> aws, List<String> gcp) {
        Set<String> wanted = new TreeSet<>(aws);
        wanted.addAll(gcp);
        await().atMost(WITHIN)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(system.as(DemoUser.VIEWER, Service.INVENTORY)
                                .queryParam("phase", "Ready")
                                .queryParam("limit", 500)
                                .get("/api/v1/clusters")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("items.name", String.class))
                        .containsAll(wanted));
    }

    /** Every cluster outside AWS and GCP, rejected as not selected. */
    private Map<String, String> notSelected() {
        Map<String, String> expected = new HashMap<>();
        for (SimulatedCluster c : system.fleet().clusters()) {
            if (c.cloud() != Cloud.AWS && c.cloud() != Cloud.GCP) {
                expected.put(c.name(), "NotSelected");
            }
        }
        assertThat(expected).as("the fleet has clusters outside AWS and GCP").isNotEmpty();
        return expected;
    }

    private List<String> clusterNames(Cloud cloud) {
        List<String> names = system.fleet().clusters().stream()
                .filter(c -> c.cloud() == cloud)
                .map(SimulatedCluster::name)
                .toList();
        assertThat(names).as("clusters of %s in the simulated fleet", cloud).hasSizeGreaterThan(1);
        return names;
    }

    /** Takes a whole cloud down, or brings it back, as an operator does: the simulator's control API. */
    private void cloud(String cloud, String action) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(system.fleet().controlUrl() + "/clouds/" + cloud + "/" + action))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as("POST /clouds/%s/%s answered %s", cloud, action, response.body())
                    .isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String only(Set<String> chosen, List<String> of) {
        List<String> in = chosen.stream().filter(of::contains).toList();
        assertThat(in).as("chosen clusters %s among %s", chosen, of).hasSize(1);
        return in.getFirst();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static void log(String message) {
        System.out.println("[placement-it] " + message);
    }

    /** A duration as the API reads it: 10s, 20s. */
    private static String text(Duration d) {
        return d.toSeconds() + "s";
    }

    /** One cluster of the workload: what it is told to run and whether the workload is available there. */
    private record ClusterState(long assignedGeneration, boolean available) {}

    /** A cluster the workload failed over from: when it was lost and since when it is Ready again (or null). */
    private record Displaced(Instant lostAt, Instant readyAgainSince) {}

    /** What {@code GET .../placement} says, in the parts the scenario checks. */
    private record Explanation(
            Set<String> chosen,
            Map<String, String> rejectedReasons,
            Map<String, ClusterState> clusters,
            Map<String, Displaced> displaced,
            boolean degraded,
            List<String> unmetSpread) {

        static Explanation of(JsonPath json) {
            Set<String> chosen = new TreeSet<>(json.getList("chosen.clusterId", String.class));
            Map<String, String> rejected = new HashMap<>();
            for (Map<String, Object> r : json.<Map<String, Object>>getList("rejected")) {
                rejected.put((String) r.get("clusterId"), (String) r.get("reason"));
            }
            Map<String, ClusterState> clusters = new HashMap<>();
            for (Map<String, Object> c : json.<Map<String, Object>>getList("clusters")) {
                clusters.put(
                        (String) c.get("clusterId"),
                        new ClusterState(
                                ((Number) c.get("assignedGeneration")).longValue(),
                                Boolean.TRUE.equals(c.get("available"))));
            }
            Map<String, Displaced> displaced = new HashMap<>();
            for (Map<String, Object> d : json.<Map<String, Object>>getList("displaced")) {
                displaced.put(
                        (String) d.get("clusterId"),
                        new Displaced(instant(d.get("lostAt")), instant(d.get("readyAgainSince"))));
            }
            return new Explanation(
                    chosen,
                    rejected,
                    clusters,
                    displaced,
                    json.getBoolean("degraded"),
                    json.getList("unmetSpread", String.class));
        }

        /** Clusters told to run the workload where it is available. */
        long availableCount() {
            return clusters.values().stream().filter(ClusterState::available).count();
        }

        boolean availableOn(String cluster) {
            ClusterState state = clusters.get(cluster);
            return state != null && state.available();
        }

        /** Available on every chosen cluster, and assigned nowhere else (a move is complete). */
        boolean availableEverywhere() {
            return !chosen.isEmpty()
                    && clusters.keySet().equals(chosen)
                    && chosen.stream().allMatch(this::availableOn);
        }

        private static Instant instant(Object value) {
            return value == null ? null : Instant.parse((String) value);
        }
    }
}
