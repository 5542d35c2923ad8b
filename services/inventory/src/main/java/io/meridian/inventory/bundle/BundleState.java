package io.meridian.inventory.bundle;

import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.inventory.persistence.BundleStore.AppliedObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the engine tracks for one bundle key ({@code owner/cluster}), as one immutable value: the latest
 * declaration, whether a reconcile is queued, what was applied and reported, and the back-off. The engine replaces it
 * whole on every change, so a reader never sees half of a change.
 *
 * @param generation the latest generation declared (a tombstone keeps the generation it removed)
 * @param bundle the latest bundle declared; null after a tombstone
 * @param queued a reconcile of the key is queued on its cluster's writer, so more triggers add nothing
 * @param phase what the sync API shows
 * @param desired the objects last handed to the applier, by object key: the drift watch compares against these
 * @param applied what the database says the key manages; null when not known here (read before the next run)
 * @param appliedGeneration the last generation applied without a Failed or Conflict outcome; 0 when none
 * @param reportedGeneration the generation of the last sync report, or {@link #NOT_REPORTED}
 * @param retryDelay the back-off of the last failed run; zero when the last run did not fail
 * @param driftLeft keys of the objects whose drift was reported and, under driftPolicy report, left as it is: runs of
 *     this generation leave them too (a new generation is applied whole)
 * @param desiredGeneration the generation {@code desired} was taken from (0: none yet); it lags {@code generation}
 *     between a declaration and its run
 */
record BundleState(
        String owner,
        String cluster,
        long generation,
        DesiredBundle bundle,
        boolean queued,
        BundlePhase phase,
        Map<String, DesiredObject> desired,
        List<AppliedObject> applied,
        long appliedGeneration,
        long reportedGeneration,
        Duration retryDelay,
        Set<String> driftLeft,
        long desiredGeneration) {

    /** {@link #reportedGeneration} before the first report: no generation, not even 0 (a tombstone's), matches it. */
    static final long NOT_REPORTED = Long.MIN_VALUE;

    /** A key's first declaration; a reconcile of it is due at once. */
    static BundleState first(String owner, String cluster, long generation, DesiredBundle bundle) {
        return new BundleState(
                owner,
                cluster,
                generation,
                bundle,
                true,
                BundlePhase.Declared,
                Map.of(),
                null,
                0,
                NOT_REPORTED,
                Duration.ZERO,
                Set.of(),
                0);
    }

    boolean isTombstone() {
        return bundle == null;
    }

    /** The drift policy of the declared bundle; a tombstone's (nothing left to watch) is repair, the default. */
    DriftPolicy driftPolicy() {
        return bundle == null || bundle.driftPolicy() == null ? DriftPolicy.REPAIR : bundle.driftPolicy();
    }

    /** The content hash we last applied for an object, or null when we applied none (or do not know). */
    String appliedHashOf(String objectKey) {
        if (applied == null) {
            return null;
        }
        for (AppliedObject object : applied) {
            if (object.key().equals(objectKey)) {
                return object.contentHash();
            }
        }
        return null;
    }

    /** A newer declaration (or a tombstone); what was applied stays known, and a reconcile is due. */
    BundleState redeclared(long newGeneration, DesiredBundle newBundle) {
        return new BundleState(
                owner,
                cluster,
                newGeneration,
                newBundle,
                true,
                phase,
                desired,
                applied,
                appliedGeneration,
                reportedGeneration,
                retryDelay,
                newGeneration == generation ? driftLeft : Set.of(),
                desiredGeneration);
    }

    /**
     * The drift of {@code objectKey}, judged under generation {@code judged}, is reported and left as it is (driftPolicy
     * report), unless the key has moved on: a generation declared since, or declared and not run yet, is applied whole
     * by its run.
     */
    BundleState withDriftLeft(String objectKey, long judged) {
        if (driftLeft.contains(objectKey) || generation != judged || desiredGeneration != judged) {
            return this;
        }
        Set<String> left = new java.util.HashSet<>(driftLeft);
        left.add(objectKey);
        return withDriftLeft(left);
    }

    /** The object is as the owner wants it again: a later drift of it is reported (and left) anew. */
    BundleState withoutDriftLeft(String objectKey) {
        if (!driftLeft.contains(objectKey)) {
            return this;
        }
        Set<String> left = new java.util.HashSet<>(driftLeft);
        left.remove(objectKey);
        return withDriftLeft(left);
    }

    private BundleState withDriftLeft(Set<String> left) {
        return new BundleState(
                owner,
                cluster,
                generation,
                bundle,
                queued,
                phase,
                desired,
                applied,
                appliedGeneration,
                reportedGeneration,
                retryDelay,
                Set.copyOf(left),
                desiredGeneration);
    }

    BundleState queue() {
        return queued ? this : withQueued(true);
    }

    /** Taken off the writer's queue to run: a trigger from now on queues another reconcile. */
    BundleState dequeue() {
        return queued ? withQueued(false) : this;
    }

    BundleState waitingForCluster() {
        return phase == BundlePhase.WaitingForCluster
                ? this
                : new BundleState(
                        owner,
                        cluster,
                        generation,
                        bundle,
                        queued,
                        BundlePhase.WaitingForCluster,
                        desired,
                        applied,
                        appliedGeneration,
                        reportedGeneration,
                        retryDelay,
                        driftLeft,
                        desiredGeneration);
    }

    /** The objects a run of the declared generation hands to the applier. */
    BundleState withDesired(Map<String, DesiredObject> objects) {
        return new BundleState(
                owner,
                cluster,
                generation,
                bundle,
                queued,
                phase,
                objects,
                applied,
                appliedGeneration,
                reportedGeneration,
                retryDelay,
                driftLeft,
                generation);
    }

    /** {@code objects} null: forget what was applied, so that the next run reads it again. */
    BundleState withApplied(List<AppliedObject> objects) {
        return objects == applied
                ? this
                : new BundleState(
                        owner,
                        cluster,
                        generation,
                        bundle,
                        queued,
                        phase,
                        desired,
                        objects,
                        appliedGeneration,
                        reportedGeneration,
                        retryDelay,
                        driftLeft,
                        desiredGeneration);
    }

    /**
     * What the cluster holds once a run wrote to it, before its report is recorded: kept even when recording then
     * fails, since the cluster does hold it.
     */
    BundleState ran(BundleStep.Settle settle) {
        return new BundleState(
                owner,
                cluster,
                generation,
                bundle,
                queued,
                phase,
                desired,
                settle.nothingLeft() ? List.of() : applied,
                settle.appliedGeneration(),
                reportedGeneration,
                retryDelay,
                driftLeft,
                desiredGeneration);
    }

    /** A run that finished and whose report, if any, is recorded: the back-off starts over. */
    BundleState settled(BundleStep.Settle settle) {
        List<AppliedObject> nowApplied = settle.nothingLeft() ? List.of() : applied;
        long reported = reportedGeneration;
        if (settle instanceof BundleStep.Report report) {
            nowApplied = report.nowApplied();
            reported = report.report().generationWanted();
        }
        return new BundleState(
                owner,
                cluster,
                generation,
                bundle,
                queued,
                settle.phase(),
                desired,
                nowApplied,
                settle.appliedGeneration(),
                reported,
                Duration.ZERO,
                driftLeft,
                desiredGeneration);
    }

    /**
     * A run that failed as a whole; {@code delay} is the back-off the next failure grows from. What it did may never
     * have been recorded (the database refused its report), so the next run reports whatever it finds, changed or not.
     */
    BundleState retrying(Duration delay) {
        return new BundleState(
                owner,
                cluster,
                generation,
                bundle,
                queued,
                BundlePhase.Retrying,
                desired,
                applied,
                appliedGeneration,
                NOT_REPORTED,
                delay,
                driftLeft,
                desiredGeneration);
    }

    private BundleState withQueued(boolean value) {
        return new BundleState(
                owner,
                cluster,
                generation,
                bundle,
                value,
                phase,
                desired,
                applied,
                appliedGeneration,
                reportedGeneration,
                retryDelay,
                driftLeft,
                desiredGeneration);
    }
}
