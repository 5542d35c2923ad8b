package io.meridian.placement.domain;

import io.meridian.placement.domain.FailoverLedger.MoveKind;
import io.meridian.placement.domain.FailoverLedger.PendingMove;
import io.meridian.placement.domain.PlacementDecision.Displacement;
import io.meridian.placement.domain.PlacementEvent.DegradedChanged;
import io.meridian.placement.domain.PlacementEvent.FailbackCompleted;
import io.meridian.placement.domain.PlacementEvent.FailoverCompleted;
import io.meridian.placement.domain.PlacementEvent.FailoverStarted;
import io.meridian.placement.domain.PlacementEvent.FailoverSuppressed;
import io.meridian.placement.domain.PlacementEvent.RolloutCompleted;
import io.meridian.placement.domain.PlacementEvent.RolloutHalted;
import io.meridian.placement.domain.PlacementEvent.RolloutStarted;
import io.meridian.placement.domain.PlacementEvent.WaveCompleted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns a placement decision into what each cluster runs of a workload: new generations in waves behind health
 * gates, placement changes make-before-break, and the failover, failback, suppression and degradation events.
 *
 * <p>Pure and level-triggered: a step looks at the whole request, and the same request again with the progress the
 * first step returned gives the same progress and announces nothing (what was announced is kept in the progress'
 * {@link FailoverLedger}).
 *
 * <p>Waves are ordered with the clusters where the workload is available first, then by cluster id: a canary that
 * is already failing would halt the rollout for reasons the new generation has nothing to do with.
 */
public final class RolloutPlanner {

    /** The Kubernetes reason that halts a wave at once: the new pods gave up progressing. */
    public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

    /**
     * The halt reason when inventory could not apply an object of the new generation on a cluster of the wave (a
     * Conflict with another field manager, an invalid field); the message names the object and inventory's reason.
     */
    public static final String APPLY_FAILED = "ApplyFailed";

    /** The halt reason when a cluster of the wave is not available within the strategy's health timeout. */
    public static final String HEALTH_TIMEOUT = "HealthTimeout";

    /** Plans one step; see the class comment. */
    public Actuation plan(RolloutRequest request) {
        return new Step(request).run();
    }

    /**
     * The clusters where the workload has been unavailable for at least {@code failover.unhealthyAfter}: the service
     * marks them {@link ClusterHealth#NOT_READY} in the {@link FleetView} it gives the scheduler for this workload
     * (only for this workload), so that its share moves elsewhere. Clusters of the wave a rollout is applying (or
     * halted at) are left out: their health gate judges them, and failing a bad generation over would spread it.
     * The time each cluster crosses the threshold is a {@link Actuation#wakeAt()} candidate of {@link #plan}.
     *
     * @param progress null when the workload was never placed (then nothing is unhealthy)
     */
    public static Set<String> unhealthyClusters(
            Workload workload, WorkloadProgress progress, Map<String, ClusterObservation> observed, Instant now) {
        Set<String> unhealthy = new TreeSet<>();
        if (progress == null) {
            return unhealthy;
        }
        Set<String> gated = activeWave(progress.rollout());
        Duration after = workload.failover().unhealthyAfter();
        for (String clusterId : progress.assignments().keySet()) {
            ClusterObservation o = observed.get(clusterId);
            if (!gated.contains(clusterId)
                    && o != null
                    && !o.available()
                    && o.unavailableSince() != null
                    && !now.isBefore(o.unavailableSince().plus(after))) {
                unhealthy.add(clusterId);
            }
        }
        return unhealthy;
    }

    /** The clusters of the wave being applied or halted at; empty when no wave is in course. */
    private static Set<String> activeWave(RolloutState rollout) {
        boolean inWave = rollout.phase() == RolloutPhase.PROGRESSING || rollout.phase() == RolloutPhase.HALTED;
        if (!inWave || rollout.wavesCompleted() >= rollout.waves().size()) {
            return Set.of();
        }
        return Set.copyOf(rollout.waves().get(rollout.wavesCompleted()));
    }

