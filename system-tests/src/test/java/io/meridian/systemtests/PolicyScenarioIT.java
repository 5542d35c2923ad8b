package io.meridian.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.fleetsim.SimulatedCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The policy scenario of issue 7 on the running services and simulated fleet: a privileged pod appears on a cluster
 * (out of band, through its API server) and a violation is published; a waiver silences exactly the namespace it
 * names; the pod is removed and the violation closes; a deny policy reaches matching clusters as a
 * ValidatingAdmissionPolicy with its binding.
 */
@SystemTest
class PolicyScenarioIT {

    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final String POLICY = "scenario-no-privileged";

    private final SystemUnderTest system;
    private final List<ComplianceResult[]> received = new CopyOnWriteArrayList<>();
    private final AtomicBoolean polling = new AtomicBoolean(true);
    private Thread poller;

    PolicyScenarioIT(SystemUnderTest system) {
        this.system = system;
    }

    @BeforeEach
    void collectComplianceEvents() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(system.kafkaConsumerProperties("compliance"));
        consumer.subscribe(List.of(Topic.COMPLIANCE.topicName()));
        poller = Thread.ofPlatform().daemon().name("compliance-events").start(() -> {
            try (consumer) {
                while (polling.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                        Header type = r.headers().lastHeader("ce_type");
                        if (r.value() == null || type == null) {
                            continue;
                        }
                        boolean opened = EventType.VIOLATION_OPENED
                                .type()
                                .equals(new String(type.value(), StandardCharsets.UTF_8));
                        ComplianceResult result = EventJson.read(r.value(), ComplianceResult.class);
                        received.add(new ComplianceResult[] {opened ? result : null, opened ? null : result});
                    }
                }
            }
        });
    }

    @AfterEach
    void stopCollecting() throws InterruptedException {
        polling.set(false);
        poller.join(5_000);
    }

    @Test
    void privilegedPodsAreReportedWaivedClosedAndDeniedAtTheDoor() {
        system.registerFleet();
        SimulatedCluster target = system.fleet().clusters().getFirst();
        String cloud = target.cloud().wireName();
        String environment = target.environment();
        awaitReady(target.name());

        system.as(DemoUser.OPERATOR, Service.POLICY)
                .body(Map.of(
                        "name",
                        POLICY,
                        "severity",
                        "critical",
                        "action",
                        "deny",
                        "categories",
                        List.of("security"),
                        "fleetScope",
                        Map.of("clouds", List.of(cloud), "environments", List.of(environment)),
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
                                // Only this scenario's namespaces: the seeded workloads are not its business.
                                "matchConditions",
                                        List.of(Map.of(
                                                "name", "scenario-namespaces",
                                                "expression",
                                                        "object.metadata.namespace.startsWith('policy-scenario-')")),
                                "validations",
                                        List.of(Map.of(
                                                "expression",
                                                "object.spec.containers.all(c, !has(c.securityContext)"
                                                        + " || !has(c.securityContext.privileged)"
                                                        + " || !c.securityContext.privileged)",
                                                "message",
                                                "privileged containers are not allowed")))))
                .post("/api/v1/policies")
                .then()
                .statusCode(201);

        try (KubernetesClient client = clientOf(target.registration())) {
            for (String ns : List.of("policy-scenario-a", "policy-scenario-b")) {
                client.namespaces()
                        .resource(new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(ns)
                                .endMetadata()
                                .build())
                        .create();
                client.pods().inNamespace(ns).resource(privilegedPod("probe")).create();
            }
            ComplianceResult openA = awaitOpened(target.name(), "policy-scenario-a");
            awaitOpened(target.name(), "policy-scenario-b");
            assertThat(openA.severity()).isEqualTo(ComplianceResult.Severity.CRITICAL);
            assertThat(openA.message()).isEqualTo("privileged containers are not allowed");

            // A waiver for namespace b silences b, and only b.
            system.as(DemoUser.OPERATOR, Service.POLICY)
                    .body(Map.of(
                            "policy",
                            POLICY,
                            "clusterId",
                            target.name(),
                            "namespace",
                            "policy-scenario-b",
                            "reason",
                            "scenario: a debugging namespace",
                            "expiresAt",
                            Instant.now().plus(Duration.ofHours(1)).toString()))
                    .post("/api/v1/waivers")
                    .then()
                    .statusCode(201);
            awaitClosed(target.name(), "policy-scenario-b");
            await().atMost(WITHIN)
                    .untilAsserted(() -> assertThat(system.as(DemoUser.VIEWER, Service.POLICY)
                                    .queryParam("policy", POLICY)
                                    .queryParam("cluster", target.name())
                                    .get("/api/v1/compliance/violations")
                                    .then()
                                    .statusCode(200)
                                    .extract()
                                    .jsonPath()
                                    .getList("items.object.namespace", String.class))
                            .containsExactly("policy-scenario-a"));

            // The pod goes: its violation closes.
            client.pods().inNamespace("policy-scenario-a").withName("probe").delete();
            awaitClosed(target.name(), "policy-scenario-a");

            // Enforcement reached the cluster itself.
            await().atMost(WITHIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                ValidatingAdmissionPolicy vap = client.admissionRegistration()
                        .v1()
                        .validatingAdmissionPolicies()
                        .withName("meridian-" + POLICY)
                        .get();
                assertThat(vap)
                        .as("ValidatingAdmissionPolicy on " + target.name())
                        .isNotNull();
                assertThat(vap.getSpec().getValidations()).hasSize(1);
                ValidatingAdmissionPolicyBinding binding = client.admissionRegistration()
                        .v1()
                        .validatingAdmissionPolicyBindings()
                        .withName("meridian-" + POLICY)
                        .get();
                assertThat(binding).isNotNull();
                assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
            });
        }
        for (SimulatedCluster other : system.fleet().clusters()) {
            boolean matches = other.cloud().wireName().equals(cloud)
                    && other.environment().equals(environment);
            if (!matches) {
                try (KubernetesClient client = clientOf(other.registration())) {
                    assertThat(client.admissionRegistration()
                                    .v1()
                                    .validatingAdmissionPolicies()
                                    .withName("meridian-" + POLICY)
                                    .get())
                            .as("no admission policy on %s (%s/%s)", other.name(), other.cloud(), other.environment())
                            .isNull();
                }
            }
        }
    }

    private void awaitReady(String cluster) {
        await().atMost(WITHIN)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(system.as(DemoUser.VIEWER, Service.INVENTORY)
                                .get("/api/v1/clusters/{name}", cluster)
                                .then()
                                .extract()
                                .jsonPath()
                                .getString("status.phase"))
                        .isEqualTo("Ready"));
    }

    private ComplianceResult awaitOpened(String cluster, String namespace) {
        return await().atMost(WITHIN).until(() -> find(0, cluster, namespace), r -> r != null);
    }

    private ComplianceResult awaitClosed(String cluster, String namespace) {
        return await().atMost(WITHIN).until(() -> find(1, cluster, namespace), r -> r != null);
    }

    private ComplianceResult find(int which, String cluster, String namespace) {
        return received.stream()
                .map(pair -> pair[which])
                .filter(r -> r != null
                        && r.policy().equals(POLICY)
                        && r.clusterId().equals(cluster)
                        && namespace.equals(r.object().namespace())
                        && r.object().name().equals("probe"))
                .findFirst()
                .orElse(null);
    }

    private static Pod privilegedPod(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("registry.meridian.io/tools/debug:1.0")
                .withNewSecurityContext()
                .withPrivileged(true)
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .build();
    }

    @SuppressWarnings("unchecked")
    private static KubernetesClient clientOf(Map<String, Object> registration) {
        String kubeconfig = ((Map<String, String>) registration.get("credentials")).get("kubeconfig");
        Config config = Config.fromKubeconfig(kubeconfig);
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
