package io.meridian.inventory.bundle;

import io.meridian.contracts.sync.SyncReport;
import io.meridian.inventory.persistence.BundleStore.AppliedObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the engine does next for one bundle key, as {@link BundlePlanner} decides it from the key's {@link BundleState}
 * and {@link BundleEngine} carries it out. Grouped by the moment of the decision, so that each switch over a group is
 * exhaustive without cases that cannot happen.
 */
sealed interface BundleStep {

    Skip SKIP = new Skip();
    WaitForCluster WAIT_FOR_CLUSTER = new WaitForCluster();
    RemoveAll REMOVE_ALL = new RemoveAll();
    AlreadyDeclared ALREADY_DECLARED = new AlreadyDeclared();

    /** What a declaration read from a desired topic does to its key. */
    sealed interface Declare extends BundleStep {}

    /**
     * A newer generation, or a tombstone: {@code state} replaces the key's. {@code enqueue} when no reconcile of the
     * key was queued yet, so one must be.
     */
    record Accepted(BundleState state, boolean enqueue) implements Declare {}

    /**
     * Older than the generation declared, or not newer than a tombstone's: ignored and counted. {@code afterTombstone}
     * when a tombstone is what it is older than.
     */
    record Stale(long generation, long declared, boolean afterTombstone) implements Declare {}

    /** The generation already declared, read again (a replay of the topic): nothing to do. */
    record AlreadyDeclared() implements Declare {}

    /** What to do for a key now. */
    sealed interface Plan extends BundleStep {}

    /**
     * Nothing to do on this replica: the key is not declared, another replica owns its cluster, or (for drift) the
     * bundle that wanted the object no longer stands or the cluster cannot be reached.
     */
    record Skip() implements Plan, Drift {}

    /** The cluster is not connected (unreachable, removed, or not connected yet): the key runs when it connects. */
    record WaitForCluster() implements Plan {}

    /** Work that the cluster's writer runs against its API server. */
    sealed interface Run extends Plan {}

    /**
     * Applies the bundle's valid objects, reports the invalid ones as Failed, and prunes what the owner had on the
     * cluster and no longer declares. {@code byKey} is what the drift watch compares against from now on.
     * {@code leaveAlone}: keys of objects whose drift was reported under driftPolicy report, which a run of the same
     * generation (a resync, a reconnect) leaves as they are.
     */
    record Apply(
            List<DesiredObject> objects,
            List<DesiredObject.Invalid> invalid,
            Map<String, DesiredObject> byKey,
            boolean adopt,
            java.util.Set<String> leaveAlone)
            implements Run {}

    /** A tombstone: removes everything the owner has on the cluster. */
    record RemoveAll() implements Run {}

    /** What a finished run means for the key: whether to publish, and what its state becomes. */
    sealed interface Settle extends BundleStep {
        /** The generation the cluster now holds without a Failed or Conflict outcome. */
        long appliedGeneration();

        BundlePhase phase();

        /** After a tombstone: the owner has nothing left on the cluster. */
        boolean nothingLeft();
    }

    /**
     * Something changed, or this generation was never reported: record {@code report} with the objects now managed
     * (published on {@code fleet.sync.v1} through the outbox).
     */
    record Report(
            SyncReport report,
            String driftPolicy,
            List<AppliedObject> nowApplied,
            BundlePhase phase,
            boolean nothingLeft)
            implements Settle {
        @Override
        public long appliedGeneration() {
            return report.generationApplied();
        }
    }

    /** Nothing changed, and this generation was reported already: nothing to publish. */
    record Unchanged(long appliedGeneration, BundlePhase phase, boolean nothingLeft) implements Settle {}

    /**
     * The cluster or the database failed the run as a whole: run the key again at {@code at}. {@code backOff} is the
     * wait that led there; the next failure doubles it.
     */
    record RetryAt(Instant at, Duration backOff) implements BundleStep {}

    /** What to do about a managed object that changed or vanished on the cluster. */
    sealed interface Drift extends BundleStep {}

    /** The bundle's drift policy is report: record the drift and leave the object as it is. */
    record ReportDrift(DesiredObject object) implements Drift {}

    /**
     * Record the drift and put the object back. {@code appliedHash} is the content we applied last (null: none
     * known), which decides whether fields others took are taken back.
     */
    record RepairDrift(DesiredObject object, String appliedHash, boolean adopt) implements Drift {}
}