    /** One planning step: working copies of the progress, changed in place, then frozen into an {@link Actuation}. */
    private static final class Step {

        private final Workload workload;
        private final String name;
        private final PlacementDecision decision;
        private final PlacementDecision previous;
        private final Map<String, ClusterObservation> observed;
        private final RolloutCommand command;
        private final Instant now;
        private final boolean firstPlacement;
        /** Decided replicas by cluster id. */
        private final Map<String, Integer> chosen = new TreeMap<>();

        private final TreeMap<String, Assignment> assignments;
        private final List<PlacementEvent> events = new ArrayList<>();
        private RolloutState rollout;
        private final TreeSet<String> announcedDisplaced;
        private final List<PendingMove> pending;
        private boolean suppressionAnnounced;
        private List<String> announcedUnmet;

        Step(RolloutRequest request) {
            this.workload = request.workload();
            this.name = workload.name();
            this.decision = request.decision();
            this.previous = request.previousDecision();
            this.observed = request.observed();
            this.command = request.command();
            this.now = request.now();
            decision.chosen().forEach(c -> chosen.put(c.clusterId(), c.replicas()));
            WorkloadProgress progress = request.progress();
            this.firstPlacement = progress == null;
            if (firstPlacement) {
                // Nothing runs anywhere yet, so there is nothing to roll: every chosen cluster gets the generation.
                assignments = new TreeMap<>();
                decision.chosen()
                        .forEach(c ->
                                assignments.put(c.clusterId(), new Assignment(workload.generation(), c.replicas())));
                rollout = RolloutState.completed(workload.generation(), now);
                announcedDisplaced = new TreeSet<>();
                pending = new ArrayList<>();
                announcedUnmet = List.of();
            } else {
                assignments = new TreeMap<>(progress.assignments());
                rollout = progress.rollout();
                FailoverLedger ledger = progress.failover();
                announcedDisplaced = new TreeSet<>(ledger.displaced());
                pending = new ArrayList<>(ledger.pending());
                suppressionAnnounced = ledger.suppressionAnnounced();
                announcedUnmet = ledger.unmetSpread();
            }
        }

        Actuation run() {
            announceMoves();
            if (!firstPlacement) {
                if (workload.generation() > rollout.targetGeneration()) {
                    startRollout(workload.generation());
                } else if (command instanceof RolloutCommand.Resume && rollout.phase() == RolloutPhase.HALTED) {
                    rollout = withPhase(RolloutPhase.PROGRESSING, rollout.wavesCompleted());
                }
                advance();
                applyPlacement();
            }
            completeMoves();
            FailoverLedger ledger =
                    new FailoverLedger(List.copyOf(announcedDisplaced), pending, suppressionAnnounced, announcedUnmet);
            WorkloadProgress next = new WorkloadProgress(rollout, assignments, ledger);
            return new Actuation(next, events, wakeAt(next));
        }

        // ---- failover, failback, suppression, degradation: announced once, from the decision against the ledger

