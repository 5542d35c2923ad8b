package io.meridian.policy.domain;

import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.resource.ResyncMarker;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The compliance of the whole fleet, kept in memory: the clusters, their current objects, the compiled policies,
 * the waivers, and the open violations. Every change returns only the transitions it causes (a violation opened or
 * closed), so a replay of the same facts converges to the same state and publishes nothing new. Not thread-safe:
 * one caller at a time (the service serialises access).
 */
public final class FleetCompliance {

    private final Clock clock;
    private final Map<String, FleetCluster> clusters = new HashMap<>();
    private final Map<String, Map<String, Observed>> objects = new HashMap<>();
    private final Map<String, CompiledPolicy> policies = new LinkedHashMap<>();
    private final Map<String, Waiver> waivers = new LinkedHashMap<>();
    private final Map<String, ComplianceResult> open = new HashMap<>();
    private long evaluations;

    private record Observed(FleetObject object, long resyncEpoch) {}

    /** A change of one violation's state, to be published on {@code fleet.compliance.v1}. */
    public sealed interface Transition {
        ComplianceResult result();
    }

    public record Opened(ComplianceResult result) implements Transition {}

    public record Closed(ComplianceResult result) implements Transition {}

    public FleetCompliance(Clock clock) {
        this.clock = clock;
    }

    /** Takes back the violations the database says are open, so a restart publishes no repeats. */
    public void restoreOpen(Collection<ComplianceResult> stillOpen) {
        stillOpen.forEach(r -> open.put(r.key(), r));
    }

    // ---------------------------------------------------------------- objects

    /** An object appeared or changed. A Namespace change re-evaluates the objects in it (selectors, namespaceObject). */
    public List<Transition> observe(FleetObject object, long resyncEpoch) {
        objects.computeIfAbsent(object.clusterId(), c -> new HashMap<>())
                .put(object.objectKey(), new Observed(object, resyncEpoch));
        List<Transition> out = new ArrayList<>();
        evaluateObject(object, out);
        if (object.isNamespace()) {
            for (Observed o : objectsOf(object.clusterId())) {
                if (object.name().equals(o.object().namespace())) {
                    evaluateObject(o.object(), out);
                }
            }
        }
        return out;
    }

    /** An object was deleted: its violations close. */
    public List<Transition> forget(String clusterId, String objectKey) {
        Map<String, Observed> ofCluster = objects.get(clusterId);
        Observed gone = ofCluster == null ? null : ofCluster.remove(objectKey);
        List<Transition> out = new ArrayList<>();
        if (gone != null) {
            closeAll(v -> v.clusterId().equals(clusterId) && v.object().key().equals(objectKey), "object deleted", out);
            if (gone.object().isNamespace()) {
                for (Observed o : objectsOf(clusterId)) {
                    if (gone.object().name().equals(o.object().namespace())) {
                        evaluateObject(o.object(), out);
                    }
                }
            }
        }
        return out;
    }

    /**
     * A resync of a cluster completed: what it did not confirm is gone, except objects of a kind it could not list,
     * which stay as they were (forgetting a Namespace would close its violations and drop its ensure objects).
     */
    public List<Transition> resyncCompleted(ResyncMarker completed) {
        String clusterId = completed.clusterId();
        List<String> stale = objectsOf(clusterId).stream()
                .filter(o -> completed.removes(o.object().apiGroup(), o.object().kind(), o.resyncEpoch()))
                .map(o -> o.object().objectKey())
                .toList();
        List<Transition> out = new ArrayList<>();
        stale.forEach(key -> out.addAll(forget(clusterId, key)));
        return out;
    }

    // ---------------------------------------------------------------- clusters

    /** A cluster registered or changed labels, cloud or environment: its scope may have changed. */
    public List<Transition> cluster(FleetCluster cluster) {
        FleetCluster before = clusters.put(cluster.clusterId(), cluster);
        List<Transition> out = new ArrayList<>();
        if (!cluster.equals(before)) {
            for (Observed o : objectsOf(cluster.clusterId())) {
                evaluateObject(o.object(), out);
            }
        }
        return out;
    }

