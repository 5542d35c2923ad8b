package io.meridian.policy.domain;

import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.selector.LabelSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the policy service wants on one cluster, computed whole (desired state, not a diff): a
 * ValidatingAdmissionPolicy and its binding for every {@code deny} or {@code warn} policy in scope, and the
 * objects of every {@code ensure} policy in each namespace its selector matches, except the cluster's system
 * namespaces ({@link EnsureKinds#SYSTEM_NAMESPACES}). Which kinds a policy may ensure is checked when it is written
 * ({@link EnsureKinds}); a stored definition that fails those checks no longer compiles, so it is not planned.
 */
public final class EnforcementPlanner {

    /** Name prefix of everything the policy service writes, so that clusters show where it came from. */
    public static final String PREFIX = "meridian-";

    public static final String POLICY_LABEL = "meridian.io/policy";
    public static final String GENERATION_ANNOTATION = "meridian.io/policy-generation";
    private static final String ADMISSION = "admissionregistration.k8s.io/v1";

    private EnforcementPlanner() {}

    /** The objects for {@code cluster}, in a stable order so an unchanged plan hashes the same. */
    public static List<Map<String, Object>> desired(
            FleetCluster cluster, Collection<CompiledPolicy> policies, List<FleetObject> namespaces) {
        List<Map<String, Object>> objects = new ArrayList<>();
        List<CompiledPolicy> sorted = policies.stream()
                .filter(p -> p.appliesTo(cluster))
                .sorted(Comparator.comparing(CompiledPolicy::name))
                .toList();
        for (CompiledPolicy policy : sorted) {
            PolicyDefinition def = policy.definition();
            if (def.action() != ComplianceResult.Action.AUDIT
                    && !def.spec().validations().isEmpty()) {
                objects.add(admissionPolicy(def, policy.generation()));
                objects.add(binding(def, policy.generation()));
            }
            if (def.ensure() != null && !def.ensure().objects().isEmpty()) {
                // The cluster's own namespaces are out of reach: a ConfigMap there is cluster configuration (aws-auth
                // maps IAM roles to system:masters on EKS, coredns steers DNS), a NetworkPolicy there can cut DNS.
                List<FleetObject> targets = namespaces.stream()
                        .filter(ns -> !EnsureKinds.SYSTEM_NAMESPACES.contains(ns.name()))
                        .filter(ns -> def.ensure().namespaceSelector().matches(ns.labels()))
                        .sorted(Comparator.comparing(FleetObject::name))
                        .toList();
                for (FleetObject ns : targets) {
                    for (Map<String, Object> template : def.ensure().objects()) {
                        objects.add(inNamespace(template, ns.name(), def.name(), policy.generation()));
                    }
                }
            }
        }
        return objects;
    }

    /** The ValidatingAdmissionPolicy that enforces {@code def} on the cluster itself. */
    public static Map<String, Object> admissionPolicy(PolicyDefinition def, long generation) {
        var spec = def.spec();
        var match = spec.matchConstraints();
        Map<String, Object> matchConstraints = new LinkedHashMap<>();
        matchConstraints.put(
                "resourceRules",
                match.resourceRules().stream().map(EnforcementPlanner::rule).toList());
        if (!match.excludeResourceRules().isEmpty()) {
            matchConstraints.put(
                    "excludeResourceRules",
                    match.excludeResourceRules().stream()
                            .map(EnforcementPlanner::rule)
                            .toList());
        }
        if (!match.namespaceSelector().isEmpty()) {
            matchConstraints.put("namespaceSelector", selector(match.namespaceSelector()));
        }
        if (!match.objectSelector().isEmpty()) {
            matchConstraints.put("objectSelector", selector(match.objectSelector()));
        }
        Map<String, Object> vapSpec = new LinkedHashMap<>();
        vapSpec.put("failurePolicy", spec.failurePolicy() == null ? "Fail" : spec.failurePolicy());
        vapSpec.put("matchConstraints", matchConstraints);
        if (!spec.matchConditions().isEmpty()) {
            vapSpec.put(
                    "matchConditions",
                    spec.matchConditions().stream()
                            .map(c -> Map.<String, Object>of("name", c.name(), "expression", c.expression()))
                            .toList());
        }
        if (!spec.variables().isEmpty()) {
            vapSpec.put(
                    "variables",
                    spec.variables().stream()
                            .map(c -> Map.<String, Object>of("name", c.name(), "expression", c.expression()))
                            .toList());
        }
        vapSpec.put(
                "validations",
                spec.validations().stream()
                        .map(v -> {
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("expression", v.expression());
                            if (v.message() != null) {
                                out.put("message", v.message());
                            }
                            if (v.messageExpression() != null) {
                                out.put("messageExpression", v.messageExpression());
                            }
                            if (v.reason() != null) {
                                out.put("reason", v.reason());
                            }
                            return out;
                        })
                        .toList());
        return manifest("ValidatingAdmissionPolicy", PREFIX + def.name(), null, def.name(), generation, vapSpec);
    }

    /** The binding that turns the policy on with the action the policy asks for. */
    public static Map<String, Object> binding(PolicyDefinition def, long generation) {
        String action = def.action() == ComplianceResult.Action.DENY ? "Deny" : "Warn";
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("policyName", PREFIX + def.name());
        spec.put("validationActions", List.of(action));
        return manifest("ValidatingAdmissionPolicyBinding", PREFIX + def.name(), null, def.name(), generation, spec);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inNamespace(
            Map<String, Object> template, String namespace, String policy, long generation) {
        Map<String, Object> copy = deepCopy(template);
        Map<String, Object> meta = (Map<String, Object>) copy.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
        meta.put("namespace", namespace);
        Map<String, Object> labels = meta.get("labels") instanceof Map<?, ?> l
                ? new LinkedHashMap<>((Map<String, Object>) l)
                : new LinkedHashMap<>();
        labels.put(POLICY_LABEL, policy);
        meta.put("labels", labels);
        Map<String, Object> annotations = meta.get("annotations") instanceof Map<?, ?> a
                ? new LinkedHashMap<>((Map<String, Object>) a)
                : new LinkedHashMap<>();
        annotations.put(GENERATION_ANNOTATION, Long.toString(generation));
        meta.put("annotations", annotations);
        return copy;
    }

    private static Map<String, Object> manifest(
            String kind, String name, String namespace, String policy, long generation, Map<String, Object> spec) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", name);
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        meta.put("labels", Map.of(POLICY_LABEL, policy));
        meta.put("annotations", Map.of(GENERATION_ANNOTATION, Long.toString(generation)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiVersion", ADMISSION);
        out.put("kind", kind);
        out.put("metadata", meta);
        out.put("spec", spec);
        return out;
    }

    private static Map<String, Object> rule(PolicyDefinition.ResourceRule r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiGroups", r.apiGroups());
        out.put("apiVersions", r.apiVersions());
        out.put("resources", r.resources());
        out.put("operations", r.operations().isEmpty() ? List.of("CREATE", "UPDATE") : r.operations());
        return out;
    }

    private static Map<String, Object> selector(LabelSelector s) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!s.matchLabels().isEmpty()) {
            out.put("matchLabels", new java.util.TreeMap<>(s.matchLabels()));
        }
        if (!s.matchExpressions().isEmpty()) {
            out.put(
                    "matchExpressions",
                    s.matchExpressions().stream()
                            .map(r -> {
                                Map<String, Object> e = new LinkedHashMap<>();
                                e.put("key", r.key());
                                e.put("operator", r.operator().wireName());
                                if (!r.values().isEmpty()) {
                                    e.put("values", r.values());
                                }
                                return e;
                            })
                            .toList());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, copyValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return deepCopy((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(EnforcementPlanner::copyValue).toList();
        }
        return v;
    }
}