        private void announceMoves() {
            Set<String> displacedNow = decision.displaced().stream()
                    .map(Displacement::clusterId)
                    .filter(id -> !chosen.containsKey(id))
                    .collect(Collectors.toCollection(TreeSet::new));
            double costDelta = previous == null ? 0 : decision.monthlyCost() - previous.monthlyCost();
            if (firstPlacement) {
                // A first placement moves nothing away from anywhere: remember the displacements without a failover.
                announcedDisplaced.addAll(displacedNow);
            } else {
                List<String> lost = displacedNow.stream()
                        .filter(id -> !announcedDisplaced.contains(id))
                        .toList();
                List<String> returned =
                        announcedDisplaced.stream().filter(chosen::containsKey).toList();
                if (!lost.isEmpty()) {
                    List<String> gaining = gainingClusters();
                    Displacement.Cause cause = commonCause(decision, lost);
                    events.add(new FailoverStarted(name, lost, gaining, costDelta, cause));
                    pending.add(new PendingMove(MoveKind.FAILOVER, lost, gaining, costDelta, cause));
                }
                if (!returned.isEmpty()) {
                    // A failover from a cluster that came back before it completed took nothing away from it: the
                    // failback alone tells the rest of the story.
                    List<PendingMove> kept = new ArrayList<>();
                    for (PendingMove m : pending) {
                        List<String> from = m.from().stream()
                                .filter(id -> m.kind() != MoveKind.FAILOVER || !returned.contains(id))
                                .toList();
                        if (!from.isEmpty()) {
                            kept.add(new PendingMove(m.kind(), from, m.to(), m.monthlyCostDelta(), m.cause()));
                        }
                    }
                    pending.clear();
                    pending.addAll(kept);
                    // The decision that returns them no longer lists them displaced: the one before it says why.
                    Displacement.Cause cause = previous == null ? null : commonCause(previous, returned);
                    pending.add(new PendingMove(MoveKind.FAILBACK, losingClusters(), returned, costDelta, cause));
                }
                announcedDisplaced.addAll(lost);
                announcedDisplaced.retainAll(displacedNow);
            }
            PlacementDecision.FailoverSuppression suppression = decision.suppressed();
            if (suppression != null && !suppressionAnnounced) {
                events.add(new FailoverSuppressed(name, suppression.unreachableClusters(), suppression.reason()));
            }
            suppressionAnnounced = suppression != null;
            if (!decision.unmetSpread().equals(announcedUnmet)) {
                events.add(new DegradedChanged(name, decision.unmetSpread()));
                announcedUnmet = decision.unmetSpread();
            }
        }

        /** Why {@code decision} says the workload left {@code clusters}; null when they differ or it does not say. */
        private static Displacement.Cause commonCause(PlacementDecision decision, List<String> clusters) {
            Set<Displacement.Cause> causes = decision.displaced().stream()
                    .filter(d -> clusters.contains(d.clusterId()))
                    .map(Displacement::cause)
                    .collect(Collectors.toSet());
            return causes.size() == 1 ? causes.iterator().next() : null;
        }

        /** Chosen clusters that get a share they do not have yet: new ones, and kept ones with more replicas. */
        private List<String> gainingClusters() {
            return chosen.entrySet().stream()
                    .filter(e -> !assignments.containsKey(e.getKey())
                            || e.getValue() > assignments.get(e.getKey()).replicas())
                    .map(Map.Entry::getKey)
                    .toList();
        }

        /** Assigned clusters that give up a share: those no longer chosen, and kept ones with fewer replicas. */
        private List<String> losingClusters() {
            return assignments.entrySet().stream()
                    .filter(e -> !chosen.containsKey(e.getKey())
                            || chosen.get(e.getKey()) < e.getValue().replicas())
                    .map(Map.Entry::getKey)
                    .toList();
        }

        private void completeMoves() {
            List<PendingMove> open = new ArrayList<>();
            for (PendingMove m : pending) {
                boolean fromSettled = m.from().stream().allMatch(this::settled);
                boolean toAvailable =
                        m.to().stream().allMatch(id -> !chosen.containsKey(id) || availableAtAssigned(id));
                if (!fromSettled || !toAvailable) {
                    open.add(m);
                } else if (m.kind() == MoveKind.FAILOVER) {
                    events.add(new FailoverCompleted(name, m.from(), m.to(), m.monthlyCostDelta(), m.cause()));
                } else {
                    events.add(new FailbackCompleted(name, m.from(), m.to(), m.monthlyCostDelta(), m.cause()));
                }
            }
            pending.clear();
            pending.addAll(open);
        }

        /** A cluster holds exactly what the decision gives it: nothing when not chosen, else the decided replicas. */
        private boolean settled(String clusterId) {
            Assignment a = assignments.get(clusterId);
            Integer decided = chosen.get(clusterId);
            return decided == null ? a == null : a != null && a.replicas() == decided;
        }

        // ---- rollout in waves

