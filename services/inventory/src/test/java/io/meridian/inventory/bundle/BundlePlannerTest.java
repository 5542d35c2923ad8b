package io.meridian.inventory.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.ObjectOutcome.Outcome;
import io.meridian.inventory.persistence.BundleStore.AppliedObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every decision of the bundle engine, from a key's state alone: no cluster, no database, no Quarkus. */
class BundlePlannerTest {

    private static final String OWNER = "identity";
    private static final String CLUSTER = "prod-eu-1";
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    // --- declarations ---

    @Test
    void aFirstDeclarationIsAcceptedAndQueuesAReconcile() {
        BundleStep.Accepted accepted =
                (BundleStep.Accepted) BundlePlanner.declare(null, OWNER, CLUSTER, bundle(3, roleBinding("a")));

        assertThat(accepted.enqueue()).isTrue();
        BundleState state = accepted.state();
        assertThat(state.generation()).isEqualTo(3);
        assertThat(state.queued()).isTrue();
        assertThat(state.phase()).isEqualTo(BundlePhase.Declared);
        assertThat(state.applied())
                .as("not known yet: read before the first run")
                .isNull();
        assertThat(state.appliedGeneration()).isZero();
        assertThat(state.reportedGeneration()).isEqualTo(BundleState.NOT_REPORTED);
    }

    @Test
    void aNewerGenerationReplacesTheBundleAndKeepsWhatWasApplied() {
        List<AppliedObject> applied = List.of(applied("a", "hash-a"));
        BundleState settled = settledAt(3, applied);

        BundleStep.Accepted accepted =
                (BundleStep.Accepted) BundlePlanner.declare(settled, OWNER, CLUSTER, bundle(4, roleBinding("b")));

        assertThat(accepted.enqueue()).isTrue();
        assertThat(accepted.state().generation()).isEqualTo(4);
        assertThat(accepted.state().bundle().generation()).isEqualTo(4);
        assertThat(accepted.state().applied()).isSameAs(settled.applied()).isEqualTo(applied);
        assertThat(accepted.state().appliedGeneration()).isEqualTo(3);
        assertThat(accepted.state().phase()).as("unchanged until the run").isEqualTo(BundlePhase.Applied);
    }

    @Test
    void aDeclarationForAKeyWhoseReconcileIsQueuedAddsNoSecondOne() {
        BundleState queued = settledAt(3, List.of()).queue();

        BundleStep.Accepted accepted =
                (BundleStep.Accepted) BundlePlanner.declare(queued, OWNER, CLUSTER, bundle(4, roleBinding("b")));

        assertThat(accepted.enqueue()).isFalse();
        assertThat(accepted.state().queued()).isTrue();
        assertThat(accepted.state().generation()).isEqualTo(4);
    }

    @Test
    void anOlderGenerationIsStaleAndTheSameOneAgainIsAReplay() {
        BundleState current = settledAt(3, List.of());

        assertThat(BundlePlanner.declare(current, OWNER, CLUSTER, bundle(2, roleBinding("stale"))))
                .isEqualTo(new BundleStep.Stale(2, 3, false));
        assertThat(BundlePlanner.declare(current, OWNER, CLUSTER, bundle(3, roleBinding("a"))))
                .isInstanceOf(BundleStep.AlreadyDeclared.class);
    }

    @Test
    void aTombstoneKeepsTheGenerationItRemovesAndIsNeverStale() {
        BundleState current = settledAt(3, List.of(applied("a", "hash-a")));

        BundleStep.Accepted removed = (BundleStep.Accepted) BundlePlanner.declare(current, OWNER, CLUSTER, null);
        assertThat(removed.state().isTombstone()).isTrue();
        assertThat(removed.state().generation()).isEqualTo(3);
        assertThat(removed.state().applied()).as("still to be pruned").hasSize(1);

        BundleState settledTombstone = removed.state().dequeue();
        assertThat(BundlePlanner.declare(settledTombstone, OWNER, CLUSTER, null))
                .isInstanceOf(BundleStep.Accepted.class);
        BundleStep.Accepted unknown = (BundleStep.Accepted) BundlePlanner.declare(null, OWNER, CLUSTER, null);
        assertThat(unknown.state().generation()).isZero();
        assertThat(unknown.state().isTombstone()).isTrue();
    }

