package io.meridian.eventing.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.desired.BundleContentHash;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.eventing.desired.Declaration.Declared;
import io.meridian.eventing.desired.Declaration.Tombstoned;
import io.meridian.eventing.desired.Declaration.Unchanged;
import io.meridian.testsupport.Awaits;
import io.meridian.testsupport.CloudEventCollector;
import io.meridian.testsupport.CloudEventCollector.Received;
import io.meridian.testsupport.KafkaBroker;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The declarer inside a booted service, against the real database and broker: generations, content-hash skips,
 * tombstones, retraction, batches and two transactions racing for the first generation of a cluster.
 */
@QuarkusTest
@WithTestResource(
        value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = "topics", value = "eventing.probe.v1"))
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "eventing_test"))
@WithTestResource(OidcWiremockTestResource.class)
class DesiredBundleDeclarerTest {

    private static final Duration EVENTUALLY = Duration.ofSeconds(30);
    // The test service plays policy (meridian.eventing.service), an owner with a desired topic of its own.
    private static final String OWNER = "policy";
    private static CloudEventCollector desired;
    private static CloudEventCollector audit;

    @Inject
    DesiredBundleDeclarer declarer;

    @Inject
    Mutiny.SessionFactory sessions;

    @BeforeAll
    static void collect() {
        String servers = KafkaBroker.shared().bootstrapServers();
        desired = CloudEventCollector.collect(servers, Topic.DESIRED_POLICY.topicName());
        audit = CloudEventCollector.collect(servers, Topic.AUDIT_POLICY.topicName());
    }

    @AfterAll
    static void close() {
        desired.close();
        audit.close();
    }

    @Test
    void aNewGenerationGoesOutOnlyWhenTheContentOrItsSettingsChange() {
        String owner = OWNER;
        String c1 = cluster("c1");
        assertThat(declare(owner, WantedBundle.of(c1, List.of(configMap("a", 1)))))
                .isEqualTo(new Declared(c1, 1, 1));
        DesiredBundle first = awaitBundle(owner, c1, 1);
        assertThat(first.owner()).isEqualTo(owner);
        assertThat(first.driftPolicy()).isEqualTo(DriftPolicy.REPAIR);
        assertThat(first.objects()).containsExactly(configMap("a", 1));

        // The same content with its keys in another order is the same content.
        assertThat(declare(owner, WantedBundle.of(c1, List.of(reversed(configMap("a", 1))))))
                .isEqualTo(new Unchanged(c1, 1));
        assertThat(declare(owner, WantedBundle.of(c1, List.of(configMap("a", 2)))))
                .isEqualTo(new Declared(c1, 2, 1));
        // Only a setting changes: inventory must hear it, so it is a new generation too.
        assertThat(declare(owner, new WantedBundle(c1, DriftPolicy.REPORT, true, List.of(configMap("a", 2)))))
                .isEqualTo(new Declared(c1, 3, 1));
        DesiredBundle third = awaitBundle(owner, c1, 3);
        assertThat(third.driftPolicy()).isEqualTo(DriftPolicy.REPORT);
        assertThat(third.adopt()).isTrue();

        Received record = records(owner, c1).getLast();
        assertThat(record.event().type()).isEqualTo(EventType.DESIRED_BUNDLE_DECLARED.type());
        assertThat(record.event().source()).isEqualTo(URI.create("/meridian/policy"));
        assertThat(record.header(CloudEventHeaders.SUBJECT)).isEqualTo(c1);
        assertThat(records(owner, c1)).hasSize(3);
        AuditRecord declared = awaitAudit(owner, c1, DesiredBundleDeclarer.DECLARED, "3");
        assertThat(declared.actor()).isEqualTo(new AuditRecord.Actor(AuditRecord.ActorType.service, "policy"));
        assertThat(declared.details()).containsEntry("objects", "1");
    }

    @Test
    void nothingWantedWithdrawsTheBundleOnceAndTheNextBundleIsNewer() {
        String owner = OWNER;
        String c1 = cluster("c1");
        declare(owner, WantedBundle.of(c1, List.of(configMap("a", 1))));

        assertThat(declare(owner, WantedBundle.nothing(c1))).isEqualTo(new Tombstoned(c1, 1));
        Received tombstone = awaitRecord(owner, c1, Received::isTombstone);
        assertThat(tombstone.event().type()).isEqualTo(EventType.DESIRED_BUNDLE_DECLARED.type());
        assertThat(tombstone.header(CloudEventHeaders.SUBJECT)).isEqualTo(c1);
        assertThat(awaitAudit(owner, c1, DesiredBundleDeclarer.WITHDRAWN, "1").target())
                .isEqualTo(new AuditRecord.Target("DesiredBundle", owner + "/" + c1, c1));
        assertThat(declaredClusters(owner)).doesNotContain(c1);

        // Nothing again, and the cluster leaving the fleet after that, are remembered: no second tombstone.
        assertThat(declare(owner, WantedBundle.nothing(c1))).isEqualTo(new Unchanged(c1, 1));
        assertThat(retract(owner, c1)).isEqualTo(new Unchanged(c1, 1));

        // The same content as before the tombstone is declared again, one generation above the withdrawn one.
        assertThat(declare(owner, WantedBundle.of(c1, List.of(configMap("a", 1)))))
                .isEqualTo(new Declared(c1, 2, 1));
        awaitBundle(owner, c1, 2);
        assertThat(records(owner, c1)).extracting(Received::isTombstone).containsExactly(false, true, false);
        assertThat(declaredClusters(owner)).contains(c1);

        // A cluster that leaves the fleet loses the bundle.
        assertThat(retract(owner, c1)).isEqualTo(new Tombstoned(c1, 2));
        Awaits.eventually(
                EVENTUALLY,
                () -> assertThat(records(owner, c1))
                        .extracting(Received::isTombstone)
                        .containsExactly(false, true, false, true));
    }