        private void startRollout(long target) {
            long stable = rollout.stableGeneration();
            List<String> clusters = assignments.keySet().stream()
                    .filter(chosen::containsKey)
                    .sorted(healthyFirst())
                    .toList();
            // Clusters a superseded rollout already reached run neither the stable nor the new generation: they move
            // on first (for a rollback, the broken canary is the first to be repaired).
            List<String> ordered = new ArrayList<>(clusters.stream()
                    .filter(id -> assignments.get(id).generation() != stable)
                    .toList());
            int updated = ordered.size();
            clusters.stream()
                    .filter(id -> assignments.get(id).generation() == stable)
                    .forEach(ordered::add);
            RolloutStrategy strategy = workload.rollout();
            int perWave = strategy.maxInFlight().clustersPerWave(clusters.size());
            int first = Math.max(strategy.canary() > 0 ? strategy.canary() : perWave, updated);
            List<List<String>> waves = new ArrayList<>();
            int canaryEnd = Math.min(first, ordered.size());
            if (canaryEnd > 0) {
                waves.add(List.copyOf(ordered.subList(0, canaryEnd)));
            }
            waves.addAll(chunk(ordered.subList(canaryEnd, ordered.size()), perWave));
            waves = List.copyOf(waves);
            events.add(new RolloutStarted(name, target, stable, waves));
            rollout = new RolloutState(target, stable, RolloutPhase.PROGRESSING, waves, 0, now, null, null);
            startWave(0);
        }

        /** Moves the rollout as far as the observations and the time allow. */
        private void advance() {
            RolloutStrategy strategy = workload.rollout();
            while (true) {
                switch (rollout.phase()) {
                    case COMPLETED, HALTED -> {
                        return;
                    }
                    case PAUSED -> {
                        if (now.isBefore(rollout.phaseSince().plus(strategy.pause()))) {
                            return;
                        }
                        rollout = withPhase(RolloutPhase.PROGRESSING, rollout.wavesCompleted());
                        startWave(rollout.wavesCompleted());
                    }
                    case PROGRESSING -> {
                        if (!gateCurrentWave(strategy)) {
                            return;
                        }
                    }
                }
            }
        }

        /** Judges the current wave; true when it completed and the loop should look at the next phase. */
        private boolean gateCurrentWave(RolloutStrategy strategy) {
            int index = rollout.wavesCompleted();
            if (index >= rollout.waves().size()) {
                complete();
                return false;
            }
            long target = rollout.targetGeneration();
            List<String> gated = gatedClusters(rollout.waves().get(index));
            if (gated.isEmpty() && refillWave(index)) {
                gated = gatedClusters(rollout.waves().get(index));
            }
            for (String id : gated) {
                ClusterObservation o = observed.get(id);
                WorkloadSync.ApplyFailure failure = o == null ? null : o.applyFailure();
                if (failure != null && failure.generation() == target) {
                    // Inventory retries, but a Conflict or an invalid field does not go away by itself: waiting for
                    // the health timeout would only hide which object is wrong.
                    halt(
                            id,
                            APPLY_FAILED,
                            failure.object(),
                            "generation %d of %s not applied on %s: %s %s%s"
                                    .formatted(
                                            target,
                                            name,
                                            id,
                                            failure.object(),
                                            failure.outcome(),
                                            failure.reason() == null ? "" : ": " + failure.reason()));
                    return false;
                }
                if (o != null && o.appliedGeneration() == target && PROGRESS_DEADLINE_EXCEEDED.equals(o.condition())) {
                    halt(
                            id,
                            PROGRESS_DEADLINE_EXCEEDED,
                            null,
                            "generation %d of %s on %s exceeded its progress deadline".formatted(target, name, id));
                    return false;
                }
            }
            List<String> waiting =
                    gated.stream().filter(id -> !healthyAt(id, target)).toList();
            if (waiting.isEmpty()) {
                events.add(new WaveCompleted(
                        name, target, index + 1, rollout.waves().get(index)));
                List<List<String>> waves = new ArrayList<>(rollout.waves());
                if (index + 1 == waves.size()) {
                    // Clusters chosen while the rollout ran joined at the stable generation: one more wave for them.
                    List<String> stragglers = assignments.entrySet().stream()
                            .filter(e -> chosen.containsKey(e.getKey())
                                    && e.getValue().generation() != target)
                            .map(Map.Entry::getKey)
                            .sorted(healthyFirst())
                            .toList();
                    int perWave = strategy.maxInFlight().clustersPerWave(chosen.size());
                    waves.addAll(chunk(stragglers, perWave));
                }
                rollout = new RolloutState(
                        target, rollout.stableGeneration(), rollout.phase(), waves, index + 1, now, null, null);
                if (index + 1 == waves.size()) {
                    complete();
                    return false;
                }
                rollout = withPhase(RolloutPhase.PAUSED, index + 1);
                return true;
            }
            Instant deadline = rollout.phaseSince().plus(strategy.healthTimeout());
            if (!now.isBefore(deadline)) {
                String id = waiting.getFirst();
                ClusterObservation o = observed.get(id);
                String within = words(strategy.healthTimeout());
                if (o == null || o.appliedGeneration() != target) {
                    halt(
                            id,
                            HEALTH_TIMEOUT,
                            null,
                            "generation %d of %s not applied on %s within %s (applied: %s)"
                                    .formatted(target, name, id, within, o == null ? "none" : o.appliedGeneration()));
                } else {
                    halt(
                            id,
                            o.condition() != null ? o.condition() : HEALTH_TIMEOUT,
                            null,
                            "generation %d of %s not available on %s within %s".formatted(target, name, id, within));
                }
            }
            return false;
        }

