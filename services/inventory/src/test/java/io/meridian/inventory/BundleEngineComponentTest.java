package io.meridian.inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.contracts.sync.DriftEvent;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.ObjectOutcome.Outcome;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.inventory.persistence.PartitionClaims;
import io.meridian.testsupport.Awaits;
import io.meridian.testsupport.CloudEventCollector;
import io.meridian.testsupport.CloudEventCollector.Received;
import io.meridian.testsupport.ClusterObjects;
import io.meridian.testsupport.EventProducer;
import io.meridian.testsupport.KafkaBroker;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.MockCluster;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The desired-bundle engine against the real broker and database and mock clusters. */
@QuarkusTest
@WithTestResource(
        value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = "topics", value = BundleEngineComponentTest.OWNER_TOPIC + ":6"))
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "inventory"))
@WithTestResource(OidcWiremockTestResource.class)
class BundleEngineComponentTest {

    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);
    private static final String VIEWER = Tokens.bearer("vera", Tokens.VIEWER);
    private static final Duration EVENTUALLY = Duration.ofSeconds(30);
    // An owner of the test profile that may declare every kind these tests need (RBAC, admission, workloads);
    // identity's and policy's own lists are tested as they are in production (bundlesOfAnotherOwner...).
    private static final String OWNER = "fleet-test";
    // The test owner's own desired topic (%test profile): the topic a bundle comes on names its owner.
    static final String OWNER_TOPIC = "fleet.desired.fleet-test.v1";

    // Another inventory replica, as the claims table names it.
    private static final String OTHER_REPLICA = "inventory-1/another-replica";

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @jakarta.inject.Inject
    io.meridian.inventory.connect.ClusterOwnership ownership;

    @jakarta.inject.Inject
    PartitionClaims partitionClaims;

    @jakarta.inject.Inject
    org.hibernate.reactive.mutiny.Mutiny.SessionFactory sessions;

    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;

    // Clusters this class registered: deregistered after each test, so that inventory does not keep probing their
    // closed ports and connect to whichever later test's API server is given the same port.
    private static final List<String> REGISTERED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static CloudEventCollector sync;
    private static CloudEventCollector deadLetters;
    private static CloudEventCollector resources;
    private static EventProducer producer;

    @BeforeAll
    static void kafka() {
        String servers = KafkaBroker.shared().bootstrapServers();
        sync = CloudEventCollector.collect(servers, Topic.SYNC.topicName());
        deadLetters = CloudEventCollector.collect(
                servers,
                OWNER_TOPIC + Topic.DEAD_LETTER_SUFFIX,
                Topic.DESIRED_IDENTITY.deadLetterTopicName(),
                Topic.DESIRED_POLICY.deadLetterTopicName());
        resources = CloudEventCollector.collect(servers, Topic.RESOURCES.topicName());
        producer = new EventProducer(servers, "/meridian/" + OWNER);
    }

    @AfterEach
    void deregister() {
        for (String name : REGISTERED) {
            given().header("Authorization", OPERATOR)
                    .delete("/api/v1/clusters/" + name)
                    .then()
                    .statusCode(org.hamcrest.Matchers.anyOf(equalTo(204), equalTo(404)));
        }
        REGISTERED.clear();
    }

    @AfterAll
    static void close() {
        sync.close();
        deadLetters.close();
        resources.close();
        producer.close();
    }

    @Test
    void appliesPrunesIgnoresStaleGenerationsAndHonoursTombstones() {
        try (MockCluster cluster = registered("bundle-basic")) {
            publish(bundle(
                    "bundle-basic",
                    3,
                    DriftPolicy.REPAIR,
                    false,
                    roleBinding("team-a", "payments"),
                    clusterRole("reader")));
            SyncReport first = awaitReport("bundle-basic", 3);
            assertThat(first.outcomes()).extracting(ObjectOutcome::outcome).containsOnly(Outcome.Created);
            RoleBinding created = paymentsBinding(cluster, "team-a");
            assertThat(created.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/managed-by", "meridian")
                    .containsEntry("meridian.io/owner", OWNER);

            // A late generation 2 arrives after 3: ignored. Generation 4 drops the ClusterRole.
            publish(bundle("bundle-basic", 2, DriftPolicy.REPAIR, false, roleBinding("stale", "payments")));
            publish(bundle("bundle-basic", 4, DriftPolicy.REPAIR, false, roleBinding("team-a", "payments")));
            SyncReport fourth = awaitReport("bundle-basic", 4);
            assertThat(fourth.outcomes())
                    .extracting(ObjectOutcome::kind, ObjectOutcome::outcome)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("RoleBinding", Outcome.Unchanged),
                            org.assertj.core.groups.Tuple.tuple("ClusterRole", Outcome.Deleted));
            assertThat(cluster.client().rbac().clusterRoles().withName("reader").get())
                    .isNull();
            assertThat(paymentsBinding(cluster, "stale")).isNull();
            assertThat(sync.all())
                    .noneMatch(r -> isReport(r, "bundle-basic") && report(r).generationWanted() == 2);

            given().header("Authorization", VIEWER)
                    .get("/api/v1/clusters/bundle-basic/sync")
                    .then()
                    .statusCode(200)
                    .body("owners[0].owner", equalTo(OWNER))
                    .body("owners[0].generationWanted", equalTo(4))
                    .body("owners[0].generationApplied", equalTo(4))
                    .body("owners[0].outcomes.Deleted", equalTo(1));

            tombstone("bundle-basic");
            Awaits.eventually(
                    EVENTUALLY,
                    () -> assertThat(paymentsBinding(cluster, "team-a")).isNull());
        }
    }

    @Test
    void driftIsRepairedOrOnlyReportedAsTheBundleSays() {
        try (MockCluster cluster = registered("bundle-drift")) {
            publish(bundle("bundle-drift", 1, DriftPolicy.REPAIR, false, roleBinding("guarded", "checkout")));
            awaitReport("bundle-drift", 1);
            var bindings = cluster.client().rbac().roleBindings().inNamespace("checkout");

            bindings.withName("guarded")
                    .edit(rb -> new RoleBindingBuilder(rb)
                            .editFirstSubject()
                            .withName("mallory")
                            .endSubject()
                            .build());
            Awaits.eventually(
                    EVENTUALLY,
                    () -> assertThat(bindings.withName("guarded")
                                    .get()
                                    .getSubjects()
                                    .getFirst()
                                    .getName())
                            .isEqualTo("oidc:checkout"));
            Received repaired = sync.awaitFirst(
                    r -> r.event() != null
                            && r.event().type().equals(EventType.SYNC_DRIFT_REPAIRED.type())
                            && r.key().equals(OWNER + "/bundle-drift"),
                    EVENTUALLY);
            assertThat(EventJson.read(repaired.value(), DriftEvent.class).change())
                    .isEqualTo(DriftEvent.Change.Modified);

            bindings.withName("guarded").delete();
            Awaits.eventually(
                    EVENTUALLY,
                    () -> assertThat(bindings.withName("guarded").get()).isNotNull());

            publish(bundle("bundle-drift", 2, DriftPolicy.REPORT, false, roleBinding("guarded", "checkout")));
            awaitReport("bundle-drift", 2);
            bindings.withName("guarded")
                    .edit(rb -> new RoleBindingBuilder(rb)
                            .editFirstSubject()
                            .withName("mallory")
                            .endSubject()
                            .build());
            sync.awaitFirst(
                    r -> r.event() != null
                            && r.event().type().equals(EventType.SYNC_DRIFT_DETECTED.type())
                            && r.key().equals(OWNER + "/bundle-drift")
                            && r.offset() > repaired.offset()
                            && EventJson.read(r.value(), DriftEvent.class).change() == DriftEvent.Change.Modified,
                    EVENTUALLY);
            assertThat(bindings.withName("guarded")
                            .get()
                            .getSubjects()
                            .getFirst()
                            .getName())
                    .isEqualTo("mallory");
            given().header("Authorization", VIEWER)
                    .get("/api/v1/clusters/bundle-drift/sync")
                    .then()
                    .body(
                            "owners[0].lastDrift",
                            org.hamcrest.Matchers.containsString("Modified RoleBinding checkout/guarded"));
        }
    }

    @Test
    void driftTheDatabaseCouldNotRecordIsRepairedAndReportedSoonAfterItAnswers() throws SQLException {
        try (MockCluster cluster = registered("bundle-db-away")) {
            publish(bundle("bundle-db-away", 1, DriftPolicy.REPAIR, false, roleBinding("kept", "checkout")));
            awaitReport("bundle-db-away", 1);
            var bindings = cluster.client().rbac().roleBindings().inNamespace("checkout");
            // Drift is recorded before it is repaired: with the database refusing that record (as while PostgreSQL
            // restarts), the repair waits; it must not wait for the periodic resync once the database is back.
            sql("""
                    CREATE OR REPLACE FUNCTION inventory.refuse_for_test() RETURNS trigger AS $$
                    BEGIN RAISE EXCEPTION 'the database is away (test)'; END $$ LANGUAGE plpgsql""");
            sql("""
                    CREATE TRIGGER refuse_drift BEFORE UPDATE ON inventory.bundle_sync FOR EACH ROW
                    WHEN (NEW.cluster = 'bundle-db-away') EXECUTE FUNCTION inventory.refuse_for_test()""");
            try {
                bindings.withName("kept").delete();
                // The first attempts and their retries fail meanwhile; nothing is written unrecorded.
                org.awaitility.Awaitility.await()
                        .during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> bindings.withName("kept").get() == null);
            } finally {
                sql("DROP TRIGGER refuse_drift ON inventory.bundle_sync");
            }
            // The resync runs every 10 minutes in tests: only the repair's own retry can put it back this soon, and
            // it reports what happened, which the database refused before.
            Awaits.eventually(
                    Duration.ofSeconds(15),
                    () -> assertThat(bindings.withName("kept").get()).isNotNull());
            Received repaired = sync.awaitFirst(
                    r -> r.event() != null
                            && r.event().type().equals(EventType.SYNC_DRIFT_REPAIRED.type())
                            && r.key().equals(OWNER + "/bundle-db-away"),
                    EVENTUALLY);
            assertThat(EventJson.read(repaired.value(), DriftEvent.class).change())
                    .isEqualTo(DriftEvent.Change.Deleted);
        }
    }

    @Test
    void driftIsRepairedForKindsInventoryObservesAndForKindsItDoesNot() {
        // RoleBindings are followed through the connection's own informer; ConfigMaps are not observed, so the
        // drift watch opens an informer of its own for them.
        try (MockCluster cluster = registered("bundle-kinds")) {
            publish(bundle(
                    "bundle-kinds",
                    1,
                    DriftPolicy.REPAIR,
                    false,
                    roleBinding("labelled", "shop"),
                    Map.of(
                            "apiVersion",
                            "v1",
                            "kind",
                            "ConfigMap",
                            "metadata",
                            Map.of("name", "settings", "namespace", "shop"),
                            "data",
                            Map.of("mode", "strict"))));
            awaitReport("bundle-kinds", 1);
            var configMaps = cluster.client().configMaps().inNamespace("shop");
            var bindings = cluster.client().rbac().roleBindings().inNamespace("shop");

            configMaps.withName("settings").edit(cm -> {
                cm.setData(Map.of("mode", "lenient"));
                return cm;
            });
            Awaits.eventually(
                    EVENTUALLY,
                    () -> assertThat(configMaps.withName("settings").get().getData())
                            .containsEntry("mode", "strict"));

            // Taking Meridian's labels off is drift too, even though the object stays.
            bindings.withName("labelled").edit(rb -> {
                rb.getMetadata().setLabels(Map.of("team", "shop"));
                return rb;
            });
            Awaits.eventually(
                    EVENTUALLY,
                    () -> assertThat(bindings.withName("labelled")
                                    .get()
                                    .getMetadata()
                                    .getLabels())
                            .containsEntry("app.kubernetes.io/managed-by", "meridian")
                            .containsEntry("meridian.io/owner", OWNER)
                            .containsEntry("team", "shop"));
            Received unlabelled = sync.awaitFirst(
                    r -> r.event() != null
                            && r.event().type().equals(EventType.SYNC_DRIFT_REPAIRED.type())
                            && r.key().equals(OWNER + "/bundle-kinds")
                            && EventJson.read(r.value(), DriftEvent.class)
                                    .object()
                                    .kind()
                                    .equals("RoleBinding"),
                    EVENTUALLY);
            // Named by the field manager that took the labels off (the test's client), not one that wrote it before.
            assertThat(EventJson.read(unlabelled.value(), DriftEvent.class).changedBy())
                    .isEqualTo("fabric8-kubernetes-client");
        }
    }

    @Test
    void unmanagedObjectsAreConflictsUnlessAdoptedAndInvalidObjectsFailAlone() {
        try (MockCluster cluster = registered("bundle-conflict")) {
            cluster.client()
                    .rbac()
                    .roleBindings()
                    .inNamespace("data")
                    .resource(new RoleBindingBuilder()
                            .withNewMetadata()
                            .withName("hand-made")
                            .withNamespace("data")
                            .endMetadata()
                            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "admin")
                            .addNewSubject()
                            .withKind("User")
                            .withName("bob")
                            .endSubject()
                            .build())
                    .create();
            Map<String, Object> poison = Map.of("apiVersion", "v1", "metadata", Map.of("name", "no-kind"));
            publish(bundle(
                    "bundle-conflict",
                    1,
                    DriftPolicy.REPAIR,
                    false,
                    roleBinding("hand-made", "data"),
                    roleBinding("fresh", "data"),
                    poison));
            SyncReport report = awaitReport("bundle-conflict", 1);
            assertThat(report.outcomes())
                    .extracting(ObjectOutcome::name, ObjectOutcome::outcome)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("hand-made", Outcome.Conflict),
                            org.assertj.core.groups.Tuple.tuple("fresh", Outcome.Created),
                            org.assertj.core.groups.Tuple.tuple("no-kind", Outcome.Failed));
            assertThat(report.generationApplied()).as("not fully applied").isZero();
            assertThat(cluster.client()
                            .rbac()
                            .roleBindings()
                            .inNamespace("data")
                            .withName("hand-made")
                            .get()
                            .getMetadata()
                            .getLabels())
                    .isNullOrEmpty();

            publish(bundle(
                    "bundle-conflict",
                    2,
                    DriftPolicy.REPAIR,
                    true,
                    roleBinding("hand-made", "data"),
                    roleBinding("fresh", "data")));
            SyncReport adopted = awaitReport("bundle-conflict", 2);
            assertThat(adopted.generationApplied()).isEqualTo(2);
            assertThat(cluster.client()
                            .rbac()
                            .roleBindings()
                            .inNamespace("data")
                            .withName("hand-made")
                            .get()
                            .getMetadata()
                            .getLabels())
                    .containsEntry("meridian.io/owner", OWNER);
        }
    }

    @Test
    void anUnmanagedObjectTheDriftWatchCannotSeeIsStillAConflict() {
        try (MockCluster cluster = registered("bundle-unseen")) {
            // ConfigMaps are not observed, so the drift watch follows only Meridian's own: a hand-made one is not in
            // its cache, and an apply (which creates or merges) must not take it over on the cache's word.
            publish(bundle("bundle-unseen", 1, DriftPolicy.REPAIR, false, configMap("managed", "on")));
            awaitReport("bundle-unseen", 1);
            var configMaps = cluster.client().configMaps().inNamespace("data");
            configMaps
                    .resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("settings")
                            .withNamespace("data")
                            .endMetadata()
                            .addToData("mode", "on")
                            .build())
                    .create();
            publish(bundle(
                    "bundle-unseen",
                    2,
                    DriftPolicy.REPAIR,
                    false,
                    configMap("managed", "on"),
                    configMap("settings", "on")));
            assertThat(awaitReport("bundle-unseen", 2).outcomes())
                    .extracting(ObjectOutcome::name, ObjectOutcome::outcome)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("managed", Outcome.Unchanged),
                            org.assertj.core.groups.Tuple.tuple("settings", Outcome.Conflict));
            assertThat(configMaps.withName("settings").get().getMetadata().getLabels())
                    .isNullOrEmpty();
        }
    }

    @Test
    void anUnreadableBundleIsDeadLetteredAndLaterBundlesStillApply() {
        try (MockCluster cluster = registered("bundle-poison")) {
            producer.sendRaw(OWNER_TOPIC, OWNER + "/bundle-poison", "garbage".getBytes(StandardCharsets.UTF_8));
            publish(bundle("bundle-poison", 1, DriftPolicy.REPAIR, false, roleBinding("after", "payments")));
            awaitReport("bundle-poison", 1);
            Received dead = deadLetters.awaitFirst(r -> (OWNER + "/bundle-poison").equals(r.key()), EVENTUALLY);
            assertThat(dead.header("dead-letter-reason")).contains("ce_specversion");
            assertThat(paymentsBinding(cluster, "after")).isNotNull();
        }
    }

    @Test
    void bundlesOfAnotherOwnerOffTheOwnersKindsOrPinningTheKeyAreRefusedAsDeadLetters() {
        try (MockCluster cluster = registered("bundle-forged");
                EventProducer identity =
                        new EventProducer(KafkaBroker.shared().bootstrapServers(), "/meridian/identity")) {
            // identity's principal may write only identity's topic; there it publishes under policy's key, with
            // policy's source even: refused, whatever the content, because the topic says whose bundle it is.
            DesiredBundle asPolicy = new DesiredBundle(
                    "policy",
                    "bundle-forged",
                    1,
                    DriftPolicy.REPAIR,
                    false,
                    List.of(configMap("forged-by-identity", "on")),
                    Instant.now());
            try (EventProducer forger =
                    new EventProducer(KafkaBroker.shared().bootstrapServers(), "/meridian/policy")) {
                forger.send(
                        Topic.DESIRED_IDENTITY,
                        EventType.DESIRED_BUNDLE_DECLARED,
                        asPolicy.key(),
                        asPolicy.clusterId(),
                        asPolicy);
            }
            Received forged = deadLetters.awaitFirst(
                    r -> "policy/bundle-forged".equals(r.key())
                            && r.topic().equals(Topic.DESIRED_IDENTITY.deadLetterTopicName()),
                    EVENTUALLY);
            assertThat(forged.header("dead-letter-reason"))
                    .contains("key names owner 'policy' but the record came on fleet.desired.identity.v1, the topic of"
                            + " owner 'identity'");
            assertThat(forged.header("dead-letter-topic")).isEqualTo(Topic.DESIRED_IDENTITY.topicName());

            // On policy's own topic, a record signed by another service is refused too (a misconfigured producer).
            identity.send(
                    Topic.DESIRED_POLICY,
                    EventType.DESIRED_BUNDLE_DECLARED,
                    asPolicy.key(),
                    asPolicy.clusterId(),
                    asPolicy);
            assertThat(deadLetters
                            .awaitFirst(
                                    r -> "policy/bundle-forged".equals(r.key())
                                            && r.topic().equals(Topic.DESIRED_POLICY.deadLetterTopicName()),
                                    EVENTUALLY)
                            .header("dead-letter-reason"))
                    .contains("CloudEvent source '/meridian/identity', expected '/meridian/policy'");

            // identity may declare RBAC only: a RoleBinding to cluster-admin passes, a Deployment does not.
            DesiredBundle rbacAndWorkload = new DesiredBundle(
                    "identity",
                    "bundle-forged",
                    1,
                    DriftPolicy.REPAIR,
                    false,
                    List.of(roleBinding("fine", "payments"), deployment("not-identitys", 1)),
                    Instant.now());
            identity.send(
                    Topic.DESIRED_IDENTITY,
                    EventType.DESIRED_BUNDLE_DECLARED,
                    rbacAndWorkload.key(),
                    rbacAndWorkload.clusterId(),
                    rbacAndWorkload);
            assertThat(deadLetters
                            .awaitFirst(
                                    r -> "identity/bundle-forged".equals(r.key())
                                            && r.header("dead-letter-reason").contains("objects[1]"),
                                    EVENTUALLY)
                            .header("dead-letter-reason"))
                    .contains("apps/v1 Deployment in namespace shop, which owner 'identity' may not declare");

            // A legitimate bundle, then one whose generation would pin the key against every later one.
            DesiredBundle first = new DesiredBundle(
                    "identity",
                    "bundle-forged",
                    1,
                    DriftPolicy.REPAIR,
                    false,
                    List.of(roleBinding("fine", "payments")),
                    Instant.now());
            identity.send(
                    Topic.DESIRED_IDENTITY, EventType.DESIRED_BUNDLE_DECLARED, first.key(), first.clusterId(), first);
            DesiredBundle pinning = new DesiredBundle(
                    "identity",
                    "bundle-forged",
                    Long.MAX_VALUE / 2,
                    DriftPolicy.REPAIR,
                    false,
                    List.of(),
                    Instant.now());
            identity.send(
                    Topic.DESIRED_IDENTITY,
                    EventType.DESIRED_BUNDLE_DECLARED,
                    pinning.key(),
                    pinning.clusterId(),
                    pinning);
            assertThat(deadLetters
                            .awaitFirst(
                                    r -> "identity/bundle-forged".equals(r.key())
                                            && r.header("dead-letter-reason").contains("jumps more than"),
                                    EVENTUALLY)
                            .header("dead-letter-reason"))
                    .contains("above the last one declared (1)");
            // The real owner's next generation still applies: the key was not pinned.
            DesiredBundle second = new DesiredBundle(
                    "identity",
                    "bundle-forged",
                    2,
                    DriftPolicy.REPAIR,
                    false,
                    List.of(roleBinding("fine", "payments"), roleBinding("second", "payments")),
                    Instant.now());
            identity.send(
                    Topic.DESIRED_IDENTITY,
                    EventType.DESIRED_BUNDLE_DECLARED,
                    second.key(),
                    second.clusterId(),
                    second);
            sync.awaitFirst(
                    r -> r.event() != null
                            && r.key().equals("identity/bundle-forged")
                            && report(r).generationApplied() == 2,
                    EVENTUALLY);
            assertThat(paymentsBinding(cluster, "second")).isNotNull();
            assertThat(cluster.client()
                            .configMaps()
                            .inNamespace("data")
                            .withName("forged-by-identity")
                            .get())
                    .isNull();
            assertThat(cluster.client()
                            .apps()
                            .deployments()
                            .inNamespace("shop")
                            .withName("not-identitys")
                            .get())
                    .isNull();
        }
    }

    @Test
    void aBundleForAClusterThatIsDownIsAppliedWhenItReturns() {
        try (MockCluster cluster = registered("bundle-down")) {
            cluster.stop();
            awaitPhase("bundle-down", "Unreachable");
            publish(bundle("bundle-down", 1, DriftPolicy.REPAIR, false, roleBinding("later", "payments")));
            awaitSync("bundle-down", "state", "WaitingForCluster");
            cluster.startAgain();
            awaitReport("bundle-down", 1);
            assertThat(paymentsBinding(cluster, "later")).isNotNull();
        }
    }

    @Test
    void whatChangedWhileAClusterWasAwayIsDriftOnceItIsBack() {
        try (MockCluster cluster = registered("bundle-away")) {
            publish(bundle("bundle-away", 1, DriftPolicy.REPORT, false, roleBinding("kept", "checkout")));
            awaitReport("bundle-away", 1);
            RoleBinding applied = cluster.client()
                    .rbac()
                    .roleBindings()
                    .inNamespace("checkout")
                    .withName("kept")
                    .get();
            long before =
                    sync.awaitFirst(r -> isReport(r, "bundle-away"), EVENTUALLY).offset();
            cluster.stop();
            awaitPhase("bundle-away", "Unreachable");

            // Back from a backup in which our own field manager had set another subject: the connection's first list
            // finds the binding ours, and not as the bundle wants it. Seeded before the connection's next probe.
            cluster.startAgain();
            RoleBinding restored = new RoleBindingBuilder(applied)
                    .editMetadata()
                    .withResourceVersion(null)
                    .withUid(null)
                    .withCreationTimestamp(null)
                    .withManagedFields(List.of())
                    .endMetadata()
                    .editFirstSubject()
                    .withName("mallory")
                    .endSubject()
                    .build();
            cluster.client()
                    .resource(restored)
                    .fieldManager("meridian-" + OWNER)
                    .forceConflicts()
                    .serverSideApply();

            sync.awaitFirst(
                    r -> r.event() != null
                            && r.event().type().equals(EventType.SYNC_DRIFT_DETECTED.type())
                            && r.key().equals(OWNER + "/bundle-away")
                            && r.offset() > before
                            && EventJson.read(r.value(), DriftEvent.class).change() == DriftEvent.Change.Modified,
                    EVENTUALLY);
            awaitPhase("bundle-away", "Ready");
            // driftPolicy report: the runs after the reconnect leave it as the cluster has it.
            org.awaitility.Awaitility.await()
                    .during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(cluster.client()
                                    .rbac()
                                    .roleBindings()
                                    .inNamespace("checkout")
                                    .withName("kept")
                                    .get()
                                    .getSubjects()
                                    .getFirst()
                                    .getName())
                            .isEqualTo("mallory"));
        }
    }

    @Test
    void whatARunWillCreateIsRecordedBeforeItWritesSoAnUnfinishedRunIsStillPruned() throws SQLException {
        try (MockCluster cluster = registered("bundle-ahead")) {
            // The API server takes the RoleBinding and turns the ConfigMap away (429): the run stops half-way, with
            // one object created and nothing applied, as when inventory is killed between its writes and recording.
            cluster.throttleWrites(List.of("ConfigMap"));
            publish(bundle(
                    "bundle-ahead",
                    1,
                    DriftPolicy.REPAIR,
                    false,
                    roleBinding("early", "payments"),
                    configMap("late", "a")));
            Awaits.eventually(
                    EVENTUALLY,
                    () -> assertThat(paymentsBinding(cluster, "early")).isNotNull());
            // What a restarted replica would read: both objects, written ahead of the writes.
            assertThat(managedKeys("bundle-ahead"))
                    .containsExactlyInAnyOrder(
                            "rbac.authorization.k8s.io/v1/RoleBinding/payments/early", "v1/ConfigMap/data/late");
            assertThat(sync.all()).noneMatch(r -> isReport(r, "bundle-ahead"));

            // The next generation drops the RoleBinding: it is pruned, though the run that created it never finished.
            publish(bundle("bundle-ahead", 2, DriftPolicy.REPAIR, false, configMap("late", "a")));
            awaitSync("bundle-ahead", "generationWanted", 2);
            cluster.throttleWrites(List.of());
            SyncReport second = awaitReport("bundle-ahead", 2);
            assertThat(second.outcomes())
                    .extracting(ObjectOutcome::kind, ObjectOutcome::outcome)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("ConfigMap", Outcome.Created),
                            org.assertj.core.groups.Tuple.tuple("RoleBinding", Outcome.Deleted));
            assertThat(paymentsBinding(cluster, "early")).isNull();
            assertThat(managedKeys("bundle-ahead")).containsExactly("v1/ConfigMap/data/late");
        }
    }

    @Test
    void aReplicaWhosePartitionAnotherReplicaClaimedWritesNothingWhileThatReplicaLives() throws SQLException {
        try (MockCluster cluster = registered("bundle-fenced")) {
            publish(bundle("bundle-fenced", 1, DriftPolicy.REPAIR, false, roleBinding("first", "payments")));
            awaitReport("bundle-fenced", 1);
            long writes = cluster.writeRequests();

            try {
                int partition = handToAnotherReplica("bundle-fenced");
                publish(bundle(
                        "bundle-fenced",
                        2,
                        DriftPolicy.REPAIR,
                        false,
                        roleBinding("first", "payments"),
                        roleBinding("second", "payments")));
                // The run is fenced before it writes: the bundle waits for a replica that holds the cluster.
                Awaits.eventually(
                        EVENTUALLY,
                        () -> given().header("Authorization", VIEWER)
                                .get("/api/v1/clusters/bundle-fenced/sync")
                                .then()
                                .body("owners[0].generationWanted", equalTo(2))
                                .body("owners[0].state", equalTo("WaitingForCluster")));
                assertThat(paymentsBinding(cluster, "second")).isNull();
                assertThat(cluster.writeRequests()).isEqualTo(writes);
                assertThat(managedKeys("bundle-fenced"))
                        .containsExactly("rbac.authorization.k8s.io/v1/RoleBinding/payments/first");
                // Claims are retried every 5 s: none takes the partition back from a replica that lives.
                org.awaitility.Awaitility.await()
                        .during(Duration.ofSeconds(7))
                        .atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(holderOf(partition)).isEqualTo(OTHER_REPLICA));
            } finally {
                // That replica stops (killed: it releases nothing): this one claims the partition again.
                sql("DELETE FROM inventory.inventory_replica WHERE holder = ?", OTHER_REPLICA);
            }
            SyncReport second = awaitReport("bundle-fenced", 2);
            assertThat(second.outcomes())
                    .extracting(ObjectOutcome::name, ObjectOutcome::outcome)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("first", Outcome.Unchanged),
                            org.assertj.core.groups.Tuple.tuple("second", Outcome.Created));
        }
    }

    @Test
    void aReplicaWhosePartitionAnotherReplicaClaimedPrunesNothingOfAWithdrawnBundle() throws SQLException {
        try (MockCluster cluster = registered("prune-fenced")) {
            publish(bundle("prune-fenced", 1, DriftPolicy.REPAIR, false, roleBinding("kept", "payments")));
            awaitReport("prune-fenced", 1);
            long writes = cluster.writeRequests();
            try {
                handToAnotherReplica("prune-fenced");
                tombstone("prune-fenced");
                // The claim is checked right before the first delete: the withdrawal waits for the cluster's replica.
                Awaits.eventually(
                        EVENTUALLY,
                        () -> given().header("Authorization", VIEWER)
                                .get("/api/v1/clusters/prune-fenced/sync")
                                .then()
                                .body("owners[0].state", equalTo("WaitingForCluster")));
                assertThat(paymentsBinding(cluster, "kept")).isNotNull();
                assertThat(cluster.writeRequests()).isEqualTo(writes);
            } finally {
                sql("DELETE FROM inventory.inventory_replica WHERE holder = ?", OTHER_REPLICA);
            }
            Awaits.eventually(
                    EVENTUALLY,
                    () -> assertThat(paymentsBinding(cluster, "kept")).isNull());
        }
    }

    /**
     * Kafka gave the cluster's partition to another replica, which claimed it (and lives, until its row in
     * {@code inventory_replica} is deleted); this one has not noticed. Answers the partition.
     */
    private int handToAnotherReplica(String clusterName) throws SQLException {
        int partition = ownership.claim(clusterName).orElseThrow().partition();
        sql(
                "INSERT INTO inventory.inventory_replica (holder, seen_at) VALUES (?, clock_timestamp()"
                        + " + interval '10 minutes')",
                OTHER_REPLICA);
        assertThat(sql(
                        "UPDATE inventory.cluster_partition_claim SET epoch = epoch + 1, holder = ?"
                                + " WHERE partition_no = " + partition,
                        OTHER_REPLICA))
                .isEqualTo(1);
        return partition;
    }

    @Test
    void writesRecordedUnderAnEarlierClaimOfTheSamePartitionFenceTheWholeBatch() {
        try (MockCluster cluster = registered("bundle-epochs")) {
            publish(bundle("bundle-epochs", 1, DriftPolicy.REPAIR, false, roleBinding("first", "payments")));
            awaitReport("bundle-epochs", 1);
            // A batch recorded across a reassignment holds writes made under the old and the new epoch of one
            // partition: each claim is checked, whatever the order.
            PartitionClaims.Claim now = ownership.claim("bundle-epochs").orElseThrow();
            PartitionClaims.Claim earlier = new PartitionClaims.Claim(now.partition(), now.epoch() - 1);
            assertThatCode(() -> checkClaims(List.of(now))).doesNotThrowAnyException();
            assertThatThrownBy(() -> checkClaims(List.of(earlier, now)))
                    .isInstanceOf(PartitionClaims.Fenced.class)
                    .hasMessageContaining("epoch " + earlier.epoch() + " here");
            assertThatThrownBy(() -> checkClaims(List.of(now, earlier))).isInstanceOf(PartitionClaims.Fenced.class);
        }
    }

    private void checkClaims(List<PartitionClaims.Claim> batch) throws Throwable {
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(
                () -> sessions.withTransaction(session -> partitionClaims.check(session, batch)));
    }

    @Test
    void serverDefaultsAndStatusChurnAreNeverDriftAndEachObjectIsWrittenOnce() {
        try (MockCluster cluster = registered("ssa-quiet")) {
            long before = cluster.writeRequests();
            publish(bundle(
                    "ssa-quiet",
                    1,
                    DriftPolicy.REPAIR,
                    false,
                    admissionPolicy("require-team"),
                    admissionPolicyBinding("require-team"),
                    roleBinding("team-shop", "shop"),
                    deployment("web", null)));
            SyncReport applied = awaitReport("ssa-quiet", 1);
            assertThat(applied.outcomes()).extracting(ObjectOutcome::outcome).containsOnly(Outcome.Created);
            Awaits.eventually(
                    EVENTUALLY,
                    () -> assertThat(deploymentOf(cluster, "web").getStatus().getAvailableReplicas())
                            .isEqualTo(1));
            // The server filled in its defaults: the comparison below is not between identical objects.
            assertThat(cluster.client()
                            .admissionRegistration()
                            .v1()
                            .validatingAdmissionPolicies()
                            .withName("require-team")
                            .get()
                            .getSpec()
                            .getFailurePolicy())
                    .isEqualTo("Fail");
            assertThat(deploymentOf(cluster, "web").getSpec().getRevisionHistoryLimit())
                    .isEqualTo(10);
            assertThat(cluster.writeRequests() - before)
                    .as("one write per object")
                    .isEqualTo(4);

            String versionBefore = deploymentOf(cluster, "web").getMetadata().getResourceVersion();
            cluster.statusChurn(Duration.ofSeconds(1));
            long syncRecords = syncRecordsOf("ssa-quiet");
            org.awaitility.Awaitility.await()
                    .during(Duration.ofSeconds(60))
                    .atMost(Duration.ofSeconds(70))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> cluster.writeRequests() - before == 4 && syncRecordsOf("ssa-quiet") == syncRecords);
            cluster.statusChurn(Duration.ZERO);
            assertThat(Long.parseLong(deploymentOf(cluster, "web").getMetadata().getResourceVersion()))
                    .as("the status really changed meanwhile")
                    .isGreaterThan(Long.parseLong(versionBefore) + 30);
        }
    }

    @Test
    void replicasAnotherManagerOwnsAreLeftAloneUntilTheBundleClaimsThem() {
        try (MockCluster cluster = registered("ssa-replicas")) {
            publish(bundle("ssa-replicas", 1, DriftPolicy.REPAIR, false, deployment("api", null)));
            awaitReport("ssa-replicas", 1);
            long writes = cluster.writeRequests();
            long syncRecords = syncRecordsOf("ssa-replicas");

            // An HPA scales the Deployment: kube-controller-manager now owns spec.replicas, which the bundle omits.
            cluster.hpaScale("shop", "Deployment", "api", 5);
            org.awaitility.Awaitility.await()
                    .during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> cluster.writeRequests() == writes + 1 && syncRecordsOf("ssa-replicas") == syncRecords);
            assertThat(deploymentOf(cluster, "api").getSpec().getReplicas()).isEqualTo(5);

            // Claiming the field without adopting it is a conflict that names the manager and the field.
            publish(bundle("ssa-replicas", 2, DriftPolicy.REPAIR, false, deployment("api", 3)));
            ObjectOutcome conflict = awaitReport("ssa-replicas", 2).outcomes().getFirst();
            assertThat(conflict.outcome()).isEqualTo(Outcome.Conflict);
            assertThat(conflict.reason()).contains("kube-controller-manager").contains(".spec.replicas");
            assertThat(deploymentOf(cluster, "api").getSpec().getReplicas()).isEqualTo(5);

            // Adopting takes it.
            publish(bundle("ssa-replicas", 3, DriftPolicy.REPAIR, true, deployment("api", 3)));
            assertThat(awaitReport("ssa-replicas", 3).outcomes())
                    .extracting(ObjectOutcome::outcome)
                    .containsExactly(Outcome.Patched);
            assertThat(deploymentOf(cluster, "api").getSpec().getReplicas()).isEqualTo(3);

            // Now it is ours: the same content without adopt, then an HPA taking it again, is drift put back.
            publish(bundle("ssa-replicas", 4, DriftPolicy.REPAIR, false, deployment("api", 3)));
            awaitReport("ssa-replicas", 4);
            cluster.hpaScale("shop", "Deployment", "api", 7);
            sync.awaitFirst(
                    r -> r.event() != null
                            && r.event().type().equals(EventType.SYNC_DRIFT_REPAIRED.type())
                            && r.key().equals(OWNER + "/ssa-replicas"),
                    EVENTUALLY);
            Awaits.eventually(
                    EVENTUALLY,
                    () -> assertThat(deploymentOf(cluster, "api").getSpec().getReplicas())
                            .isEqualTo(3));
        }
    }

    @Test
    void expiredWatchesAreRelistedWithoutLosingOrInventingObjectsOrApplyingAgain() {
        try (MockCluster cluster = registered("ssa-expiry")) {
            publish(bundle("ssa-expiry", 1, DriftPolicy.REPAIR, false, roleBinding("kept", "payments")));
            awaitReport("ssa-expiry", 1);
            var pods = cluster.client().pods().inNamespace("payments");
            pods.resource(pod("before-expiry")).create();
            Awaits.eventually(
                    EVENTUALLY, () -> assertThat(observedPods("ssa-expiry")).contains("before-expiry"));
            long writes = cluster.writeRequests();
            long syncRecords = syncRecordsOf("ssa-expiry");

            for (int round = 0; round < 3; round++) {
                cluster.expireWatches();
                pods.resource(pod("during-" + round)).create();
                pods.withName(round == 0 ? "before-expiry" : "during-" + (round - 1))
                        .delete();
            }
            long ownWrites = 6; // the test's creates and deletes
            Awaits.eventually(
                    EVENTUALLY,
                    () -> assertThat(observedPods("ssa-expiry"))
                            .containsExactlyInAnyOrderElementsOf(
                                    cluster.client().pods().inNamespace("payments").list().getItems().stream()
                                            .map(p -> p.getMetadata().getName())
                                            .toList())
                            .containsExactly("during-2"));
            assertThat(cluster.writeRequests() - writes).as("no repeated apply").isEqualTo(ownWrites);
            assertThat(syncRecordsOf("ssa-expiry")).isEqualTo(syncRecords);
        }
    }

    /** Pod names whose latest record on fleet.resources.v1 for the cluster is not a tombstone. */
    private static List<String> observedPods(String cluster) {
        Map<String, Boolean> present = new java.util.LinkedHashMap<>();
        String prefix = cluster + "//Pod/";
        resources.all().stream()
                .filter(r -> r.key() != null && r.key().startsWith(prefix))
                .forEach(r -> present.put(r.key().substring(r.key().lastIndexOf('/') + 1), !r.isTombstone()));
        return present.entrySet().stream()
                .filter(Map.Entry::getValue)
                .map(Map.Entry::getKey)
                .toList();
    }

    private static io.fabric8.kubernetes.api.model.Pod pod(String name) {
        return new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("payments")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("nginx:1.27")
                .endContainer()
                .endSpec()
                .build();
    }

    private static long syncRecordsOf(String cluster) {
        return sync.all().stream()
                .filter(r -> (OWNER + "/" + cluster).equals(r.key()))
                .count();
    }

    private static io.fabric8.kubernetes.api.model.apps.Deployment deploymentOf(MockCluster cluster, String name) {
        return cluster.client()
                .apps()
                .deployments()
                .inNamespace("shop")
                .withName(name)
                .get();
    }

    private static Map<String, Object> deployment(String name, Integer replicas) {
        Map<String, Object> spec = new java.util.LinkedHashMap<>();
        if (replicas != null) {
            spec.put("replicas", replicas);
        }
        spec.put("selector", Map.of("matchLabels", Map.of("app", name)));
        spec.put(
                "template",
                Map.of(
                        "metadata", Map.of("labels", Map.of("app", name)),
                        "spec",
                                Map.of(
                                        "containers",
                                        List.of(Map.of(
                                                "name",
                                                "app",
                                                "image",
                                                "nginx:1.27",
                                                "ports",
                                                List.of(Map.of("containerPort", 8080)),
                                                "resources",
                                                Map.of("requests", Map.of("cpu", "0.5", "memory", "256Mi")))))));
        return Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", name, "namespace", "shop"),
                "spec",
                spec);
    }

    private static Map<String, Object> configMap(String name, String mode) {
        return Map.of(
                "apiVersion",
                "v1",
                "kind",
                "ConfigMap",
                "metadata",
                Map.of("name", name, "namespace", "data"),
                "data",
                Map.of("mode", mode));
    }

    private static Map<String, Object> admissionPolicy(String name) {
        return Map.of(
                "apiVersion",
                "admissionregistration.k8s.io/v1",
                "kind",
                "ValidatingAdmissionPolicy",
                "metadata",
                Map.of("name", name),
                "spec",
                Map.of(
                        "matchConstraints",
                        Map.of(
                                "resourceRules",
                                List.of(Map.of(
                                        "apiGroups",
                                        List.of("apps"),
                                        "apiVersions",
                                        List.of("v1"),
                                        "operations",
                                        List.of("CREATE", "UPDATE"),
                                        "resources",
                                        List.of("deployments")))),
                        "validations",
                        List.of(Map.of(
                                "expression",
                                "has(object.metadata.labels) && 'team' in object.metadata.labels",
                                "message",
                                "every Deployment names its team"))));
    }

    private static Map<String, Object> admissionPolicyBinding(String policy) {
        return Map.of(
                "apiVersion",
                "admissionregistration.k8s.io/v1",
                "kind",
                "ValidatingAdmissionPolicyBinding",
                "metadata",
                Map.of("name", policy + "-binding"),
                "spec",
                Map.of("policyName", policy, "validationActions", List.of("Deny")));
    }

    /** Waits until the sync API shows {@code value} in the cluster's first owner's {@code field}. */
    private static void awaitSync(String cluster, String field, Object value) {
        Awaits.eventually(
                EVENTUALLY,
                () -> given().header("Authorization", VIEWER)
                        .get("/api/v1/clusters/" + cluster + "/sync")
                        .then()
                        .body("owners[0]." + field, equalTo(value)));
    }

    /** The RoleBinding of that name in the cluster's {@code payments} namespace, or null. */
    private static RoleBinding paymentsBinding(MockCluster cluster, String name) {
        return cluster.client()
                .rbac()
                .roleBindings()
                .inNamespace("payments")
                .withName(name)
                .get();
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
                Statement plain = connection.createStatement()) {
            plain.execute(statement);
        }
    }

    private int sql(String statement, String parameter) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
                PreparedStatement update = connection.prepareStatement(statement)) {
            update.setString(1, parameter);
            return update.executeUpdate();
        }
    }

    private String holderOf(int partition) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
                PreparedStatement query = connection.prepareStatement(
                        "SELECT holder FROM inventory.cluster_partition_claim WHERE partition_no = ?")) {
            query.setInt(1, partition);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** The objects inventory's database says the test owner manages on the cluster. */
    private List<String> managedKeys(String cluster) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
                PreparedStatement query = connection.prepareStatement(
                        "SELECT object_key FROM inventory.bundle_object WHERE owner = ? AND cluster = ?")) {
            query.setString(1, OWNER);
            query.setString(2, cluster);
            List<String> keys = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getString(1));
                }
            }
            return keys;
        }
    }

    private static MockCluster registered(String name) {
        MockCluster cluster = MockCluster.start(name);
        cluster.client()
                .nodes()
                .resource(ClusterObjects.awsNode(name + "-node", "us-east-1", "us-east-1a", "m6i.xlarge"))
                .create();
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        name,
                        "cloud",
                        "aws",
                        "region",
                        "us-east-1",
                        "credentials",
                        Map.of("kubeconfig", cluster.kubeconfig())))
                .post("/api/v1/clusters")
                .then()
                .statusCode(201);
        REGISTERED.add(name);
        awaitPhase(name, "Ready");
        return cluster;
    }

    private static void awaitPhase(String name, String phase) {
        Awaits.eventually(
                EVENTUALLY,
                () -> given().header("Authorization", VIEWER)
                        .get("/api/v1/clusters/" + name)
                        .then()
                        .body("status.phase", equalTo(phase)));
    }

    private static SyncReport awaitReport(String cluster, long generation) {
        return report(
                sync.awaitFirst(r -> isReport(r, cluster) && report(r).generationWanted() == generation, EVENTUALLY));
    }

    private static boolean isReport(Received r, String cluster) {
        return r.event() != null
                && r.event().type().equals(EventType.SYNC_REPORTED.type())
                && r.key().equals(OWNER + "/" + cluster);
    }

    private static SyncReport report(Received r) {
        return EventJson.read(r.value(), SyncReport.class);
    }

    @SafeVarargs
    private static DesiredBundle bundle(
            String cluster, long generation, DriftPolicy policy, boolean adopt, Map<String, Object>... objects) {
        return new DesiredBundle(OWNER, cluster, generation, policy, adopt, List.of(objects), Instant.now());
    }

    private static void publish(DesiredBundle bundle) {
        producer.send(OWNER_TOPIC, EventType.DESIRED_BUNDLE_DECLARED, bundle.key(), bundle.clusterId(), bundle);
    }

    private static void tombstone(String cluster) {
        producer.tombstone(OWNER_TOPIC, EventType.DESIRED_BUNDLE_DECLARED, OWNER + "/" + cluster, cluster);
    }

    private static Map<String, Object> roleBinding(String name, String namespace) {
        return Map.of(
                "apiVersion", "rbac.authorization.k8s.io/v1",
                "kind", "RoleBinding",
                "metadata", Map.of("name", name, "namespace", namespace),
                "roleRef", Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", "view"),
                "subjects",
                        List.of(Map.of(
                                "apiGroup",
                                "rbac.authorization.k8s.io",
                                "kind",
                                "Group",
                                "name",
                                "oidc:" + namespace)));
    }

    private static Map<String, Object> clusterRole(String name) {
        return Map.of(
                "apiVersion",
                "rbac.authorization.k8s.io/v1",
                "kind",
                "ClusterRole",
                "metadata",
                Map.of("name", name),
                "rules",
                List.of(Map.of(
                        "apiGroups", List.of(""), "resources", List.of("pods"), "verbs", List.of("get", "list"))));
    }
}