    @Test
    void aBundleNotNewerThanATombstoneIsStaleAndANewerOneRevivesTheKey() {
        BundleState tombstone = ((BundleStep.Accepted)
                        BundlePlanner.declare(settledAt(3, List.of()), OWNER, CLUSTER, null))
                .state()
                .dequeue();

        assertThat(BundlePlanner.declare(tombstone, OWNER, CLUSTER, bundle(3, roleBinding("a"))))
                .isEqualTo(new BundleStep.Stale(3, 3, true));
        assertThat(BundlePlanner.declare(tombstone, OWNER, CLUSTER, bundle(2, roleBinding("a"))))
                .isEqualTo(new BundleStep.Stale(2, 3, true));
        BundleStep.Accepted revived =
                (BundleStep.Accepted) BundlePlanner.declare(tombstone, OWNER, CLUSTER, bundle(4, roleBinding("a")));
        assertThat(revived.state().isTombstone()).isFalse();
        assertThat(revived.state().generation()).isEqualTo(4);
    }

    // --- what to run ---

    @Test
    void nothingIsRunForAKeyNeverDeclaredOrOnAClusterAnotherReplicaOwns() {
        assertThat(BundlePlanner.plan(null, true, true)).isInstanceOf(BundleStep.Skip.class);
        assertThat(BundlePlanner.plan(declared(1, roleBinding("a")), false, true))
                .isInstanceOf(BundleStep.Skip.class);
        assertThat(BundlePlanner.plan(declared(1, roleBinding("a")), false, false))
                .isInstanceOf(BundleStep.Skip.class);
    }

    @Test
    void aClusterThatIsGoneOrUnreachableIsWaitedFor() {
        assertThat(BundlePlanner.plan(declared(1, roleBinding("a")), true, false))
                .isInstanceOf(BundleStep.WaitForCluster.class);
        BundleState tombstone = ((BundleStep.Accepted)
                        BundlePlanner.declare(declared(1, roleBinding("a")), OWNER, CLUSTER, null))
                .state();
        assertThat(BundlePlanner.plan(tombstone, true, false)).isInstanceOf(BundleStep.WaitForCluster.class);
    }

    @Test
    void aTombstoneRemovesEverythingTheOwnerHasOnTheCluster() {
        BundleState tombstone = ((BundleStep.Accepted)
                        BundlePlanner.declare(declared(1, roleBinding("a")), OWNER, CLUSTER, null))
                .state();

        assertThat(BundlePlanner.plan(tombstone, true, true)).isInstanceOf(BundleStep.RemoveAll.class);
    }

    @Test
    void aBundleIsAppliedWithItsValidObjectsAndItsInvalidOnesFailAlone() {
        Map<String, Object> noKind = Map.of("apiVersion", "v1", "metadata", Map.of("name", "no-kind"));
        BundleState state = BundleState.first(
                OWNER,
                CLUSTER,
                5,
                new DesiredBundle(
                        OWNER,
                        CLUSTER,
                        5,
                        DriftPolicy.REPAIR,
                        true,
                        List.of(roleBinding("a"), noKind, roleBinding("b")),
                        NOW));

        BundleStep.Apply apply = (BundleStep.Apply) BundlePlanner.plan(state, true, true);

        assertThat(apply.objects()).extracting(o -> o.ref().name()).containsExactly("a", "b");
        assertThat(apply.invalid()).singleElement().satisfies(invalid -> {
            assertThat(invalid.ref().name()).isEqualTo("no-kind");
            assertThat(invalid.reason()).isEqualTo("kind is missing");
        });
        assertThat(apply.byKey())
                .containsOnlyKeys(
                        "rbac.authorization.k8s.io/v1/RoleBinding/payments/a",
                        "rbac.authorization.k8s.io/v1/RoleBinding/payments/b");
        assertThat(apply.adopt()).isTrue();
        assertThat(apply.byKey().values()).containsExactlyElementsOf(apply.objects());
    }

    // --- what a run means ---

