package io.meridian.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.meridian.fleetsim.Cloud;
import io.meridian.fleetsim.SimulatedCluster;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fleet access with real Keycloak and the simulated fleet: a group grant on environment=prod clusters, approved by a
 * second fleet-admin, becomes a RoleBinding on exactly the prod clusters; a binding deleted by hand comes back; a new
 * prod cluster receives it; revocation removes it everywhere; a viewer cannot grant.
 */
@SystemTest
class IdentityScenarioIT {

    private static final Duration CONVERGED_WITHIN = Duration.ofSeconds(60);
    private static final String NAMESPACE = "default";

    private final SystemUnderTest system;

    IdentityScenarioIT(SystemUnderTest system) {
        this.system = system;
    }

    @Test
    void aProdGroupGrantConvergesOnExactlyTheProdClustersAndIsRevokedEverywhere() {
        system.registerFleet();
        Map<String, Object> grant = Map.of(
                "subject", Map.of("kind", "group", "name", "payments"),
                "role", "view",
                "scope", Map.of("environment", "prod"),
                "namespaces", List.of(NAMESPACE),
                "reason", "payments on-call reads prod");

        system.as(DemoUser.VIEWER, Service.IDENTITY)
                .body(grant)
                .post("/api/v1/grants")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        system.as(DemoUser.ADMIN, Service.IDENTITY)
                .body(Map.of(
                        "subject",
                        Map.of("kind", "group", "name", "no-such-group"),
                        "role",
                        "view",
                        "scope",
                        Map.of("environment", "prod"),
                        "reason",
                        "checked against Keycloak"))
                .post("/api/v1/grants")
                .then()
                .statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.is("subject.name"));

        // Prod needs a second fleet-admin: Pending, the creator cannot approve, admin2 can.
        String id = system.as(DemoUser.ADMIN, Service.IDENTITY)
                .body(grant)
                .post("/api/v1/grants")
                .then()
                .statusCode(201)
                .body("state", org.hamcrest.Matchers.is("Pending"))
                .extract()
                .path("id");
        system.as(DemoUser.ADMIN, Service.IDENTITY)
                .post("/api/v1/grants/{id}/approve", id)
                .then()
                .statusCode(403);
        system.as(DemoUser.ADMIN2, Service.IDENTITY)
                .post("/api/v1/grants/{id}/approve", id)
                .then()
                .statusCode(200)
                .body("state", org.hamcrest.Matchers.is("Active"));
        String binding = "meridian-grant-" + id;

        List<SimulatedCluster> prod = clusters("prod");
        assertThat(prod).isNotEmpty();
        await().atMost(CONVERGED_WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (SimulatedCluster cluster : system.fleet().clusters()) {
                RoleBinding found = roleBinding(cluster, binding);
                if ("prod".equals(cluster.environment())) {
                    assertThat(found)
                            .as("binding on prod cluster %s", cluster.name())
                            .isNotNull();
                    assertThat(found.getSubjects().getFirst().getName()).isEqualTo("oidc:payments");
                    assertThat(found.getRoleRef().getName()).isEqualTo("view");
                } else {
                    assertThat(found)
                            .as("no binding on %s cluster %s", cluster.environment(), cluster.name())
                            .isNull();
                }
            }
        });
        await().atMost(CONVERGED_WITHIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonPath status = system.as(DemoUser.VIEWER, Service.IDENTITY)
                    .get("/api/v1/grants/{id}", id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(status.getInt("status.clusters")).isEqualTo(prod.size());
            assertThat(status.getInt("status.appliedClusters")).isEqualTo(prod.size());
        });

        // Someone deletes the binding by hand: inventory repairs the drift.
        SimulatedCluster tampered = prod.getFirst();
        tampered.client()
                .rbac()
                .roleBindings()
                .inNamespace(NAMESPACE)
                .withName(binding)
                .delete();
        await().atMost(CONVERGED_WITHIN)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(roleBinding(tampered, binding)).isNotNull());

        // A new prod cluster joins the fleet: it receives the grant without anyone re-running anything.
        SimulatedCluster joined = system.fleet().addCluster(Cloud.AWS, "prod", null);
        system.as(DemoUser.OPERATOR, Service.INVENTORY)
                .body(joined.registration())
                .post("/api/v1/clusters")
                .then()
                .statusCode(201);
        await().atMost(CONVERGED_WITHIN)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(roleBinding(joined, binding)).isNotNull());

        // The access review shows the grant on the new cluster.
        system.as(DemoUser.VIEWER, Service.IDENTITY)
                .queryParam("subject", "group/payments")
                .queryParam("cluster", joined.name())
                .get("/api/v1/access")
                .then()
                .statusCode(200)
                .body("items.grantId", org.hamcrest.Matchers.hasItem(id));

        system.as(DemoUser.OPERATOR, Service.IDENTITY)
                .delete("/api/v1/grants/{id}", id)
                .then()
                .statusCode(204);
        await().atMost(CONVERGED_WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (SimulatedCluster cluster : system.fleet().clusters()) {
                assertThat(roleBinding(cluster, binding))
                        .as("binding on %s after revocation", cluster.name())
                        .isNull();
            }
        });
        system.as(DemoUser.VIEWER, Service.IDENTITY)
                .get("/api/v1/grants/{id}", id)
                .then()
                .body("state", org.hamcrest.Matchers.is("Revoked"));
    }

    private List<SimulatedCluster> clusters(String environment) {
        return system.fleet().clusters().stream()
                .filter(c -> environment.equals(c.environment()))
                .toList();
    }

    private static RoleBinding roleBinding(SimulatedCluster cluster, String name) {
        return cluster.client()
                .rbac()
                .roleBindings()
                .inNamespace(NAMESPACE)
                .withName(name)
                .get();
    }
}
