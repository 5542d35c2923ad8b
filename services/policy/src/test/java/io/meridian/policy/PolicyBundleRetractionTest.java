package io.meridian.policy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.testsupport.Awaits;
import io.meridian.testsupport.CloudEventCollector;
import io.meridian.testsupport.CloudEventCollector.Received;
import io.meridian.testsupport.EventProducer;
import io.meridian.testsupport.KafkaBroker;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The policy service withdraws its bundle from a cluster with a tombstone on its topic {@code fleet.desired.policy.v1},
 * never an empty bundle: when the cluster is deregistered, and when no policy wants anything there any more.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "policy"))
@WithTestResource(OidcWiremockTestResource.class)
class PolicyBundleRetractionTest {

    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);
    private static final Duration EVENTUALLY = Duration.ofSeconds(30);

    private static CloudEventCollector desired;
    private static CloudEventCollector audit;
    private static EventProducer producer;

    @BeforeAll
    static void kafka() {
        String servers = KafkaBroker.shared().bootstrapServers();
        desired = CloudEventCollector.collect(servers, Topic.DESIRED_POLICY.topicName());
        audit = CloudEventCollector.collect(servers, Topic.AUDIT_POLICY.topicName());
        producer = new EventProducer(servers, "/meridian/inventory");
    }

    @AfterAll
    static void close() {
        desired.close();
        audit.close();
        producer.close();
    }

    @Test
    void aDeregisteredClusterGetsATombstoneForItsPolicyBundle() {
        String cluster = "retract-gone-1";
        producer.send(
                EventType.CLUSTER_REGISTERED,
                cluster,
                cluster,
                snapshot(cluster, "scope-retract-gone", ClusterPhase.Ready));
        createDenyPolicy("no-privileged-retract-gone", "scope-retract-gone");
        DesiredBundle bundle = awaitBundle(cluster);

        producer.send(
                EventType.CLUSTER_DEREGISTERED,
                cluster,
                cluster,
                snapshot(cluster, "scope-retract-gone", ClusterPhase.Deregistered));

        Received tombstone = awaitTombstone(cluster);
        assertThat(tombstone.event().type()).isEqualTo(EventType.DESIRED_BUNDLE_DECLARED.type());
        assertThat(tombstone.event().source().toString()).isEqualTo("/meridian/policy");
        AuditRecord withdrawn = awaitAudit(cluster, "bundle.withdrawn");
        assertThat(withdrawn.details()).containsEntry("generation", Long.toString(bundle.generation()));
        assertThat(records(cluster)).filteredOn(Received::isTombstone).hasSize(1);
    }

    @Test
    void aClusterWhereNothingIsWantedAnyMoreGetsATombstoneNotAnEmptyBundle() {
        String cluster = "retract-quiet-1";
        producer.send(
                EventType.CLUSTER_REGISTERED,
                cluster,
                cluster,
                snapshot(cluster, "scope-retract-quiet", ClusterPhase.Ready));
        createDenyPolicy("no-privileged-retract-quiet", "scope-retract-quiet");
        awaitBundle(cluster);

        given().header("Authorization", OPERATOR)
                .delete("/api/v1/policies/no-privileged-retract-quiet")
                .then()
                .statusCode(204);

        awaitTombstone(cluster);
        awaitAudit(cluster, "bundle.withdrawn");
        assertThat(records(cluster))
                .filteredOn(r -> !r.isTombstone())
                .allSatisfy(r -> assertThat(
                                EventJson.read(r.value(), DesiredBundle.class).objects())
                        .isNotEmpty());
    }

    // ------------------------------------------------------------------ helpers

    private static void createDenyPolicy(String name, String scope) {
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body("""
                        {"name": "%s", "severity": "high", "action": "deny", "categories": ["security"],
                         "fleetScope": {"clusterSelector": {"matchLabels": {"test": "%s"}}},
                         "spec": {"matchConstraints": {"resourceRules": [{"apiGroups": [""], "apiVersions": ["v1"],
                                  "resources": ["pods"], "operations": ["CREATE", "UPDATE"]}]},
                                  "validations": [{"expression": "!has(object.spec.hostNetwork)",
                                                   "message": "no host network"}]}}
                        """.formatted(name, scope))
                .post("/api/v1/policies")
                .then()
                .statusCode(201);
    }

    private static ClusterSnapshot snapshot(String clusterId, String scope, ClusterPhase phase) {
        return new ClusterSnapshot(
                clusterId,
                clusterId,
                null,
                Cloud.AWS,
                "eu-west-1",
                "prod",
                Map.of("test", scope),
                "https://" + clusterId + ".example",
                null,
                phase,
                List.of(),
                "v1.31.0",
                3,
                6000,
                24L << 30,
                null,
                null,
                List.of(),
                phase == ClusterPhase.Deregistered ? 2 : 1,
                Instant.now());
    }

    private static List<Received> records(String cluster) {
        return desired.all().stream()
                .filter(r -> ("policy/" + cluster).equals(r.key()))
                .toList();
    }

    private static DesiredBundle awaitBundle(String cluster) {
        Received r = desired.awaitFirst(
                x -> !x.isTombstone()
                        && ("policy/" + cluster).equals(x.key())
                        && !EventJson.read(x.value(), DesiredBundle.class)
                                .objects()
                                .isEmpty(),
                EVENTUALLY);
        return EventJson.read(r.value(), DesiredBundle.class);
    }

    private static Received awaitTombstone(String cluster) {
        Awaits.eventually(EVENTUALLY, () -> {
            List<Received> all = records(cluster);
            assertThat(all).isNotEmpty();
            assertThat(all.getLast().isTombstone())
                    .as("the latest record of policy/%s is a tombstone", cluster)
                    .isTrue();
        });
        return records(cluster).getLast();
    }

    private static AuditRecord awaitAudit(String cluster, String action) {
        Received r = audit.awaitFirst(
                x -> x.value() != null
                        && ("DesiredBundle/policy/" + cluster).equals(x.key())
                        && action.equals(
                                EventJson.read(x.value(), AuditRecord.class).action()),
                EVENTUALLY);
        return EventJson.read(r.value(), AuditRecord.class);
    }
}