    @Test
    void aCleanRunOfANewGenerationIsReportedAsApplied() {
        BundleState state = declared(3, roleBinding("a"));
        List<AppliedObject> nowApplied = List.of(applied("a", "hash-a"));

        BundleStep.Report report = (BundleStep.Report) settle(state, result(nowApplied, Outcome.Created), 42, NOW);

        assertThat(report.report().owner()).isEqualTo(OWNER);
        assertThat(report.report().clusterId()).isEqualTo(CLUSTER);
        assertThat(report.report().generationWanted()).isEqualTo(3);
        assertThat(report.report().generationApplied()).isEqualTo(3);
        assertThat(report.report().durationMillis()).isEqualTo(42);
        assertThat(report.report().reportedAt()).isEqualTo(NOW);
        assertThat(report.report().outcomes())
                .extracting(ObjectOutcome::outcome)
                .containsExactly(Outcome.Created);
        assertThat(report.driftPolicy()).isEqualTo("repair");
        assertThat(report.nowApplied()).isEqualTo(nowApplied);
        assertThat(report.phase()).isEqualTo(BundlePhase.Applied);
        assertThat(report.nothingLeft()).isFalse();
    }

    @Test
    void aRepeatedRunThatChangedNothingPublishesNothing() {
        BundleState reported = settledAt(3, List.of(applied("a", "hash-a")));

        assertThat(settle(reported, result(reported.applied(), Outcome.Unchanged), 7, NOW))
                .isEqualTo(new BundleStep.Unchanged(3, BundlePhase.Applied, false));
    }

    @Test
    void aGenerationNeverReportedIsReportedEvenWhenNothingChanged() {
        // Another replica applied it before a rebalance: this one still says so once.
        BundleState state = declared(3, roleBinding("a"));

        assertThat(settle(state, result(List.of(), Outcome.Unchanged), 7, NOW)).isInstanceOf(BundleStep.Report.class);
    }

    @Test
    void driftTheResyncPutBackIsReportedAgainForTheSameGeneration() {
        BundleState reported = settledAt(3, List.of(applied("a", "hash-a")));

        BundleStep.Report report =
                (BundleStep.Report) settle(reported, result(reported.applied(), Outcome.Patched), 7, NOW);

        assertThat(report.report().generationWanted()).isEqualTo(3);
        assertThat(report.phase()).isEqualTo(BundlePhase.Applied);
    }

    @Test
    void failuresOrConflictsKeepTheLastGenerationAppliedInFull() {
        BundleState previous = settledAt(2, List.of(applied("a", "hash-a")));
        BundleState state = ((BundleStep.Accepted)
                        BundlePlanner.declare(previous, OWNER, CLUSTER, bundle(3, roleBinding("a"), roleBinding("b"))))
                .state();

        BundleStep.Report conflict = (BundleStep.Report)
                settle(state, result(List.of(applied("a", "hash-a")), Outcome.Unchanged, Outcome.Conflict), 7, NOW);
        assertThat(conflict.report().generationWanted()).isEqualTo(3);
        assertThat(conflict.report().generationApplied()).isEqualTo(2);
        assertThat(conflict.phase()).isEqualTo(BundlePhase.PartiallyApplied);

        BundleState partial = state.settled(conflict);
        BundleStep.Settle again = settle(partial, result(partial.applied(), Outcome.Unchanged, Outcome.Failed), 7, NOW);
        assertThat(again).as("a failing object is reported on every run").isInstanceOf(BundleStep.Report.class);
        assertThat(again.appliedGeneration()).isEqualTo(2);
    }

    @Test
    void theReportCarriesTheBundlesDriftPolicy() {
        BundleState reportOnly = BundleState.first(
                OWNER,
                CLUSTER,
                1,
                new DesiredBundle(OWNER, CLUSTER, 1, DriftPolicy.REPORT, false, List.of(roleBinding("a")), NOW));
        BundleState unspecified = BundleState.first(
                OWNER, CLUSTER, 1, new DesiredBundle(OWNER, CLUSTER, 1, null, false, List.of(roleBinding("a")), NOW));

        assertThat(((BundleStep.Report) settle(reportOnly, result(List.of(), Outcome.Created), 1, NOW)).driftPolicy())
                .isEqualTo("report");
        assertThat(((BundleStep.Report) settle(unspecified, result(List.of(), Outcome.Created), 1, NOW)).driftPolicy())
                .isEqualTo("repair");
    }

    @Test
    void aTombstoneThatDeletedEverythingLeavesNothingApplied() {
        BundleState tombstone = ((BundleStep.Accepted)
                        BundlePlanner.declare(settledAt(3, List.of(applied("a", "hash-a"))), OWNER, CLUSTER, null))
                .state();

        BundleStep.Report deleted = (BundleStep.Report) settle(tombstone, result(List.of(), Outcome.Deleted), 9, NOW);
        assertThat(deleted.nothingLeft()).isTrue();
        assertThat(deleted.report().generationApplied()).isEqualTo(3);
        assertThat(deleted.driftPolicy()).isEqualTo("repair");
        assertThat(tombstone.ran(deleted).applied())
                .as("known before the report is recorded")
                .isEmpty();

        BundleState settled = tombstone.settled(deleted);
        assertThat(settled.applied()).isEmpty();
        assertThat(settle(settled, result(List.of()), 1, NOW))
                .isEqualTo(new BundleStep.Unchanged(3, BundlePhase.Applied, true));
    }

