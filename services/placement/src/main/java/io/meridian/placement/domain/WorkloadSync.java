package io.meridian.placement.domain;

import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.SyncReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads inventory's report of a cluster's one placement bundle per workload: a workload's generation is applied on the
 * cluster when its own objects are, whatever the other workloads' objects in the same bundle did, so that one object
 * that fails (a Conflict, an invalid field) holds back only the workload it belongs to.
 *
 * <p>A workload generation counts as applied when the report's applied bundle generation reaches the bundle that
 * first carried it (every object of that bundle applied), or when the report covers that bundle and every one of the
 * workload's objects has an outcome in it and none is Failed or Conflict. A Failed or Conflict outcome of one of its
 * objects is kept as the workload's {@link ApplyFailure} at that generation until a later report applies it. A report
 * of an older bundle, or one that does not name all of the workload's objects, changes nothing for it.
 */
public final class WorkloadSync {

    private WorkloadSync() {}

    /**
     * What placement knows of one workload on one cluster.
     *
     * @param declaredGeneration the workload generation in the cluster's last declared bundle
     * @param bundleGeneration the first bundle generation that carried {@code declaredGeneration}
     * @param appliedGeneration the workload generation last known applied there; 0 when none
     * @param objects the {@link #reference references} of the workload's objects in the bundle
     * @param failure the last object of it that failed to apply, or null
     */
    public record Carried(
            String workload,
            long declaredGeneration,
            long bundleGeneration,
            long appliedGeneration,
            Set<String> objects,
            ApplyFailure failure) {

        public Carried {
            Objects.requireNonNull(workload, "workload");
            objects = objects == null ? Set.of() : Set.copyOf(objects);
        }

        /** The same workload on the same cluster after a report left it in {@code state}. */
        public Carried after(State state) {
            return new Carried(
                    workload,
                    declaredGeneration,
                    bundleGeneration,
                    state.appliedGeneration(),
                    objects,
                    state.failure());
        }

        /** The failure of the generation it carries now; an older generation's failure says nothing about it. */
        public ApplyFailure currentFailure() {
            return failure != null && failure.generation() == declaredGeneration ? failure : null;
        }
    }

    /**
     * One object of a workload that inventory could not apply.
     *
     * @param generation the workload generation whose object failed
     * @param object the object as people name it: {@code Kind/name in namespace}
     * @param outcome {@code Failed} or {@code Conflict}
     * @param reason inventory's message, e.g. the API server's answer; may be null
     */
    public record ApplyFailure(long generation, String object, String outcome, String reason) {}

    /** A workload's applied generation and current failure on a cluster after a report. */
    public record State(long appliedGeneration, ApplyFailure failure) {}

    /** The reference of an object in a bundle and in a report: {@code Kind/namespace/name}. */
    public static String reference(String kind, String namespace, String name) {
        return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }

    /** The reference of a rendered object: its kind, its namespace and its name. */
    public static String reference(Map<String, Object> object) {
        Object kind = object.get("kind");
        Map<?, ?> metadata = object.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        Object namespace = metadata.get("namespace");
        return reference(
                String.valueOf(kind),
                namespace == null ? null : namespace.toString(),
                String.valueOf(metadata.get("name")));
    }

    /** The state of every carried workload after {@code report}, by workload name. */
    public static Map<String, State> read(SyncReport report, List<Carried> carried) {
        Map<String, ObjectOutcome> outcomes = new HashMap<>();
        for (ObjectOutcome o : report.outcomes()) {
            outcomes.put(reference(o.kind(), o.namespace(), o.name()), o);
        }
        Map<String, State> states = new HashMap<>();
        for (Carried c : carried) {
            states.put(c.workload(), stateAfter(report, outcomes, c));
        }
        return states;
    }

    private static State stateAfter(SyncReport report, Map<String, ObjectOutcome> outcomes, Carried c) {
        State unchanged = new State(c.appliedGeneration(), c.currentFailure());
        State applied = new State(c.declaredGeneration(), null);
        if (c.bundleGeneration() <= report.generationApplied()) {
            return applied;
        }
        if (c.bundleGeneration() > report.generationWanted() || c.objects().isEmpty()) {
            return unchanged; // the report is about an older bundle, or placement does not know what to look for
        }
        List<ObjectOutcome> own = new ArrayList<>();
        for (String ref : c.objects().stream().sorted().toList()) {
            ObjectOutcome o = outcomes.get(ref);
            if (o == null) {
                return unchanged; // a report that does not name every object of the workload cannot vouch for it
            }
            own.add(o);
        }
        for (ObjectOutcome o : own) {
            if (o.outcome() == ObjectOutcome.Outcome.Failed || o.outcome() == ObjectOutcome.Outcome.Conflict) {
                String ref = o.kind() + "/" + o.name() + (o.namespace() == null ? "" : " in " + o.namespace());
                return new State(
                        c.appliedGeneration(),
                        new ApplyFailure(
                                c.declaredGeneration(), ref, o.outcome().name(), o.reason()));
            }
        }
        return applied;
    }
}
