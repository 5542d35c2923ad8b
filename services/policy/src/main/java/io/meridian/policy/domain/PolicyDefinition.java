package io.meridian.policy.domain;

import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.contracts.selector.LabelSelector;
import java.util.List;
import java.util.Map;

/**
 * A fleet policy as users write it: the body of a Kubernetes ValidatingAdmissionPolicy ({@code spec}) plus
 * Meridian's fleet scope, severity, action, categories and an optional {@code ensure} block of objects to
 * generate in every matching namespace.
 */
public record PolicyDefinition(
        String name,
        String description,
        ComplianceResult.Severity severity,
        ComplianceResult.Action action,
        List<String> categories,
        FleetScope fleetScope,
        Spec spec,
        Ensure ensure) {

    /** The categories a policy may belong to. */
    public static final List<String> CATEGORIES = List.of("security", "reliability", "portability", "cost");

    public PolicyDefinition {
        categories = categories == null ? List.of() : List.copyOf(categories);
        fleetScope = fleetScope == null ? FleetScope.EVERYWHERE : fleetScope;
        severity = severity == null ? ComplianceResult.Severity.MEDIUM : severity;
        action = action == null ? ComplianceResult.Action.AUDIT : action;
    }

    /**
     * Which clusters the policy applies to: all terms must hold; an empty term holds for every cluster. The
     * {@code clusterSelector} sees a cluster's selectable labels, well-known ones ({@code meridian.io/cloud}, ...)
     * included, as every selector in the fleet does.
     */
    public record FleetScope(LabelSelector clusterSelector, List<String> clouds, List<String> environments) {
        public static final FleetScope EVERYWHERE = new FleetScope(null, List.of(), List.of());

        public FleetScope {
            clusterSelector = clusterSelector == null ? LabelSelector.EVERYTHING : clusterSelector;
            clouds = clouds == null ? List.of() : List.copyOf(clouds);
            environments = environments == null ? List.of() : List.copyOf(environments);
        }

        /** This scope as the fleet's cluster selector. */
        public ClusterSelector selector() {
            return ClusterSelector.of(clusterSelector).withClouds(clouds).withEnvironments(environments);
        }
    }

    /** The ValidatingAdmissionPolicy spec, field for field. */
    public record Spec(
            MatchResources matchConstraints,
            List<NamedExpression> matchConditions,
            List<NamedExpression> variables,
            List<Validation> validations,
            String failurePolicy) {
        public Spec {
            matchConditions = matchConditions == null ? List.of() : List.copyOf(matchConditions);
            variables = variables == null ? List.of() : List.copyOf(variables);
            validations = validations == null ? List.of() : List.copyOf(validations);
        }
    }

    /** {@code matchConstraints}: which requests (here: which observed objects) the policy looks at. */
    public record MatchResources(
            List<ResourceRule> resourceRules,
            List<ResourceRule> excludeResourceRules,
            LabelSelector namespaceSelector,
            LabelSelector objectSelector) {
        public MatchResources {
            resourceRules = resourceRules == null ? List.of() : List.copyOf(resourceRules);
            excludeResourceRules = excludeResourceRules == null ? List.of() : List.copyOf(excludeResourceRules);
            namespaceSelector = namespaceSelector == null ? LabelSelector.EVERYTHING : namespaceSelector;
            objectSelector = objectSelector == null ? LabelSelector.EVERYTHING : objectSelector;
        }
    }

    /** A rule of API groups, versions, resources (plural, lower-case) and operations; {@code *} matches all. */
    public record ResourceRule(
            List<String> apiGroups, List<String> apiVersions, List<String> resources, List<String> operations) {
        public ResourceRule {
            apiGroups = apiGroups == null ? List.of() : List.copyOf(apiGroups);
            apiVersions = apiVersions == null ? List.of() : List.copyOf(apiVersions);
            resources = resources == null ? List.of() : List.copyOf(resources);
            operations = operations == null ? List.of() : List.copyOf(operations);
        }
    }

    /** A match condition or a variable: a name and a CEL expression. */
    public record NamedExpression(String name, String expression) {}

    /** One validation: the object passes when {@code expression} is true. */
    public record Validation(String expression, String message, String messageExpression, String reason) {}

    /** Remediation: objects the policy wants in every namespace matching {@code namespaceSelector}. */
    public record Ensure(LabelSelector namespaceSelector, List<Map<String, Object>> objects) {
        public Ensure {
            namespaceSelector = namespaceSelector == null ? LabelSelector.EVERYTHING : namespaceSelector;
            objects = objects == null ? List.of() : List.copyOf(objects);
        }
    }
}