    @Test
    void aClusterThatNeverHadABundleGetsNoTombstone() {
        String owner = OWNER;
        String never = cluster("never");
        String marker = cluster("marker");
        assertThat(declare(owner, WantedBundle.nothing(never))).isEqualTo(new Unchanged(never, 0));
        assertThat(retract(owner, never)).isEqualTo(new Unchanged(never, 0));
        // The relay publishes in commit order: once the later bundle is out, anything for never would be too.
        declare(owner, WantedBundle.of(marker, List.of(configMap("m", 1))));
        awaitBundle(owner, marker, 1);
        assertThat(records(owner, never)).isEmpty();
        assertThat(declare(owner, WantedBundle.of(never, List.of(configMap("a", 1)))))
                .isEqualTo(new Declared(never, 1, 1));
    }

    @Test
    void aBatchAcrossManyStatementsAnswersInTheOrderAsked() {
        String owner = OWNER;
        String batch = cluster("c");
        List<WantedBundle> wanted = new ArrayList<>();
        for (int i = 1200; i >= 0; i--) {
            wanted.add(
                    i % 3 == 0
                            ? WantedBundle.nothing(batch + i)
                            : WantedBundle.of(batch + i, List.of(configMap("a", i))));
        }
        List<Declaration> first = declareAll(owner, wanted);
        assertThat(first).hasSize(1201);
        for (int n = 0; n < wanted.size(); n++) {
            WantedBundle w = wanted.get(n);
            assertThat(first.get(n).clusterId()).isEqualTo(w.clusterId());
            assertThat(first.get(n))
                    .isEqualTo(w.isNothing() ? new Unchanged(w.clusterId(), 0) : new Declared(w.clusterId(), 1, 1));
        }
        // Other tests declare as the same owner: count this batch's clusters only.
        assertThat(declaredClusters(owner)).filteredOn(c -> c.startsWith(batch)).hasSize(800);
        assertThat(declareAll(owner, wanted)).allSatisfy(d -> assertThat(d).isInstanceOf(Unchanged.class));
        awaitBundle(owner, batch + 1, 1);
        awaitBundle(owner, batch + 1199, 1);
    }

