package io.meridian.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.Topic;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The demo fleet registers through inventory's API, becomes Ready, and inventory observes what the clusters hold. */
@SystemTest
class FleetRegistrationIT {

    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    /** The kinds inventory watches on every cluster, with how to count them on a simulated cluster. */
    private static final Map<String, Function<KubernetesClient, KubernetesResourceList<? extends HasMetadata>>>
            WATCHED_KINDS = watchedKinds();

    private final SystemUnderTest system;

    FleetRegistrationIT(SystemUnderTest system) {
        this.system = system;
    }

    @Test
    void theDemoFleetRegistersAndEveryClusterBecomesReadyWithinAMinute() {
        List<SystemUnderTest.RegisteredCluster> answers = system.registerFleet();

        assertThat(answers).hasSize(SystemUnderTest.FLEET_SIZE);
        assertThat(answers)
                .allSatisfy(answer -> assertThat(answer.status())
                        .as("registering %s answered %s", answer.name(), answer.body())
                        .isEqualTo(201));
        List<String> fleet = fleetNames();
        await().atMost(READY_WITHIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonPath ready = system.as(DemoUser.VIEWER, Service.INVENTORY)
                    .queryParam("phase", "Ready")
                    .queryParam("limit", 500)
                    .get("/api/v1/clusters")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(ready.getList("items.name", String.class))
                    .as("clusters Ready")
                    .containsExactlyInAnyOrderElementsOf(fleet);
        });
        for (var cluster : system.fleet().clusters()) {
            JsonPath status = system.as(DemoUser.VIEWER, Service.INVENTORY)
                    .get("/api/v1/clusters/{name}", cluster.name())
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            try (KubernetesClient client = clientOf(cluster.registration())) {
                assertThat(status.getInt("status.nodeCount"))
                        .as("nodes of %s", cluster.name())
                        .isEqualTo(client.nodes().list().getItems().size());
            }
        }
    }

    @Test
    void inventoryObservesAsManyObjectsOfEachWatchedKindAsEveryClusterHolds() {
        system.registerFleet();
        Map<String, Map<String, Integer>> simulated = new TreeMap<>();
        for (Map<String, Object> registration : system.fleet().registrations()) {
            try (KubernetesClient client = clientOf(registration)) {
                Map<String, Integer> counts = new TreeMap<>();
                WATCHED_KINDS.forEach((kind, list) ->
                        counts.put(kind, list.apply(client).getItems().size()));
                simulated.put((String) registration.get("name"), counts);
            }
        }
        assertThat(simulated.values())
                .allSatisfy(counts -> assertThat(counts.values().stream()
                                .mapToInt(Integer::intValue)
                                .sum())
                        .as("a simulated cluster holds objects of the watched kinds")
                        .isGreaterThan(50));

        await().atMost(READY_WITHIN.multipliedBy(2))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    Map<String, Map<String, Integer>> observed = new TreeMap<>();
                    for (String cluster : simulated.keySet()) {
                        Map<String, Integer> counts = new TreeMap<>();
                        for (String kind : WATCHED_KINDS.keySet()) {
                            counts.put(kind, total(Map.of("cluster", cluster, "kind", kind)));
                        }
                        observed.put(cluster, counts);
                    }
                    assertThat(observed).isEqualTo(simulated);
                });
        // Without a kind filter, the search counts every observed object of a cluster: the watched kinds only.
        simulated.forEach((cluster, counts) -> assertThat(total(Map.of("cluster", cluster)))
                .as("objects of %s in fleet search", cluster)
                .isEqualTo(counts.values().stream().mapToInt(Integer::intValue).sum()));
    }

    @Test
    void everyClusterIsPublishedReadyOnTheClustersTopic() {
        system.registerFleet();
        Map<String, ClusterPhase> allReady = new TreeMap<>();
        fleetNames().forEach(name -> allReady.put(name, ClusterPhase.Ready));
        Map<String, ClusterSnapshot> latest = new HashMap<>();
        Map<String, ClusterPhase> phases = new TreeMap<>();
        int records = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(system.kafkaConsumerProperties("clusters-topic"))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.CLUSTERS.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(READY_WITHIN);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    if (record.value() == null) {
                        continue;
                    }
                    ClusterSnapshot snapshot = EventJson.read(record.value(), ClusterSnapshot.class);
                    latest.merge(
                            snapshot.name(),
                            snapshot,
                            (known, next) -> next.revision() >= known.revision() ? next : known);
                }
                phases.clear();
                latest.forEach((name, snapshot) -> phases.put(name, snapshot.phase()));
                if (phases.entrySet().containsAll(allReady.entrySet())) {
                    break;
                }
            }
        }
        assertThat(phases)
                .as("latest phase per cluster in %d records of %s", records, Topic.CLUSTERS.topicName())
                .containsAllEntriesOf(allReady);
    }

    @Test
    void aViewerMayNotRegisterAClusterAndNothingIsRegistered() {
        Map<String, Object> registration =
                new LinkedHashMap<>(system.fleet().registrations().getFirst());
        registration.put("name", "viewer-may-not-register");

        system.as(DemoUser.VIEWER, Service.INVENTORY)
                .body(registration)
                .post("/api/v1/clusters")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        system.as(DemoUser.VIEWER, Service.INVENTORY)
                .get("/api/v1/clusters/viewer-may-not-register")
                .then()
                .statusCode(404);
    }

    @Test
    void everyServiceNamesItselfAndTheCallerWithARealKeycloakToken() {
        for (Service service : Service.values()) {
            JsonPath answer = system.as(DemoUser.VIEWER, service)
                    .get("/api/v1/service")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(answer.getString("service")).isEqualTo(service.serviceName());
            assertThat(answer.getString("caller.name")).isEqualTo(DemoUser.VIEWER.username());
            assertThat(answer.getList("caller.roles", String.class)).containsExactly(DemoUser.VIEWER.role());

            system.anonymous(service).get("/api/v1/service").then().statusCode(401);
        }
    }

    private int total(Map<String, String> query) {
        return system.as(DemoUser.VIEWER, Service.INVENTORY)
                .queryParams(query)
                .queryParam("limit", 1)
                .get("/api/v1/resources")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getInt("total");
    }

    private List<String> fleetNames() {
        return system.fleet().registrations().stream()
                .map(r -> (String) r.get("name"))
                .toList();
    }

    /** A client with the very credentials inventory was given. */
    @SuppressWarnings("unchecked")
    private static KubernetesClient clientOf(Map<String, Object> registration) {
        String kubeconfig = ((Map<String, String>) registration.get("credentials")).get("kubeconfig");
        Config config = Config.fromKubeconfig(kubeconfig);
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static Map<String, Function<KubernetesClient, KubernetesResourceList<? extends HasMetadata>>>
            watchedKinds() {
        Map<String, Function<KubernetesClient, KubernetesResourceList<? extends HasMetadata>>> kinds =
                new LinkedHashMap<>();
        kinds.put("Namespace", c -> c.namespaces().list());
        kinds.put("Node", c -> c.nodes().list());
        kinds.put("PersistentVolume", c -> c.persistentVolumes().list());
        kinds.put("StorageClass", c -> c.storage().v1().storageClasses().list());
        kinds.put("ClusterRole", c -> c.rbac().clusterRoles().list());
        kinds.put("ClusterRoleBinding", c -> c.rbac().clusterRoleBindings().list());
        kinds.put("Pod", c -> c.pods().inAnyNamespace().list());
        kinds.put("Service", c -> c.services().inAnyNamespace().list());
        kinds.put(
                "PersistentVolumeClaim",
                c -> c.persistentVolumeClaims().inAnyNamespace().list());
        kinds.put("Deployment", c -> c.apps().deployments().inAnyNamespace().list());
        kinds.put("StatefulSet", c -> c.apps().statefulSets().inAnyNamespace().list());
        kinds.put("DaemonSet", c -> c.apps().daemonSets().inAnyNamespace().list());
        kinds.put("Role", c -> c.rbac().roles().inAnyNamespace().list());
        kinds.put("RoleBinding", c -> c.rbac().roleBindings().inAnyNamespace().list());
        return Map.copyOf(kinds);
    }
}
