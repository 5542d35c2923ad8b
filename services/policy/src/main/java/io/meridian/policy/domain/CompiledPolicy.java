package io.meridian.policy.domain;

import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.policy.domain.cel.CelEnvironment;
import io.meridian.policy.domain.cel.CelEnvironment.Expect;
import io.meridian.policy.domain.cel.KubernetesAuthorizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A policy with every CEL expression compiled once, for one generation: evaluation only runs programs. Built
 * by {@link #compile}, which reports each expression that does not compile with its field path and position.
 */
public final class CompiledPolicy {

    private final PolicyDefinition definition;
    private final long generation;
    private final List<CelEnvironment.Program> matchConditions;
    private final List<Map.Entry<String, CelEnvironment.Program>> variables;
    private final List<CompiledValidation> validations;
    private final boolean ignoreErrors;
    private final ClusterSelector fleetScope;

    private record CompiledValidation(
            PolicyDefinition.Validation source, CelEnvironment.Program program, CelEnvironment.Program message) {}

    /** Either a compiled policy or the problems that stop it compiling. */
    public sealed interface Result {}

    public record Ok(CompiledPolicy policy) implements Result {}

    public record Invalid(List<FieldProblem> problems) implements Result {}

    private CompiledPolicy(
            PolicyDefinition definition,
            long generation,
            List<CelEnvironment.Program> matchConditions,
            List<Map.Entry<String, CelEnvironment.Program>> variables,
            List<CompiledValidation> validations) {
        this.definition = definition;
        this.generation = generation;
        this.matchConditions = matchConditions;
        this.variables = variables;
        this.validations = validations;
        this.ignoreErrors = "Ignore".equals(definition.spec().failurePolicy());
        this.fleetScope = definition.fleetScope().selector();
    }

    /** Checks the structure, then compiles every expression; all problems are reported, not only the first. */
    public static Result compile(PolicyDefinition def, long generation) {
        List<FieldProblem> problems = new ArrayList<>(PolicyRules.check(def));
        if (def.spec() == null) {
            return new Invalid(problems);
        }
        CelEnvironment cel = CelEnvironment.kubernetes();
        List<CelEnvironment.Program> conditions = new ArrayList<>();
        for (int i = 0; i < def.spec().matchConditions().size(); i++) {
            compileOne(
                            cel,
                            def.spec().matchConditions().get(i).expression(),
                            Expect.BOOL,
                            "spec.matchConditions[" + i + "].expression",
                            problems)
                    .ifPresent(conditions::add);
        }
        List<Map.Entry<String, CelEnvironment.Program>> vars = new ArrayList<>();
        for (int i = 0; i < def.spec().variables().size(); i++) {
            var v = def.spec().variables().get(i);
            compileOne(cel, v.expression(), Expect.ANY, "spec.variables[" + i + "].expression", problems)
                    .ifPresent(p -> vars.add(Map.entry(v.name(), p)));
        }
        List<CompiledValidation> validations = new ArrayList<>();
        for (int i = 0; i < def.spec().validations().size(); i++) {
            var v = def.spec().validations().get(i);
            var program =
                    compileOne(cel, v.expression(), Expect.BOOL, "spec.validations[" + i + "].expression", problems);
            Optional<CelEnvironment.Program> message =
                    v.messageExpression() == null || v.messageExpression().isBlank()
                            ? Optional.empty()
                            : compileOne(
                                    cel,
                                    v.messageExpression(),
                                    Expect.STRING,
                                    "spec.validations[" + i + "].messageExpression",
                                    problems);
            program.ifPresent(p -> validations.add(new CompiledValidation(v, p, message.orElse(null))));
        }
        if (!problems.isEmpty()) {
            return new Invalid(problems);
        }
        return new Ok(new CompiledPolicy(
                def, generation, List.copyOf(conditions), List.copyOf(vars), List.copyOf(validations)));
    }

    private static Optional<CelEnvironment.Program> compileOne(
            CelEnvironment cel, String expression, Expect expect, String field, List<FieldProblem> problems) {
        if (expression == null || expression.isBlank()) {
            return Optional.empty(); // PolicyRules already named the missing expression
        }
        return switch (cel.compile(expression, expect)) {
            case CelEnvironment.Program p -> Optional.of(p);
            case CelEnvironment.Failed f -> {
                f.problems().forEach(p -> problems.add(new FieldProblem(field, p.toString())));
                yield Optional.empty();
            }
        };
    }

    public PolicyDefinition definition() {
        return definition;
    }

    public String name() {
        return definition.name();
    }

    public long generation() {
        return generation;
    }

    /** Whether the policy applies on a cluster at all. */
    public boolean appliesTo(FleetCluster cluster) {
        return fleetScope.matches(cluster.labels());
    }

    /** Whether the resource rules (not selectors or conditions) select this kind of object. */
    public boolean selectsKind(FleetObject object) {
        var match = definition.spec().matchConstraints();
        String plural = KindNames.plural(object.kind());
        return match.resourceRules().stream().anyMatch(r -> ruleMatches(r, object, plural))
                && match.excludeResourceRules().stream().noneMatch(r -> ruleMatches(r, object, plural));
    }

    private static boolean ruleMatches(PolicyDefinition.ResourceRule rule, FleetObject object, String plural) {
        return matchesAny(rule.apiGroups(), object.apiGroup())
                && matchesAny(rule.apiVersions(), object.version())
                && matchesAny(rule.resources(), plural)
                // Audit sees objects as they exist, i.e. as CREATE or UPDATE would have admitted them.
                && (rule.operations().isEmpty()
                        || rule.operations().contains("*")
                        || rule.operations().contains("CREATE")
                        || rule.operations().contains("UPDATE"));
    }

    private static boolean matchesAny(List<String> allowed, String value) {
        return allowed.contains("*") || allowed.contains(value);
    }

    /**
     * Evaluates the policy on one object. {@code namespace} is the object's Namespace as observed (or
     * {@code null}); it feeds the namespace selector and {@code namespaceObject}.
     */
    public Verdict evaluate(FleetObject object, FleetObject namespace) {
        if (!selectsKind(object)) {
            return Verdict.NOT_APPLICABLE;
        }
        var match = definition.spec().matchConstraints();
        if (!match.objectSelector().matches(object.labels())) {
            return Verdict.NOT_APPLICABLE;
        }
        if (!match.namespaceSelector().isEmpty()) {
            Map<String, String> nsLabels = object.isNamespace()
                    ? object.labels()
                    : object.namespace() == null ? null : namespace == null ? Map.of() : namespace.labels();
            // A cluster-scoped object other than a Namespace is never skipped by a namespace selector.
            if (nsLabels != null && !match.namespaceSelector().matches(nsLabels)) {
                return Verdict.NOT_APPLICABLE;
            }
        }
        if (object.manifest() == null) {
            return Verdict.NOT_APPLICABLE; // nothing to evaluate: the producer trimmed the manifest
        }
        Map<String, Object> vars = variables.isEmpty() ? Map.of() : new HashMap<>();
        Map<String, Object> activation = new HashMap<>(8);
        activation.put("object", object.manifest());
        activation.put("oldObject", dev.cel.common.values.NullValue.NULL_VALUE);
        activation.put("params", dev.cel.common.values.NullValue.NULL_VALUE);
        activation.put(
                "namespaceObject",
                namespace == null
                        ? dev.cel.common.values.NullValue.NULL_VALUE
                        : namespace.manifest() == null
                                ? dev.cel.common.values.NullValue.NULL_VALUE
                                : namespace.manifest());
        activation.put("request", request(object));
        activation.put("variables", vars);
        activation.put(KubernetesAuthorizer.VARIABLE, KubernetesAuthorizer.AUDIT);
        activation.put(
                KubernetesAuthorizer.REQUEST_RESOURCE,
                KubernetesAuthorizer.auditRequestResource(
                        object.apiGroup(),
                        KindNames.plural(object.kind()),
                        object.namespace() == null ? "" : object.namespace(),
                        object.name()));
        for (CelEnvironment.Program condition : matchConditions) {
            try {
                if (!Boolean.TRUE.equals(condition.evaluate(activation))) {
                    return Verdict.NOT_APPLICABLE;
                }
            } catch (Exception e) {
                if (KubernetesAuthorizer.isNotEvaluableInAudit(e)) {
                    return new Verdict.NotEvaluable(KubernetesAuthorizer.NOT_EVALUABLE_REASON);
                }
                if (ignoreErrors) {
                    return Verdict.NOT_APPLICABLE;
                }
                return new Verdict.Violation("match condition could not be evaluated: " + e.getMessage(), "Invalid");
            }
        }
        boolean variableNeedsAuthorizer = false;
        for (var variable : variables) {
            try {
                vars.put(variable.getKey(), variable.getValue().evaluate(activation));
            } catch (Exception e) {
                // left unset: a validation using it fails with an error that names it
                variableNeedsAuthorizer |= KubernetesAuthorizer.isNotEvaluableInAudit(e);
            }
        }
        for (CompiledValidation v : validations) {
            Object result;
            try {
                result = v.program().evaluate(activation);
            } catch (Exception e) {
                // an unset variable that needed a decision fails the validation too: never a false violation
                if (KubernetesAuthorizer.isNotEvaluableInAudit(e) || variableNeedsAuthorizer) {
                    return new Verdict.NotEvaluable(KubernetesAuthorizer.NOT_EVALUABLE_REASON);
                }
                if (ignoreErrors) {
                    continue;
                }
                return new Verdict.Violation(
                        "expression '" + v.source().expression() + "' resulted in error: " + e.getMessage(), "Invalid");
            }
            if (!Boolean.TRUE.equals(result)) {
                return new Verdict.Violation(message(v, activation), reason(v));
            }
        }
        return Verdict.COMPLIANT;
    }

    private static String message(CompiledValidation v, Map<String, Object> activation) {
        if (v.message() != null) {
            try {
                if (v.message().evaluate(activation) instanceof String s && !s.isBlank()) {
                    return s;
                }
            } catch (Exception e) {
                // Kubernetes falls back to the static message when messageExpression fails
            }
        }
        if (v.source().message() != null && !v.source().message().isBlank()) {
            return v.source().message();
        }
        return "failed expression: " + v.source().expression();
    }

    private static String reason(CompiledValidation v) {
        return v.source().reason() == null ? "Invalid" : v.source().reason();
    }

    private static Map<String, Object> request(FleetObject object) {
        Map<String, Object> request = new HashMap<>(12);
        request.put("kind", Map.of("group", object.apiGroup(), "version", object.version(), "kind", object.kind()));
        request.put(
                "resource",
                Map.of(
                        "group",
                        object.apiGroup(),
                        "version",
                        object.version(),
                        "resource",
                        KindNames.plural(object.kind())));
        request.put("name", object.name());
        request.put("namespace", object.namespace() == null ? "" : object.namespace());
        request.put("operation", "UPDATE");
        request.put("userInfo", Map.of("username", "system:meridian:policy-audit"));
        request.put("dryRun", true);
        return request;
    }
}