        /**
         * The clusters of a wave its health gate judges: still chosen (a cluster failing over away is not waited
         * for) and told the target (a cluster chosen again after its wave started joins a later wave instead).
         */
        private List<String> gatedClusters(List<String> wave) {
            return wave.stream()
                    .filter(id -> chosen.containsKey(id)
                            && assignments.containsKey(id)
                            && assignments.get(id).generation() == rollout.targetGeneration())
                    .toList();
        }

        /**
         * Every cluster of the wave left the decision before its gate could judge it (a canary failed over away):
         * rather than pass the new generation on unverified, the wave takes as many clusters from the later waves,
         * with a fresh health timeout. False when no later cluster is left to take.
         */
        private boolean refillWave(int index) {
            List<List<String>> waves = new ArrayList<>(rollout.waves());
            int need = waves.get(index).size();
            List<String> taken = new ArrayList<>();
            for (int i = index + 1; i < waves.size() && taken.size() < need; i++) {
                List<String> later = new ArrayList<>();
                for (String id : waves.get(i)) {
                    boolean waiting = chosen.containsKey(id)
                            && assignments.containsKey(id)
                            && assignments.get(id).generation() != rollout.targetGeneration();
                    if (waiting && taken.size() < need) {
                        taken.add(id);
                    } else {
                        later.add(id);
                    }
                }
                waves.set(i, List.copyOf(later));
            }
            if (taken.isEmpty()) {
                return false;
            }
            waves.set(index, List.copyOf(taken));
            List<List<String>> kept = new ArrayList<>(waves.subList(0, index + 1));
            waves.subList(index + 1, waves.size()).stream()
                    .filter(w -> !w.isEmpty())
                    .forEach(kept::add);
            rollout = new RolloutState(
                    rollout.targetGeneration(),
                    rollout.stableGeneration(),
                    RolloutPhase.PROGRESSING,
                    kept,
                    index,
                    now,
                    null,
                    null);
            startWave(index);
            return true;
        }

        private void startWave(int index) {
            if (index >= rollout.waves().size()) {
                return;
            }
            for (String id : rollout.waves().get(index)) {
                Assignment a = assignments.get(id);
                if (a != null && chosen.containsKey(id)) {
                    assignments.put(id, new Assignment(rollout.targetGeneration(), a.replicas()));
                }
            }
        }

        private void complete() {
            events.add(new RolloutCompleted(name, rollout.targetGeneration()));
            rollout = new RolloutState(
                    rollout.targetGeneration(),
                    rollout.targetGeneration(),
                    RolloutPhase.COMPLETED,
                    rollout.waves(),
                    rollout.wavesCompleted(),
                    now,
                    null,
                    null);
        }

