package io.meridian.contracts.resource;

import java.util.List;

/** One rule of a Role or ClusterRole. */
public record PolicyRule(
        List<String> apiGroups,
        List<String> resources,
        List<String> verbs,
        List<String> resourceNames,
        List<String> nonResourceURLs) {

    public PolicyRule {
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