    /** A cluster left the fleet: its objects and violations go with it. */
    public List<Transition> clusterGone(String clusterId) {
        clusters.remove(clusterId);
        objects.remove(clusterId);
        List<Transition> out = new ArrayList<>();
        closeAll(v -> v.clusterId().equals(clusterId), "cluster deregistered", out);
        return out;
    }

    // ---------------------------------------------------------------- policies and waivers

    /** A policy was created or changed: the fleet is re-audited against it. */
    public List<Transition> policy(CompiledPolicy policy) {
        policies.put(policy.name(), policy);
        List<Transition> out = new ArrayList<>();
        for (var ofCluster : objects.entrySet()) {
            FleetCluster cluster = clusters.get(ofCluster.getKey());
            boolean applies = cluster != null && policy.appliesTo(cluster);
            if (!applies) {
                String clusterId = ofCluster.getKey();
                closeAll(
                        v -> v.policy().equals(policy.name()) && v.clusterId().equals(clusterId),
                        "policy no longer applies to the cluster",
                        out);
                continue;
            }
            for (Observed o : ofCluster.getValue().values()) {
                evaluate(policy, o.object(), out);
            }
        }
        return out;
    }

    /** A policy was deleted: its violations close. */
    public List<Transition> policyGone(String name) {
        policies.remove(name);
        List<Transition> out = new ArrayList<>();
        closeAll(v -> v.policy().equals(name), "policy deleted", out);
        return out;
    }

    /**
     * The waivers now in force replace the previous ones; what they cover closes, what they stop covering opens.
     * Only the policies whose waivers changed are re-audited.
     */
    public List<Transition> waivers(Collection<Waiver> current) {
        Instant now = clock.instant();
        Map<String, Waiver> next = new LinkedHashMap<>();
        current.stream().filter(w -> w.activeAt(now)).forEach(w -> next.put(w.id(), w)); // expired ones are history
        java.util.Set<String> touched = new java.util.HashSet<>();
        waivers.forEach((id, w) -> {
            if (!w.equals(next.get(id))) {
                touched.add(w.policy());
            }
        });
        next.forEach((id, w) -> {
            if (!w.equals(waivers.get(id))) {
                touched.add(w.policy());
            }
        });
        waivers.clear();
        waivers.putAll(next);
        return reaudit(touched);
    }

    /** Time passed: waivers that expired stop applying, re-opening what they silenced. */
    public List<Transition> tick() {
        Instant now = clock.instant();
        java.util.Set<String> touched = new java.util.HashSet<>();
        waivers.values().removeIf(w -> {
            boolean expired = !w.activeAt(now);
            if (expired) {
                touched.add(w.policy());
            }
            return expired;
        });
        return reaudit(touched);
    }