        private void halt(String clusterId, String condition, String object, String message) {
            events.add(new RolloutHalted(name, rollout.targetGeneration(), clusterId, condition, object, message));
            rollout = new RolloutState(
                    rollout.targetGeneration(),
                    rollout.stableGeneration(),
                    RolloutPhase.HALTED,
                    rollout.waves(),
                    rollout.wavesCompleted(),
                    now,
                    clusterId,
                    condition);
        }

        private RolloutState withPhase(RolloutPhase phase, int wavesCompleted) {
            return new RolloutState(
                    rollout.targetGeneration(),
                    rollout.stableGeneration(),
                    phase,
                    rollout.waves(),
                    wavesCompleted,
                    now,
                    null,
                    null);
        }

        // ---- placement changes, make-before-break

        private void applyPlacement() {
            // A newly chosen cluster runs what the not-yet-reached clusters run; it is rolled forward at the end.
            long joining =
                    rollout.phase() == RolloutPhase.COMPLETED ? rollout.targetGeneration() : rollout.stableGeneration();
            for (Map.Entry<String, Integer> c : chosen.entrySet()) {
                Assignment a = assignments.get(c.getKey());
                if (a == null) {
                    assignments.put(c.getKey(), new Assignment(joining, c.getValue()));
                } else if (c.getValue() > a.replicas()) {
                    assignments.put(c.getKey(), new Assignment(a.generation(), c.getValue()));
                }
            }
            // Nothing is taken away (a cluster, or replicas) before every chosen cluster is available; with no chosen
            // cluster nothing is available in its place, so a decision that lost every cluster prunes nothing.
            if (!chosen.isEmpty() && chosen.keySet().stream().allMatch(this::availableAtAssigned)) {
                assignments.keySet().removeIf(id -> !chosen.containsKey(id));
                for (Map.Entry<String, Integer> c : chosen.entrySet()) {
                    Assignment a = assignments.get(c.getKey());
                    if (c.getValue() < a.replicas()) {
                        assignments.put(c.getKey(), new Assignment(a.generation(), c.getValue()));
                    }
                }
            }
        }

        // ---- observations and time

        private boolean availableAtAssigned(String clusterId) {
            Assignment a = assignments.get(clusterId);
            return a != null && healthyAt(clusterId, a.generation());
        }

        private boolean healthyAt(String clusterId, long generation) {
            ClusterObservation o = observed.get(clusterId);
            return o != null && o.available() && o.appliedGeneration() == generation;
        }

        private Comparator<String> healthyFirst() {
            return Comparator.<String, Boolean>comparing(id -> {
                        ClusterObservation o = observed.get(id);
                        return o == null || !o.available();
                    })
                    .thenComparing(Comparator.naturalOrder());
        }

        private Instant wakeAt(WorkloadProgress next) {
            List<Instant> candidates = new ArrayList<>();
            RolloutStrategy strategy = workload.rollout();
            switch (rollout.phase()) {
                case PAUSED -> candidates.add(rollout.phaseSince().plus(strategy.pause()));
                case PROGRESSING -> candidates.add(rollout.phaseSince().plus(strategy.healthTimeout()));
                case COMPLETED, HALTED -> {}
            }
            Set<String> gated = activeWave(rollout);
            Duration after = workload.failover().unhealthyAfter();
            for (String id : next.assignments().keySet()) {
                ClusterObservation o = observed.get(id);
                if (!gated.contains(id) && o != null && !o.available() && o.unavailableSince() != null) {
                    Instant threshold = o.unavailableSince().plus(after);
                    if (threshold.isAfter(now)) {
                        candidates.add(threshold);
                    }
                }
            }
            return candidates.stream().min(Comparator.naturalOrder()).orElse(null);
        }
    }

    private static List<List<String>> chunk(List<String> clusters, int size) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < clusters.size(); from += size) {
            chunks.add(List.copyOf(clusters.subList(from, Math.min(from + size, clusters.size()))));
        }
        return chunks;
    }

    /** "5m", "30s", "1m30s": how a strategy's durations read in an event. */
    private static String words(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