    @Test
    void aTombstoneWhosePruneFailedKeepsTheObjectToPruneLater() {
        AppliedObject stuck = applied("a", "hash-a");
        BundleState tombstone = ((BundleStep.Accepted)
                        BundlePlanner.declare(settledAt(3, List.of(stuck)), OWNER, CLUSTER, null))
                .state();

        BundleStep.Report failed =
                (BundleStep.Report) settle(tombstone, result(List.of(stuck), Outcome.Failed), 9, NOW);

        assertThat(failed.nothingLeft()).isFalse();
        assertThat(failed.phase()).isEqualTo(BundlePhase.PartiallyApplied);
        assertThat(tombstone.settled(failed).applied()).containsExactly(stuck);
    }

    @Test
    void aReportNotYetRecordedIsReportedAgainByTheNextRun() {
        BundleState state = declared(3, roleBinding("a"));
        BundleStep.Report report = (BundleStep.Report) settle(state, result(List.of(), Outcome.Created), 1, NOW);

        // Recording failed: what the cluster holds is kept, the report is still owed.
        BundleState unrecorded = state.ran(report).retrying(Duration.ofSeconds(1));
        assertThat(unrecorded.appliedGeneration()).isEqualTo(3);
        assertThat(settle(unrecorded, result(List.of(), Outcome.Unchanged), 1, NOW))
                .isInstanceOf(BundleStep.Report.class);
    }

    @Test
    void aRunWhoseReportWasRefusedIsReportedByTheNextRunEvenOfAGenerationReportedBefore() {
        BundleState state = declared(3, roleBinding("a"));
        BundleStep.Report first = (BundleStep.Report) settle(state, result(List.of(), Outcome.Created), 1, NOW);
        BundleState reported = state.ran(first).settled(first);
        assertThat(settle(reported, result(List.of(), Outcome.Unchanged), 1, NOW))
                .as("nothing new to say")
                .isInstanceOf(BundleStep.Unchanged.class);

        // The object was deleted and put back by a run whose report the database refused: the next run finds nothing
        // to change, and must still say what happened.
        BundleStep.Report putBack = (BundleStep.Report) settle(reported, result(List.of(), Outcome.Created), 1, NOW);
        BundleState unrecorded = reported.ran(putBack).retrying(Duration.ofSeconds(1));
        assertThat(settle(unrecorded, result(List.of(), Outcome.Unchanged), 1, NOW))
                .isInstanceOf(BundleStep.Report.class);
    }

    // --- retries ---

    @Test
    void theBackOffStartsAtOneSecondDoublesAndStopsAtOneMinute() {
        BundleState state = declared(1, roleBinding("a"));
        List<Long> waits = new ArrayList<>();
        for (int failure = 0; failure < 9; failure++) {
            BundleStep.RetryAt retry = BundlePlanner.retry(state, NOW);
            assertThat(retry.at()).isEqualTo(NOW.plus(retry.backOff()));
            waits.add(retry.backOff().toSeconds());
            state = state.retrying(retry.backOff());
            assertThat(state.phase()).isEqualTo(BundlePhase.Retrying);
        }
        assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    }

    @Test
    void aRunThatSucceedsStartsTheBackOffOver() {
        BundleState failing =
                declared(1, roleBinding("a")).retrying(Duration.ofSeconds(32)).retrying(Duration.ofSeconds(60));
        BundleStep.Settle settle = settle(failing, result(List.of(), Outcome.Created), 1, NOW);

        BundleState recovered = failing.settled(settle);

        assertThat(recovered.phase()).isEqualTo(BundlePhase.Applied);
        assertThat(BundlePlanner.retry(recovered, NOW).backOff()).isEqualTo(Duration.ofSeconds(1));
    }

    // --- drift ---