    private List<Transition> reaudit(java.util.Set<String> policyNames) {
        List<Transition> out = new ArrayList<>();
        for (String name : policyNames) {
            CompiledPolicy policy = policies.get(name);
            if (policy != null) {
                out.addAll(policy(policy));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- reads

    public Collection<CompiledPolicy> policies() {
        return List.copyOf(policies.values());
    }

    public Map<String, FleetCluster> clusters() {
        return Map.copyOf(clusters);
    }

    /** The Namespaces observed on a cluster. */
    public List<FleetObject> namespaces(String clusterId) {
        return objectsOf(clusterId).stream()
                .map(Observed::object)
                .filter(FleetObject::isNamespace)
                .toList();
    }

    public int objectCount() {
        return objects.values().stream().mapToInt(Map::size).sum();
    }

    public long evaluations() {
        return evaluations;
    }

    /** The violations open now. */
    public List<ComplianceResult> openResults() {
        return List.copyOf(open.values());
    }

    public int openCount() {
        return open.size();
    }

    /**
     * Per policy on one cluster: how many selected objects pass, fail, or are skipped: waived, or not evaluable in
     * audit (the PolicyReport's skip).
     */
    public Map<String, int[]> tallies(String clusterId) {
        Map<String, int[]> tallies = new LinkedHashMap<>();
        FleetCluster cluster = clusters.get(clusterId);
        if (cluster == null) {
            return tallies;
        }
        Instant now = clock.instant();
        for (CompiledPolicy policy : policies.values()) {
            if (!policy.appliesTo(cluster)) {
                continue;
            }
            int[] counts = new int[3];
            for (Observed o : objectsOf(clusterId)) {
                Verdict verdict = policy.evaluate(o.object(), namespaceOf(o.object()));
                if (verdict instanceof Verdict.NotApplicable) {
                    continue;
                }
                if (waived(policy.name(), o.object(), now) || verdict instanceof Verdict.NotEvaluable) {
                    counts[2]++;
                } else if (verdict instanceof Verdict.Violation) {
                    counts[1]++;
                } else {
                    counts[0]++;
                }
            }
            tallies.put(policy.name(), counts);
        }
        return tallies;
    }

    // ---------------------------------------------------------------- evaluation

    private void evaluateObject(FleetObject object, List<Transition> out) {
        FleetCluster cluster = clusters.get(object.clusterId());
        for (CompiledPolicy policy : policies.values()) {
            if (cluster == null || !policy.appliesTo(cluster)) {
                close(policy.name(), object, "policy does not apply to the cluster", out);
            } else {
                evaluate(policy, object, out);
            }
        }
    }

    private void evaluate(CompiledPolicy policy, FleetObject object, List<Transition> out) {
        if (!policy.selectsKind(object)) {
            return; // cheap test first; a policy never opened a violation on a kind it does not select
        }
        evaluations++;
        Verdict verdict = policy.evaluate(object, namespaceOf(object));
        Instant now = clock.instant();
        String key = ComplianceResult.key(policy.name(), object.clusterId(), object.ref());
        ComplianceResult current = open.get(key);
        if (verdict instanceof Verdict.Violation violation && !waived(policy.name(), object, now)) {
            if (current == null) {
                ComplianceResult opened = result(policy, object, ComplianceResult.State.Open, violation.message(), now);
                open.put(key, opened);
                out.add(new Opened(opened));
            }
        } else if (current != null) {
            String why = switch (verdict) {
                case Verdict.Violation v -> "waived";
                case Verdict.NotEvaluable n -> "not evaluable in audit: " + n.reason();
                default -> "compliant";
            };
            open.remove(key);
            out.add(new Closed(closed(current, policy.generation(), why, now)));
        }
    }

    private void close(String policyName, FleetObject object, String why, List<Transition> out) {
        ComplianceResult current = open.remove(ComplianceResult.key(policyName, object.clusterId(), object.ref()));
        if (current != null) {
            out.add(new Closed(closed(current, current.policyGeneration(), why, clock.instant())));
        }
    }

    private void closeAll(java.util.function.Predicate<ComplianceResult> which, String why, List<Transition> out) {
        Instant now = clock.instant();
        var it = open.values().iterator();
        while (it.hasNext()) {
            ComplianceResult r = it.next();
            if (which.test(r)) {
                it.remove();
                out.add(new Closed(closed(r, r.policyGeneration(), why, now)));
            }
        }
    }

    private boolean waived(String policyName, FleetObject object, Instant now) {
        for (Waiver w : waivers.values()) {
            if (w.covers(policyName, object, now)) {
                return true;
            }
        }
        return false;
    }

    private FleetObject namespaceOf(FleetObject object) {
        if (object.namespace() == null) {
            return null;
        }
        Map<String, Observed> ofCluster = objects.get(object.clusterId());
        Observed ns = ofCluster == null ? null : ofCluster.get("/Namespace//" + object.namespace());
        return ns == null ? null : ns.object();
    }

    private Collection<Observed> objectsOf(String clusterId) {
        Map<String, Observed> ofCluster = objects.get(clusterId);
        return ofCluster == null ? List.of() : List.copyOf(ofCluster.values());
    }

    private static ComplianceResult result(
            CompiledPolicy policy, FleetObject object, ComplianceResult.State state, String message, Instant now) {
        PolicyDefinition def = policy.definition();
        return new ComplianceResult(
                def.name(),
                policy.generation(),
                object.clusterId(),
                object.ref(),
                state,
                def.severity(),
                def.categories(),
                def.action(),
                message,
                now);
    }

    private static ComplianceResult closed(ComplianceResult was, long generation, String why, Instant now) {
        return new ComplianceResult(
                was.policy(),
                generation,
                was.clusterId(),
                was.object(),
                ComplianceResult.State.Closed,
                was.severity(),
                was.categories(),
                was.action(),
                Objects.requireNonNullElse(why, was.message()),
                now);
    }
}
