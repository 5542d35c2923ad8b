package io.meridian.inventory.bundle;

import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.inventory.persistence.BundleStore.AppliedObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bundle engine's decisions, as pure functions of a key's {@link BundleState} and what the engine observed: what
 * a declaration does, what to run now, what a finished run means, when to retry, and what to do about drift. No I/O
 * and no clock of its own (the engine passes the time from its injected {@code Clock}), so each branch is tested
 * alone.
 */
final class BundlePlanner {

    /** The wait after a first failure of the cluster or the database. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    /** The longest wait between runs of a key that keeps failing: a cluster that comes back is not left waiting. */
    static final Duration MAX_RETRY = Duration.ofSeconds(60);

    private BundlePlanner() {}

    /**
     * A declaration for {@code owner/cluster} ({@code bundle} null: a tombstone) against the key's current state (null:
     * never declared). A tombstone always stands, keeping the generation it removed; a bundle must be newer than what
     * is declared.
     */
    static BundleStep.Declare declare(BundleState current, String owner, String cluster, DesiredBundle bundle) {
        if (bundle == null) {
            return current == null
                    ? new BundleStep.Accepted(BundleState.first(owner, cluster, 0, null), true)
                    : new BundleStep.Accepted(current.redeclared(current.generation(), null), !current.queued());
        }
        long generation = bundle.generation();
        if (current == null) {
            return new BundleStep.Accepted(BundleState.first(owner, cluster, generation, bundle), true);
        }
        if (current.isTombstone() && generation <= current.generation()) {
            return new BundleStep.Stale(generation, current.generation(), true);
        }
        if (!current.isTombstone() && generation < current.generation()) {
            return new BundleStep.Stale(generation, current.generation(), false);
        }
        if (!current.isTombstone() && generation == current.generation()) {
            return BundleStep.ALREADY_DECLARED;
        }
        return new BundleStep.Accepted(current.redeclared(generation, bundle), !current.queued());
    }

    /**
     * What to do for a key now (null: not declared). {@code owned}: this replica owns the key's cluster;
     * {@code connected}: it holds a live connection to it.
     */
    static BundleStep.Plan plan(BundleState state, boolean owned, boolean connected) {
        if (state == null || !owned) {
            return BundleStep.SKIP;
        }
        if (!connected) {
            return BundleStep.WAIT_FOR_CLUSTER;
        }
        if (state.isTombstone()) {
            return BundleStep.REMOVE_ALL;
        }
        DesiredBundle bundle = state.bundle();
        List<DesiredObject> objects = new ArrayList<>(bundle.objects().size());
        List<DesiredObject.Invalid> invalid = new ArrayList<>();
        for (Map<String, Object> manifest : bundle.objects()) {
            switch (DesiredObject.of(state.owner(), manifest)) {
                case DesiredObject.Ok ok -> objects.add(ok.object());
                case DesiredObject.Bad bad -> invalid.add(bad.invalid());
            }
        }
        Map<String, DesiredObject> byKey = new LinkedHashMap<>();
        objects.forEach(object -> byKey.put(object.key(), object));
        // Drift reported under driftPolicy report stays until the owner declares a new generation (which starts with
        // nothing left alone): a resync or a reconnect does not put it back behind the owner's back.
        return new BundleStep.Apply(
                objects,
                invalid,
                byKey,
                bundle.adopt(),
                state.driftPolicy() == DriftPolicy.REPORT ? state.driftLeft() : java.util.Set.of());
    }

    /**
     * What a run of {@code state} means, from its {@code outcomes} and the objects {@code nowApplied} for the owner
     * after it. The generation counts as applied only without Failed or Conflict outcomes; a report is due when
     * something changed or the generation was never reported, so a repeated run of an unchanged bundle publishes
     * nothing.
     */
    static BundleStep.Settle settle(
            BundleState state,
            List<ObjectOutcome> outcomes,
            List<AppliedObject> nowApplied,
            long durationMillis,
            Instant now) {
        boolean clean = true;
        boolean changed = false;
        for (ObjectOutcome outcome : outcomes) {
            ObjectOutcome.Outcome kind = outcome.outcome();
            clean &= kind != ObjectOutcome.Outcome.Failed && kind != ObjectOutcome.Outcome.Conflict;
            changed |= kind != ObjectOutcome.Outcome.Unchanged;
        }
        long applied = clean ? state.generation() : state.appliedGeneration();
        BundlePhase phase = clean ? BundlePhase.Applied : BundlePhase.PartiallyApplied;
        boolean nothingLeft = state.isTombstone() && nowApplied.isEmpty();
        if (!changed && state.reportedGeneration() == state.generation()) {
            return new BundleStep.Unchanged(applied, phase, nothingLeft);
        }
        SyncReport report = new SyncReport(
                state.owner(), state.cluster(), state.generation(), applied, outcomes, durationMillis, now);
        return new BundleStep.Report(
                report, policyName(state.driftPolicy()), List.copyOf(nowApplied), phase, nothingLeft);
    }

    /** When to run a key again whose last run failed as a whole: 1 s after a first failure, doubling up to 60 s. */
    static BundleStep.RetryAt retry(BundleState state, Instant now) {
        Duration last = state.retryDelay();
        Duration next = last.isZero() ? FIRST_RETRY : last.multipliedBy(2);
        if (next.compareTo(MAX_RETRY) > 0) {
            next = MAX_RETRY;
        }
        return new BundleStep.RetryAt(now.plus(next), next);
    }

    /**
     * What to do about {@code object}, wanted by the key's bundle, that changed or vanished on the cluster. Decided
     * when the repair runs, on the key's current state: a tombstone or a cluster this replica lost since the change
     * leaves it alone.
     */
    static BundleStep.Drift drift(BundleState state, DesiredObject object, boolean owned, boolean connected) {
        if (state == null || state.isTombstone() || !connected || !owned) {
            return BundleStep.SKIP;
        }
        if (state.driftPolicy() == DriftPolicy.REPORT) {
            return new BundleStep.ReportDrift(object);
        }
        return new BundleStep.RepairDrift(
                object, state.appliedHashOf(object.key()), state.bundle().adopt());
    }

    private static String policyName(DriftPolicy policy) {
        return policy.name().toLowerCase(Locale.ROOT);
    }
}
