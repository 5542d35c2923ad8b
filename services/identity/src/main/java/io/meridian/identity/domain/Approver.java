package io.meridian.identity.domain;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The fleet-admin who approves a grant, as their token shows them: {@code name} (the principal name, under which the
 * approval is recorded), {@code username} (the token's {@code preferred_username}, may be null) and {@code groups},
 * the token's {@code groups} claim, or null when the token carries none.
 * Group names are compared as the clusters see them ({@code --oidc-groups-claim=groups}): by name or path, ignoring
 * case.
 */
public record Approver(String name, String username, Set<String> groups) {

    public Approver {
        groups = groups == null ? null : Set.copyOf(groups);
    }

    /**
     * Why this fleet-admin may not approve {@code grant}, naming the grant's field that stands in the way, or empty: the
     * two-person rule wants someone who neither asked for the grant, nor last changed what it grants, nor receives it.
     */
    public Optional<FieldProblem> refusalFor(Grant grant) {
        if (isOneOf(grant.createdBy())) {
            return Optional.of(new FieldProblem(
                    "createdBy",
                    "you created this grant; a second fleet-admin who is not its creator or subject must approve it"));
        }
        if (isOneOf(grant.reopenedBy())) {
            return Optional.of(new FieldProblem(
                    "reopenedBy",
                    "you changed the role template '" + grant.role() + "' after this grant was approved; another"
                            + " fleet-admin must approve what it grants now"));
        }
        Subject subject = grant.subject();
        if (subject.kind() == Subject.Kind.USER && isOneOf(subject.name())) {
            return Optional.of(new FieldProblem(
                    "subject.name",
                    "this grant is for you ('" + subject.name() + "'); a fleet-admin who does not receive it must"
                            + " approve it"));
        }
        if (subject.kind() == Subject.Kind.GROUP) {
            if (groups == null) {
                return Optional.of(new FieldProblem(
                        "subject.name",
                        "this grant is for the group '" + subject.name() + "' and your token carries no groups claim,"
                                + " so Meridian cannot tell whether you are a member; approve with a token that has"
                                + " it (Keycloak's clients meridian-cli and the console map it) or ask another"
                                + " fleet-admin"));
            }
            if (groups.stream().anyMatch(g -> sameGroup(g, subject.name()))) {
                return Optional.of(new FieldProblem(
                        "subject.name",
                        "this grant is for the group '" + subject.name() + "' and you are a member; a fleet-admin"
                                + " outside that group must approve it"));
            }
        }
        return Optional.empty();
    }

    private boolean isOneOf(String other) {
        // Keycloak user names are case-insensitive (it stores them lower-cased).
        return other != null && (other.equalsIgnoreCase(name) || other.equalsIgnoreCase(username));
    }

    /**
     * Whether a group of the token and the granted group may be the same: equal as names or paths ({@code sre},
     * {@code /platform/sre}), or with the same last path segment when either side is a bare name. Errs towards "the
     * same", so an ambiguous name refuses rather than lets a member approve.
     */
    static boolean sameGroup(String claimed, String granted) {
        String a = claimed.toLowerCase(Locale.ROOT);
        String b = granted.toLowerCase(Locale.ROOT);
        if (strip(a).equals(strip(b))) {
            return true;
        }
        return last(a).equals(last(b)) && (!a.startsWith("/") || !b.startsWith("/"));
    }

    private static String strip(String group) {
        return group.startsWith("/") ? group.substring(1) : group;
    }

    private static String last(String group) {
        List<String> parts = List.of(group.split("/"));
        return parts.isEmpty() ? group : parts.getLast();
    }
}