    @Test
    void driftIsLeftAloneWhenTheBundleNoLongerStandsOrTheClusterIsNotOurs() {
        BundleState state = settledAt(3, List.of(applied("a", "hash-a")));
        DesiredObject object = state.desired().values().iterator().next();
        BundleState tombstone = ((BundleStep.Accepted) BundlePlanner.declare(state, OWNER, CLUSTER, null)).state();

        assertThat(BundlePlanner.drift(null, object, true, true)).isInstanceOf(BundleStep.Skip.class);
        assertThat(BundlePlanner.drift(tombstone, object, true, true)).isInstanceOf(BundleStep.Skip.class);
        assertThat(BundlePlanner.drift(state, object, false, true)).isInstanceOf(BundleStep.Skip.class);
        assertThat(BundlePlanner.drift(state, object, true, false)).isInstanceOf(BundleStep.Skip.class);
    }

    @Test
    void driftUnderAReportPolicyIsOnlyReported() {
        BundleState state = BundleState.first(
                OWNER,
                CLUSTER,
                1,
                new DesiredBundle(OWNER, CLUSTER, 1, DriftPolicy.REPORT, false, List.of(roleBinding("a")), NOW));
        DesiredObject object = object(roleBinding("a"));

        assertThat(BundlePlanner.drift(state, object, true, true)).isEqualTo(new BundleStep.ReportDrift(object));
    }

    @Test
    void driftReportedUnderDriftPolicyReportIsLeftByRunsOfTheSameGenerationOnly() {
        String key = object(roleBinding("a")).key();
        BundleState reportOnly = runCleanly(BundleState.first(
                        OWNER,
                        CLUSTER,
                        4,
                        new DesiredBundle(
                                OWNER, CLUSTER, 4, DriftPolicy.REPORT, false, List.of(roleBinding("a")), NOW)))
                .withDriftLeft(key, 4);

        assertThat(((BundleStep.Apply) BundlePlanner.plan(reportOnly, true, true)).leaveAlone())
                .as("a resync or reconnect of the generation leaves the reported drift")
                .containsExactly(key);
        assertThat(((BundleStep.Apply) BundlePlanner.plan(runCleanly(declared(4, roleBinding("a"))), true, true))
                        .leaveAlone())
                .isEmpty();
        assertThat(((BundleStep.Apply) BundlePlanner.plan(
                                runCleanly(declared(4, roleBinding("a"))).withDriftLeft(key, 4), true, true))
                        .leaveAlone())
                .as("under repair nothing is left alone")
                .isEmpty();
        BundleState newer = ((BundleStep.Accepted) BundlePlanner.declare(
                        reportOnly,
                        OWNER,
                        CLUSTER,
                        new DesiredBundle(
                                OWNER, CLUSTER, 5, DriftPolicy.REPORT, false, List.of(roleBinding("a")), NOW)))
                .state();
        assertThat(((BundleStep.Apply) BundlePlanner.plan(newer, true, true)).leaveAlone())
                .as("a new generation is applied whole")
                .isEmpty();
        BundleState declaredNotRun = ((BundleStep.Accepted) BundlePlanner.declare(
                        runCleanly(BundleState.first(
                                OWNER,
                                CLUSTER,
                                4,
                                new DesiredBundle(
                                        OWNER, CLUSTER, 4, DriftPolicy.REPORT, false, List.of(roleBinding("a")), NOW))),
                        OWNER,
                        CLUSTER,
                        new DesiredBundle(
                                OWNER, CLUSTER, 5, DriftPolicy.REPORT, false, List.of(roleBinding("a")), NOW)))
                .state();
        assertThat(declaredNotRun.withDriftLeft(key, 5).driftLeft())
                .as("drift judged against generation 4's objects is not charged to 5, declared and not run yet")
                .isEmpty();
        assertThat(declaredNotRun.withDriftLeft(key, 4).driftLeft())
                .as("nor kept for 4, which 5 replaces")
                .isEmpty();
        assertThat(runCleanly(reportOnly).driftLeft())
                .as("kept across runs of the same generation")
                .containsExactly(key);
        assertThat(((BundleStep.Apply) BundlePlanner.plan(reportOnly.withoutDriftLeft(key), true, true)).leaveAlone())
                .as("put right meanwhile: a later drift is reported anew, and one nobody saw is put back")
                .isEmpty();
    }

