package io.meridian.placement.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.meridian.contracts.Topic;
import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.eventing.desired.Declaration;
import io.meridian.placement.domain.Assignment;
import io.meridian.placement.domain.FailoverPolicy;
import io.meridian.placement.domain.PlacementDecision;
import io.meridian.placement.domain.PlacementMode;
import io.meridian.placement.domain.PlacementPolicy;
import io.meridian.placement.domain.Preference;
import io.meridian.placement.domain.Rejection;
import io.meridian.placement.domain.RolloutState;
import io.meridian.placement.domain.RolloutStrategy;
import io.meridian.placement.domain.Workload;
import io.meridian.placement.domain.WorkloadOverride;
import io.meridian.placement.domain.WorkloadProgress;
import io.meridian.placement.domain.WorkloadRevision;
import io.meridian.placement.domain.WorkloadSync;
import io.meridian.placement.reconcile.WorkloadOwnership;
import io.meridian.servicekit.ProblemException;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * What the reconciler keeps through the stores, against the real database: which workload generation each cluster's
 * bundle carries and which one inventory applied, decisions and progress, revisions, and deleted workloads to withdraw.
 * Cluster ids and workload names are this test's own.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "placement"))
@WithTestResource(OidcWiremockTestResource.class)
class PlacementStoresComponentTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Inject
    WorkloadStore workloads;

    @Inject
    DesiredBundleStore bundles;

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    WorkloadOwnership ownership;

    @Test
    void aBundleRemembersWhichWorkloadGenerationsItCarriedUntilInventoryAppliesThem() {
        // No live workload has these names: the reconciler would withdraw them from the cluster meanwhile.
        unreconciled(List.of("store-alpha", "store-beta"), this::bundleRemembersGenerations);
    }

    private void bundleRemembersGenerations() {
        String cluster = "store-test-aws-1";

        Declaration first = declare(cluster, Map.of("store-alpha", 1L, "store-beta", 4L));
        assertThat(first).isEqualTo(new Declaration.Declared(cluster, 1, 2));
        assertThat(applied("store-alpha")).containsEntry(cluster, 0L);

        // Only alpha changes: beta is still carried since bundle generation 1.
        assertThat(declare(cluster, Map.of("store-alpha", 2L, "store-beta", 4L)))
                .isEqualTo(new Declaration.Declared(cluster, 2, 2));
        assertThat(appliedAfterReport(cluster, 1))
                .containsEntry("store-beta", 4L)
                .containsEntry("store-alpha", 0L);
        assertThat(appliedAfterReport(cluster, 2))
                .containsEntry("store-beta", 4L)
                .containsEntry("store-alpha", 2L);

        // The same content again declares nothing and keeps what was applied.
        assertThat(declare(cluster, Map.of("store-alpha", 2L, "store-beta", 4L)))
                .isEqualTo(new Declaration.Unchanged(cluster, 2));
        assertThat(applied("store-alpha")).containsEntry(cluster, 2L);

        // A workload that left the cluster's bundle is no longer declared there; nothing wanted withdraws the rest.
        declare(cluster, Map.of("store-beta", 4L));
        assertThat(applied("store-alpha")).doesNotContainKey(cluster);
        assertThat(declare(cluster, Map.of())).isEqualTo(new Declaration.Tombstoned(cluster, 3));
        assertThat(applied("store-beta")).doesNotContainKey(cluster);
    }

    @Test
    void reportsOfSeveralClustersReadTogetherLeaveWhatEachWouldHaveLeftInTurn() {
        unreconciled(List.of("store-gamma", "store-delta"), this::reportsReadTogether);
    }

    private void reportsReadTogether() {
        String east = "store-batch-aws-1";
        String west = "store-batch-gcp-1";
        declareLabelled(east, Map.of("store-gamma", 1L, "store-delta", 3L));
        declareLabelled(west, Map.of("store-gamma", 1L));
        // The room the scheduler sees: what the workload holds in each bundle, and what the others take there.
        long gamma = DesiredBundleStore.bytesOf(labelled(List.of("store-gamma")));
        long delta = DesiredBundleStore.bytesOf(labelled(List.of("store-delta")));
        DesiredBundleStore.BundleBytes sizes = inTransaction(s -> bundles.bundleBytes(s, "store-gamma"));
        assertThat(sizes.held()).containsEntry(east, gamma).containsEntry(west, gamma);
        assertThat(sizes.others()).containsEntry(east, delta).doesNotContainKey(west);
        ObjectOutcome gammaFailed = outcome("store-gamma", ObjectOutcome.Outcome.Failed, "denied by a webhook");
        ObjectOutcome deltaCreated = outcome("store-delta", ObjectOutcome.Outcome.Created, null);

        // One poll: east fails gamma's object, west applies its bundle, then east's retry applies the whole bundle.
        List<Map<String, WorkloadSync.State>> states = inTransaction(s -> bundles.reported(
                s,
                List.of(
                        report(east, 0, List.of(gammaFailed, deltaCreated)),
                        report(west, 1, List.of()),
                        report(east, 1, List.of()))));

        WorkloadSync.ApplyFailure failure =
                new WorkloadSync.ApplyFailure(1, "ConfigMap/store-gamma in shop", "Failed", "denied by a webhook");
        assertThat(states)
                .containsExactly(
                        Map.of(
                                "store-gamma",
                                new WorkloadSync.State(0, failure),
                                "store-delta",
                                new WorkloadSync.State(3, null)),
                        Map.of("store-gamma", new WorkloadSync.State(1, null)),
                        Map.of(
                                "store-gamma",
                                new WorkloadSync.State(1, null),
                                "store-delta",
                                new WorkloadSync.State(3, null)));
        assertThat(applied("store-gamma")).containsEntry(east, 1L).containsEntry(west, 1L);
        assertThat(applied("store-delta")).containsEntry(east, 3L);
        assertThat(failures("store-gamma")).isEmpty();

        // A failure that is the last word on its cluster is kept, with what inventory said.
        inTransaction(s -> bundles.reported(s, List.of(report(east, 0, List.of(gammaFailed, deltaCreated)))));
        assertThat(failures("store-gamma")).containsExactly(Map.entry(east, failure));
        assertThat(applied("store-gamma")).containsEntry(east, 1L);

        // One declaration of both clusters forgets, per cluster, only what that cluster's bundle no longer carries.
        inTransaction(s -> bundles.declare(
                s,
                List.of(
                        new DesiredBundleStore.ClusterBundle(
                                east, labelled(List.of("store-gamma")), Map.of("store-gamma", 1L)),
                        new DesiredBundleStore.ClusterBundle(west, List.of(), Map.of()))));
        assertThat(applied("store-gamma")).containsOnlyKeys(east);
        assertThat(applied("store-delta")).isEmpty();
        DesiredBundleStore.BundleBytes after = inTransaction(s -> bundles.bundleBytes(s, "store-gamma"));
        assertThat(after.held()).containsEntry(east, gamma).doesNotContainKey(west);
        assertThat(after.others()).doesNotContainKey(east).doesNotContainKey(west);
    }

    private static SyncReport report(String cluster, long bundleApplied, List<ObjectOutcome> outcomes) {
        return new SyncReport(DesiredBundleStore.OWNER, cluster, 1, bundleApplied, outcomes, 5, T0);
    }

    private static ObjectOutcome outcome(String name, ObjectOutcome.Outcome outcome, String reason) {
        return new ObjectOutcome("v1", "ConfigMap", "shop", name, outcome, reason);
    }

    private static List<Map<String, Object>> labelled(java.util.Collection<String> workloads) {
        return workloads.stream()
                .sorted()
                .map(name -> Map.<String, Object>of(
                        "apiVersion",
                        "v1",
                        "kind",
                        "ConfigMap",
                        "metadata",
                        Map.of("name", name, "namespace", "shop", "labels", Map.of(Workload.WORKLOAD_LABEL, name))))
                .toList();
    }

    /** A bundle of one ConfigMap per workload, labelled with it: what a report's outcomes are matched against. */
    private void declareLabelled(String cluster, Map<String, Long> generations) {
        List<Map<String, Object>> objects = labelled(generations.keySet());
        inTransaction(
                s -> bundles.declare(s, List.of(new DesiredBundleStore.ClusterBundle(cluster, objects, generations))));
    }

    @Test
    void decisionsProgressAndRevisionsReadBackAsTheyWereStored() {
        Workload declared = new Workload(
                "store-live",
                "shop",
                0,
                List.of(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "a"))),
                new PlacementPolicy(
                        ClusterSelector.parse("environment!=prod").withEnvironments(List.of("staging")),
                        PlacementMode.DIVIDED,
                        6,
                        null,
                        List.of(new PlacementPolicy.StaticWeight(ClusterSelector.parse("tier=gold"), 3)),
                        new PlacementPolicy.ClusterRange(2, 5),
                        List.of(new PlacementPolicy.SpreadConstraint("cloud", 2)),
                        new Preference.LabelOrder("tier", List.of("gold", "silver"))),
                new RolloutStrategy(0, new RolloutStrategy.MaxInFlight(2, false), Duration.ZERO, Duration.ofMinutes(2)),
                new FailoverPolicy(
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(1),
                        0.5,
                        FailoverPolicy.Failback.MANUAL,
                        Duration.ofMinutes(3)),
                List.of(new WorkloadOverride(
                        ClusterSelector.parse("tier=gold"), "ConfigMap/a", deleting("data"), null, null)));
        WorkloadStore.Change created = await(() -> workloads.create(declared, "test", (current, next) -> {}));
        Workload stored = created.stored().workload();
        assertThat(stored).isEqualTo(WorkloadStore.at(declared, 1));
        assertThat(await(() -> workloads.find("store-live"))).contains(stored);
        assertThat(await(() -> workloads.revision("store-live", 1))).contains(WorkloadRevision.of(stored));

        PlacementDecision decision = new PlacementDecision(
                "store-live",
                1,
                List.of(new PlacementDecision.ChosenCluster("c1", "c1", 4, 0.8, 120.5)),
                List.of(new PlacementDecision.RejectedCluster("c2", "c2", Rejection.NO_CAPACITY, "needs 2 CPU")),
                List.of("cloud: 1 of 2"),
                new PlacementDecision.FailoverSuppression(List.of("c3"), "a third vanished", T0),
                List.of(new PlacementDecision.Displacement("c3", T0, null)),
                120.5,
                T0,
                T0.plusSeconds(30));
        WorkloadProgress progress =
                new WorkloadProgress(RolloutState.completed(1, T0), Map.of("c1", new Assignment(1, 4)));
        inTransaction(s -> workloads
                .saveDecision(s, decision)
                .chain(() -> workloads.saveProgress(s, "store-live", progress, T0.plusSeconds(30))));

        Optional<PlacementDecision> decided = inTransaction(s -> workloads.decision(s, "store-live"));
        assertThat(decided).contains(decision);
        Optional<WorkloadProgress> progressed = inTransaction(s -> workloads.progress(s, "store-live"));
        assertThat(progressed).contains(progress);
        // The reconciler reads the three at once.
        WorkloadStore.State state = inTransaction(s -> workloads.state(s, "store-live"));
        assertThat(state)
                .isEqualTo(new WorkloadStore.State(Optional.of(stored), Optional.of(decision), Optional.of(progress)));
        WorkloadStore.State unknown = inTransaction(s -> workloads.state(s, "store-never"));
        assertThat(unknown).isEqualTo(new WorkloadStore.State(Optional.empty(), Optional.empty(), Optional.empty()));
        List<String> dueLater = inTransaction(s -> workloads.due(s, T0.plusSeconds(31)));
        assertThat(dueLater).contains("store-live");
        List<String> dueNow = inTransaction(s -> workloads.due(s, T0));
        assertThat(dueNow).doesNotContain("store-live");

        // Deleted, the workload is gone for the reconciler but its revisions are not: it withdraws from them.
        await(() -> workloads.delete("store-live", "test", (current, next) -> {}));
        assertThat(await(() -> workloads.find("store-live"))).isEmpty();
        WorkloadStore.State deleted = inTransaction(s -> workloads.state(s, "store-live"));
        assertThat(deleted.workload()).isEmpty();
        assertThat(deleted.progress()).contains(progress);
        assertThat(await(() -> workloads.revision("store-live", 1))).isPresent();
        // Saved again in the same transaction, so a reconciler forgetting it meanwhile does not change the answer.
        List<String> withdrawing =
                inTransaction(s -> workloads.saveDecision(s, decision).chain(() -> workloads.withdrawing(s)));
        assertThat(withdrawing).contains("store-live");
        List<String> forgotten =
                inTransaction(s -> workloads.forget(s, "store-live").chain(() -> workloads.withdrawing(s)));
        assertThat(forgotten).doesNotContain("store-live");
        // Withdrawn from everywhere, a deleted workload's revisions go with its decision and progress.
        assertThat(await(() -> workloads.revision("store-live", 1))).isEmpty();
    }

    @Test
    void revisionsBeyondTheKeptCountGoExceptThoseAClusterTheRolloutOrTheDecisionStillUses() {
        // The reconciler would decide and roll this workload meanwhile, moving what the test pins.
        unreconciled(List.of("store-revs"), this::revisionsPruned);
    }

    private void revisionsPruned() {
        String name = "store-revs";
        String cluster = "store-revs-aws-1";
        await(() -> workloads.create(revisionsWorkload(name, 1), "test", (current, next) -> {}));
        for (int g = 2; g <= 3; g++) {
            int content = g;
            await(() -> workloads.replace(revisionsWorkload(name, content), "test", (current, next) -> {}));
        }
        // Generation 1 is what the cluster was last told to run, 2 what the rollout keeps, 3 what was last decided.
        declare(cluster, Map.of(name, 1L));
        PlacementDecision decision =
                new PlacementDecision(name, 3, List.of(), List.of(), List.of(), null, List.of(), 0, T0, null);
        WorkloadProgress progress =
                new WorkloadProgress(RolloutState.completed(2, T0), Map.of(cluster, new Assignment(2, 1)));
        inTransaction(
                s -> workloads.saveDecision(s, decision).chain(() -> workloads.saveProgress(s, name, progress, null)));

        for (int g = 4; g <= 25; g++) {
            int content = g;
            await(() -> workloads.replace(revisionsWorkload(name, content), "test", (current, next) -> {}));
        }

        // 20 kept (6..25); of the older ones only those in use stay.
        List<Long> kept = await(() -> workloads.revisions(name)).stream()
                .map(WorkloadStore.RevisionInfo::generation)
                .toList();
        List<Long> expected = new java.util.ArrayList<>(List.of(1L, 2L, 3L));
        for (long g = 6; g <= 25; g++) {
            expected.add(g);
        }
        assertThat(kept).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(await(() -> workloads.revision(name, 4))).isEmpty();
        assertThat(await(() -> workloads.revision(name, 3))).isPresent();

        // A rollback still finds the generation before the current one.
        WorkloadStore.Change rolledBack = await(() -> workloads.rollback(name, "test", (current, next) -> {}));
        assertThat(rolledBack.stored().workload().generation()).isEqualTo(26);
        assertThat(rolledBack.stored().workload().manifests())
                .isEqualTo(revisionsWorkload(name, 24).manifests());
    }

    @Test
    void aGenerationWhoseSelectorDiffersIsNeitherStoredNorRolledBackTo() {
        unreconciled(List.of("store-selector"), this::selectorKept);
    }

    private void selectorKept() {
        String name = "store-selector";
        await(() -> workloads.create(selectorWorkload(name, "web", 1), "test", (current, next) -> {}));
        await(() -> workloads.replace(selectorWorkload(name, "web", 2), "test", (current, next) -> {}));

        ProblemException moved = (ProblemException) catchThrowable(() ->
                await(() -> workloads.replace(selectorWorkload(name, "web-v3", 3), "test", (current, next) -> {})));
        assertThat(moved.problem().status()).isEqualTo(400);
        assertThat(moved.problem().errors())
                .extracting(io.meridian.servicekit.Problem.FieldError::field)
                .containsExactly("manifests[0].spec.selector");

        // A generation stored before the check existed, whose Deployment selected other pods: no way back to it.
        inTransaction(s -> s.createNativeQuery(
                        "UPDATE workload_revision SET spec = :spec" + " WHERE workload = :name AND generation = 1")
                .setParameter("spec", WorkloadJson.write(selectorWorkload(name, "web-old", 1)))
                .setParameter("name", name)
                .executeUpdate());
        ProblemException refused = (ProblemException)
                catchThrowable(() -> await(() -> workloads.rollback(name, "test", (current, next) -> {})));
        assertThat(refused.problem().status()).isEqualTo(409);
        assertThat(refused.problem().detail())
                .contains(
                        "cannot roll back to generation 1",
                        "Deployment/store-selector-web: spec.selector cannot change");
        assertThat(await(() -> workloads.get(name)).workload().generation()).isEqualTo(2);
    }

    /**
     * A workload of one Deployment, {@code <name>-web} (a name no other test's workload declares), selecting
     * {@code app=<app>}, at the image {@code nginx:1.<tag>}.
     */
    private static Workload selectorWorkload(String name, String app, int tag) {
        Workload base = revisionsWorkload(name, 0);
        return new Workload(
                name,
                "shop",
                0,
                List.of(io.meridian.placement.TestManifests.deployment(name + "-web", "nginx:1." + tag, app)),
                base.placement(),
                base.rollout(),
                base.failover(),
                List.of());
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Runs {@code work} while this replica's reconciler leaves the workloads {@code names} alone (the reconcile queue
     * takes only owned workloads from a resync): their partitions are not this replica's meanwhile.
     */
    private void unreconciled(List<String> names, Runnable work) {
        int count = Topic.PLACEMENT.partitions();
        Set<Integer> held = names.stream()
                .map(n -> WorkloadOwnership.partitionOf(n, count))
                .filter(ownership.partitions()::contains)
                .collect(Collectors.toSet());
        ownership.revoked(held);
        try {
            work.run();
        } finally {
            if (!held.isEmpty()) {
                ownership.assigned(count, held);
            }
        }
    }

    /** A workload whose content differs with {@code content}, so that each replace makes a generation. */
    private static Workload revisionsWorkload(String name, int content) {
        return new Workload(
                name,
                "shop",
                0,
                List.of(Map.of(
                        "apiVersion",
                        "v1",
                        "kind",
                        "ConfigMap",
                        "metadata",
                        Map.of("name", name + "-config"),
                        "data",
                        Map.of("content", Integer.toString(content)))),
                PlacementPolicy.DEFAULT,
                new RolloutStrategy(0, new RolloutStrategy.MaxInFlight(1, false), Duration.ZERO, Duration.ofMinutes(2)),
                new FailoverPolicy(
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(1),
                        0.5,
                        FailoverPolicy.Failback.MANUAL,
                        Duration.ofMinutes(3)),
                List.of());
    }

    private Declaration declare(String cluster, Map<String, Long> generations) {
        List<Map<String, Object>> objects = generations.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> Map.<String, Object>of(
                        "apiVersion", "v1",
                        "kind", "ConfigMap",
                        "metadata",
                                Map.of(
                                        "name",
                                        e.getKey(),
                                        "namespace",
                                        "shop",
                                        "annotations",
                                        Map.of("meridian.io/workload-generation", Long.toString(e.getValue())))))
                .toList();
        return inTransaction(s -> bundles.declare(
                        s, List.of(new DesiredBundleStore.ClusterBundle(cluster, objects, generations))))
                .getFirst();
    }

    private Map<String, Long> applied(String workload) {
        return inTransaction(s -> bundles.reportedOf(s, workload)).applied();
    }

    /** What inventory's report of the cluster's whole bundle at {@code bundle} applied, by workload. */
    private Map<String, Long> appliedAfterReport(String cluster, long bundle) {
        SyncReport report = new SyncReport(DesiredBundleStore.OWNER, cluster, bundle, bundle, List.of(), 5, T0);
        List<Map<String, WorkloadSync.State>> states = inTransaction(s -> bundles.reported(s, List.of(report)));
        Map<String, Long> applied = new HashMap<>();
        states.getFirst().forEach((workload, state) -> applied.put(workload, state.appliedGeneration()));
        return applied;
    }

    private Map<String, WorkloadSync.ApplyFailure> failures(String workload) {
        return inTransaction(s -> bundles.reportedOf(s, workload)).failures();
    }

    private static Map<String, Object> deleting(String key) {
        Map<String, Object> patch = new HashMap<>();
        patch.put(key, null);
        return patch;
    }

    private <T> T inTransaction(Function<Mutiny.Session, Uni<T>> work) {
        return await(() -> sessions.withTransaction(work::apply));
    }

    // Hibernate Reactive runs on a Vert.x context, which a test thread is not.
    private static <T> T await(java.util.function.Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
