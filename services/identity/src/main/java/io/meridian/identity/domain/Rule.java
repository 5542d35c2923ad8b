package io.meridian.identity.domain;

import java.util.List;

/** One RBAC policy rule, as in a Kubernetes Role or ClusterRole. */
public record Rule(
        List<String> apiGroups,
        List<String> resources,
        List<String> verbs,
        List<String> resourceNames,
        List<String> nonResourceURLs) {

    public Rule {
        apiGroups = copy(apiGroups);
        resources = copy(resources);
        verbs = copy(verbs);
        resourceNames = copy(resourceNames);
        nonResourceURLs = copy(nonResourceURLs);
    }

    private static List<String> copy(List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