    @Test
    void driftIsRepairedWithTheContentWeAppliedLastAndTheBundlesAdopt() {
        DesiredObject object = object(roleBinding("a"));
        BundleState state = BundleState.first(
                        OWNER,
                        CLUSTER,
                        2,
                        new DesiredBundle(OWNER, CLUSTER, 2, DriftPolicy.REPAIR, true, List.of(roleBinding("a")), NOW))
                .withApplied(List.of(applied("b", "hash-b"), applied("a", object.contentHash())));

        assertThat(BundlePlanner.drift(state, object, true, true))
                .isEqualTo(new BundleStep.RepairDrift(object, object.contentHash(), true));
        assertThat(BundlePlanner.drift(state.withApplied(null), object, true, true))
                .as("nothing known to be applied: a repair claims no field another manager owns")
                .isEqualTo(new BundleStep.RepairDrift(object, null, true));
    }

    // --- the state's own bookkeeping ---

    @Test
    void triggersWhileAReconcileIsQueuedAreCoalesced() {
        BundleState state = declared(1, roleBinding("a"));
        assertThat(state.queued()).isTrue();
        assertThat(state.queue()).isSameAs(state);

        BundleState running = state.dequeue();
        assertThat(running.queued()).isFalse();
        assertThat(running.queue().queued()).isTrue();
    }

    @Test
    void waitingForAClusterKeepsEverythingElse() {
        BundleState state = settledAt(3, List.of(applied("a", "hash-a")));

        BundleState waiting = state.waitingForCluster();

        assertThat(waiting.phase()).isEqualTo(BundlePhase.WaitingForCluster);
        assertThat(waiting).usingRecursiveComparison().ignoringFields("phase").isEqualTo(state);
    }

    // --- helpers ---

    /** A key declared at {@code generation}, whose reconcile ran cleanly and was reported, managing {@code applied}. */
    private static BundleState settledAt(long generation, List<AppliedObject> applied) {
        BundleState state = declared(generation, roleBinding("a")).dequeue();
        BundleStep.Apply apply = (BundleStep.Apply) BundlePlanner.plan(state, true, true);
        state = state.withDesired(apply.byKey());
        BundleStep.Settle settle = settle(state, result(applied, Outcome.Created), 1, NOW);
        return state.settled(settle);
    }

    /** The key after a clean, reported run of what it declares. */
    private static BundleState runCleanly(BundleState declared) {
        // As the engine runs a key: the declared generation's objects are handed to the applier first.
        BundleState state = declared.dequeue().withDesired(Map.of());
        return state.settled(settle(state, result(List.of(applied("a", "hash-a")), Outcome.Created), 1, NOW));
    }

    @SafeVarargs
    private static BundleState declared(long generation, Map<String, Object>... objects) {
        return BundleState.first(OWNER, CLUSTER, generation, bundle(generation, objects));
    }

    @SafeVarargs
    private static DesiredBundle bundle(long generation, Map<String, Object>... objects) {
        return new DesiredBundle(OWNER, CLUSTER, generation, DriftPolicy.REPAIR, false, List.of(objects), NOW);
    }

    /** What a run came back with: one outcome per object, and the objects now managed for the owner. */
    private record Ran(List<ObjectOutcome> outcomes, List<AppliedObject> nowApplied) {}

    private static Ran result(List<AppliedObject> applied, Outcome... outcomes) {
        List<ObjectOutcome> list = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            list.add(new ObjectOutcome(
                    "rbac.authorization.k8s.io/v1", "RoleBinding", "payments", "object-" + i, outcomes[i], null));
        }
        return new Ran(list, applied);
    }

    private static BundleStep.Settle settle(BundleState state, Ran ran, long durationMillis, Instant now) {
        return BundlePlanner.settle(state, ran.outcomes(), ran.nowApplied(), durationMillis, now);
    }

    private static AppliedObject applied(String name, String hash) {
        return new AppliedObject(
                "rbac.authorization.k8s.io/v1/RoleBinding/payments/" + name,
                "rbac.authorization.k8s.io/v1",
                "RoleBinding",
                "payments",
                name,
                hash);
    }

    private static DesiredObject object(Map<String, Object> manifest) {
        return ((DesiredObject.Ok) DesiredObject.of(OWNER, manifest)).object();
    }

    private static Map<String, Object> roleBinding(String name) {
        return Map.of(
                "apiVersion", "rbac.authorization.k8s.io/v1",
                "kind", "RoleBinding",
                "metadata", Map.of("name", name, "namespace", "payments"),
                "roleRef", Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", "view"),
                "subjects", List.of(Map.of("kind", "Group", "name", "oidc:" + name)));
    }
}