    @Test
    void aWithdrawalFromMoreClustersThanOneStatementHoldsSendsEveryClusterItsTombstone() {
        String owner = OWNER;
        String batch = cluster("w");
        List<WantedBundle> wanted = new ArrayList<>();
        List<WantedBundle> nothing = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            wanted.add(WantedBundle.of(batch + i, List.of(configMap("a", i))));
            nothing.add(WantedBundle.nothing(batch + i));
        }
        declareAll(owner, wanted);
        List<Declaration> withdrawn = declareAll(owner, nothing);
        for (int i = 0; i < nothing.size(); i++) {
            assertThat(withdrawn.get(i)).isEqualTo(new Tombstoned(batch + i, 1));
        }
        assertThat(declaredClusters(owner)).noneMatch(c -> c.startsWith(batch));
        // Every cluster, the one past the first statement's thousand included, ends with a tombstone about it (a
        // relay that resent a batch may have repeated records; the last one counts).
        Awaits.eventually(() -> {
            Map<String, List<Received>> byKey = new java.util.HashMap<>();
            desired.all()
                    .forEach(r -> byKey.computeIfAbsent(r.key(), k -> new ArrayList<>())
                            .add(r));
            for (int i = 0; i < nothing.size(); i++) {
                List<Received> records = byKey.getOrDefault(DesiredBundle.key(owner, batch + i), List.of());
                assertThat(records).as("records of %s", batch + i).isNotEmpty();
                assertThat(records.getLast().isTombstone())
                        .as("last record of %s", batch + i)
                        .isTrue();
                assertThat(records.getLast().header(CloudEventHeaders.SUBJECT)).isEqualTo(batch + i);
            }
        });
    }

    @Test
    void twoTransactionsRacingForAClusterNeverShareAGeneration() throws Exception {
        String owner = OWNER;
        String c1 = cluster("c1");
        CountDownLatch firstDeclared = new CountDownLatch(1);
        // The first transaction declares and then stays open; the second must wait for it, then build on it.
        CompletableFuture<Declaration> first = CompletableFuture.supplyAsync(() ->
                inTransaction(s -> declarer.declare(s, owner, WantedBundle.of(c1, List.of(configMap("a", 1))))
                        .call(() -> {
                            firstDeclared.countDown();
                            return s.createNativeQuery("SELECT 1 FROM pg_sleep(1)", Integer.class)
                                    .getSingleResult();
                        })));
        assertThat(firstDeclared.await(30, TimeUnit.SECONDS)).isTrue();
        Declaration second = declare(owner, WantedBundle.of(c1, List.of(configMap("a", 2))));

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(new Declared(c1, 1, 1));
        assertThat(second).isEqualTo(new Declared(c1, 2, 1));
        assertThat(awaitBundle(owner, c1, 2).objects()).containsExactly(configMap("a", 2));
    }

    @Test
    void aKeyThatInventoryCouldNotSplitIsRefused() {
        assertThatThrownBy(() -> inTransaction(s -> declarer.declare(s, "team/x", WantedBundle.nothing("c1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without '/'");
        assertThatThrownBy(() -> inTransaction(s ->
                        declarer.declareAll(s, OWNER, List.of(WantedBundle.nothing("c1"), WantedBundle.nothing("c1")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wanted twice");
    }

    @Test
    void aBundleGoesOnItsOwnersTopicOnlyAndAnOwnerWithoutATopicIsRefused() {
        String c1 = cluster("c1");
        try (CloudEventCollector identity = CloudEventCollector.collect(
                KafkaBroker.shared().bootstrapServers(), Topic.DESIRED_IDENTITY.topicName())) {
            declare(OWNER, WantedBundle.of(c1, List.of(configMap("a", 1))));
            // Inventory takes the owner from the topic, so policy's bundle must be on policy's topic and nowhere else.
            assertThat(awaitRecord(OWNER, c1, r -> true).topic()).isEqualTo("fleet.desired.policy.v1");
            String marker = cluster("marker");
            declare("identity", WantedBundle.of(marker, List.of(configMap("m", 1))));
            identity.awaitFirst(r -> DesiredBundle.key("identity", marker).equals(r.key()), EVENTUALLY);
            assertThat(identity.all()).noneMatch(r -> r.key().endsWith("/" + c1));
        }
        assertThatThrownBy(() -> declare("team-x", WantedBundle.nothing(c1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner 'team-x' has no desired topic");
    }

    // ------------------------------------------------------------------ helpers

    private Declaration declare(String owner, WantedBundle wanted) {
        return inTransaction(s -> declarer.declare(s, owner, wanted));
    }

    private Declaration retract(String owner, String clusterId) {
        return inTransaction(s -> declarer.retract(s, owner, clusterId));
    }

    private List<Declaration> declareAll(String owner, List<WantedBundle> wanted) {
        return inTransaction(s -> declarer.declareAll(s, owner, wanted));
    }

    private Set<String> declaredClusters(String owner) {
        return inTransaction(s -> declarer.declaredClusters(s, owner));
    }

    private <T> T inTransaction(Function<Mutiny.Session, Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> sessions.withTransaction(work::apply));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cluster id of this test alone: every test declares as the one owner the test service plays. */
    private static String cluster(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> configMap(String name, int version) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "ConfigMap");
        manifest.put("metadata", Map.of("name", name, "namespace", "default"));
        manifest.put("data", Map.of("version", Integer.toString(version)));
        return manifest;
    }

    private static Map<String, Object> reversed(Map<String, Object> manifest) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (String key : List.copyOf(manifest.keySet()).reversed()) {
            copy.put(key, manifest.get(key));
        }
        assertThat(BundleContentHash.ofObject(copy)).isEqualTo(BundleContentHash.ofObject(manifest));
        return copy;
    }

    private static List<Received> records(String owner, String clusterId) {
        return desired.all().stream()
                .filter(r -> DesiredBundle.key(owner, clusterId).equals(r.key()))
                .toList();
    }

    private static Received awaitRecord(String owner, String clusterId, java.util.function.Predicate<Received> match) {
        return desired.awaitFirst(
                r -> DesiredBundle.key(owner, clusterId).equals(r.key()) && match.test(r), EVENTUALLY);
    }

    private static DesiredBundle awaitBundle(String owner, String clusterId, long generation) {
        Received r = awaitRecord(
                owner,
                clusterId,
                x -> !x.isTombstone()
                        && EventJson.read(x.value(), DesiredBundle.class).generation() == generation);
        return EventJson.read(r.value(), DesiredBundle.class);
    }

    private static AuditRecord awaitAudit(String owner, String clusterId, String action, String generation) {
        Received r = audit.awaitFirst(
                x -> x.value() != null
                        && ("DesiredBundle/" + DesiredBundle.key(owner, clusterId)).equals(x.key())
                        && action.equals(
                                EventJson.read(x.value(), AuditRecord.class).action())
                        && generation.equals(EventJson.read(x.value(), AuditRecord.class)
                                .details()
                                .get("generation")),
                EVENTUALLY);
        return EventJson.read(r.value(), AuditRecord.class);
    }
}
