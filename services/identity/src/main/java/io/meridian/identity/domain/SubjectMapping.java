package io.meridian.identity.domain;

/**
 * How a Keycloak subject becomes a Kubernetes subject, matching how the clusters' API servers trust Keycloak
 * ({@code --oidc-groups-prefix}, {@code --oidc-username-prefix}), e.g. group {@code payments} -> {@code oidc:payments}.
 */
public record SubjectMapping(String groupPrefix, String userPrefix) {

    public SubjectMapping {
        groupPrefix = groupPrefix == null ? "" : groupPrefix;
        userPrefix = userPrefix == null ? "" : userPrefix;
    }

    /** {@code kind} (Group or User) and name of the Kubernetes subject. */
    public KubernetesSubject map(Subject subject) {
        return switch (subject.kind()) {
            case GROUP -> new KubernetesSubject("Group", groupPrefix + subject.name());
            case USER -> new KubernetesSubject("User", userPrefix + subject.name());
        };
    }

    /** The Keycloak subject behind a Kubernetes Group or User, if it carries this mapping's prefix. */
    public java.util.Optional<Subject> unmap(String kind, String name) {
        if ("Group".equals(kind) && name.startsWith(groupPrefix)) {
            return java.util.Optional.of(new Subject(Subject.Kind.GROUP, name.substring(groupPrefix.length())));
        }
        if ("User".equals(kind) && name.startsWith(userPrefix)) {
            return java.util.Optional.of(new Subject(Subject.Kind.USER, name.substring(userPrefix.length())));
        }
        return java.util.Optional.empty();
    }

    /** A subject of a RoleBinding or ClusterRoleBinding. */
    public record KubernetesSubject(String kind, String name) {}
}
