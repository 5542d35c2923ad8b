package io.meridian.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.resource.PolicyRule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GrantRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");

    @Test
    void aCompleteRequestHasNoProblems() {
        GrantRequest ok = new GrantRequest(
                "group",
                "payments",
                "view",
                Map.of("team", "payments"),
                "aws",
                "staging",
                List.of("payments"),
                NOW.plusSeconds(3600),
                "on-call");
        assertThat(GrantRules.check(ok, Set.of(), NOW)).isEmpty();
    }

    @Test
    void everyBadFieldIsNamed() {
        GrantRequest bad = new GrantRequest(
                "team",
                " ",
                "owner",
                Map.of("bad key!", "x"),
                "ibm",
                "prod env",
                List.of("Payments", "a", "a"),
                NOW.minusSeconds(1),
                "");
        assertThat(GrantRules.check(bad, Set.of(), NOW))
                .extracting(FieldProblem::field)
                .containsExactlyInAnyOrder(
                        "subject.kind",
                        "subject.name",
                        "role",
                        "scope.labels[bad key!]",
                        "scope.cloud",
                        "scope.environment",
                        "namespaces[0]",
                        "namespaces[2]",
                        "expiresAt",
                        "reason");
    }

    @Test
    void systemSubjectsAndRolesAreNeverGranted() {
        GrantRequest masters =
                new GrantRequest("group", "system:masters", "view", null, null, null, null, null, "because");
        assertThat(GrantRules.check(masters, Set.of(), NOW))
                .extracting(FieldProblem::field)
                .containsExactly("subject.name");
        GrantRequest role = new GrantRequest("group", "sre", "system:masters", null, null, null, null, null, "because");
        assertThat(GrantRules.check(role, Set.of(), NOW))
                .extracting(FieldProblem::field)
                .containsExactly("role");
    }

    @Test
    void aTemplateNameIsARole() {
        GrantRequest request = new GrantRequest("user", "alice", "log-reader", null, null, null, null, null, "debug");
        assertThat(GrantRules.check(request, Set.of("log-reader"), NOW)).isEmpty();
        assertThat(GrantRules.check(request, Set.of(), NOW))
                .extracting(FieldProblem::field)
                .containsExactly("role");
    }

    @Test
    void templatesNeedAValidNameAndRules() {
        assertThat(GrantRules.checkTemplate("Bad_Name", List.of()))
                .extracting(FieldProblem::field)
                .containsExactly("name", "rules");
        assertThat(GrantRules.checkTemplate(
                        "view", List.of(new PolicyRule(List.of(""), List.of("pods"), List.of(), null, null))))
                .extracting(FieldProblem::field)
                .containsExactly("name", "rules[0].verbs");
    }

    @Test
    void onlyAdminsGrantPowerfulRoles() {
        assertThat(GuardRails.adminOnly("view", null)).isEmpty();
        assertThat(GuardRails.adminOnly("edit", null)).isEmpty();
        assertThat(GuardRails.adminOnly("admin", null)).isPresent();
        assertThat(GuardRails.adminOnly("cluster-admin", null)).isPresent();
        RoleTemplate wildcard = new RoleTemplate(
                "all", null, List.of(new PolicyRule(List.of("apps"), List.of("*"), List.of("get"), null, null)));
        RoleTemplate impersonate = new RoleTemplate(
                "imp",
                null,
                List.of(new PolicyRule(List.of(""), List.of("users"), List.of("impersonate"), null, null)));
        RoleTemplate reader = new RoleTemplate(
                "reader",
                null,
                List.of(new PolicyRule(List.of(""), List.of("pods"), List.of("get", "list"), null, null)));
        assertThat(GuardRails.adminOnly("all", wildcard))
                .get()
                .extracting(FieldProblem::field)
                .isEqualTo("role");
        assertThat(GuardRails.adminOnly("imp", impersonate)).isPresent();
        assertThat(GuardRails.adminOnly("reader", reader)).isEmpty();
    }

    @Test
    void privilegedRolesAndProdNeedApproval() {
        FleetCluster prod = new FleetCluster("p", "aws", "r", "prod", Map.of());
        FleetCluster dev = new FleetCluster("d", "aws", "r", "dev", Map.of("team", "payments"));
        ClusterScope all = new ClusterScope(Map.of(), null, null);
        ClusterScope devOnly = new ClusterScope(Map.of("team", "payments"), null, null);
        RoleTemplate exec = new RoleTemplate(
                "exec",
                null,
                List.of(new PolicyRule(List.of(""), List.of("pods/exec"), List.of("create"), null, null)));
        RoleTemplate reader = new RoleTemplate(
                "reader", null, List.of(new PolicyRule(List.of(""), List.of("pods"), List.of("get"), null, null)));
        assertThat(GuardRails.needsApproval("cluster-admin", null, devOnly, List.of(dev)))
                .isTrue();
        assertThat(GuardRails.needsApproval("admin", null, devOnly, List.of(dev)))
                .isTrue();
        assertThat(GuardRails.needsApproval("exec", exec, devOnly, List.of(dev)))
                .isTrue();
        assertThat(GuardRails.needsApproval("reader", reader, devOnly, List.of(dev)))
                .isFalse();
        assertThat(GuardRails.needsApproval("view", null, all, List.of(dev, prod)))
                .isTrue();
        assertThat(GuardRails.needsApproval("view", null, new ClusterScope(null, null, "prod"), List.of()))
                .isTrue();
        assertThat(GuardRails.needsApproval("edit", null, devOnly, List.of(dev, prod)))
                .isFalse();
    }

    @Test
    void anApprovalHoldsOnlyForTheRulesAndScopeItApproved() {
        RoleTemplate v1 = new RoleTemplate(
                "reader", null, List.of(new PolicyRule(List.of(""), List.of("pods"), List.of("get"), null, null)));
        RoleTemplate v2 = new RoleTemplate(
                "reader",
                "new description",
                List.of(new PolicyRule(List.of(""), List.of("pods", "services"), List.of("get"), null, null)));
        RoleTemplate sameRulesOtherText = new RoleTemplate("reader", "other words", v1.rules());
        Grant pending = templateGrant(GrantState.Pending, null, null, true);
        String digest = pending.approvalDigest(v1);
        Grant approved = templateGrant(GrantState.Active, "adam", digest, true);
        assertThat(approved.approvalHolds(v1)).isTrue();
        assertThat(approved.approvalHolds(sameRulesOtherText)).isTrue();
        assertThat(approved.approvalHolds(v2)).isFalse();
        assertThat(pending.approvalHolds(v1)).isFalse();
        // Another scope approved is not this scope.
        Grant otherScope = new Grant(
                "g2",
                approved.subject(),
                approved.role(),
                new ClusterScope(Map.of("team", "payments"), null, null),
                approved.namespaces(),
                null,
                "r",
                GrantState.Active,
                true,
                "olga",
                NOW,
                "adam",
                NOW,
                null,
                null,
                digest,
                null,
                null);
        assertThat(otherScope.approvalHolds(v1)).isFalse();
        // A grant that never needed approval follows a plain template's changes, but not one that became privileged.
        Grant unbound = templateGrant(GrantState.Active, null, null, false);
        assertThat(unbound.approvalHolds(v2)).isTrue();
        RoleTemplate secrets = new RoleTemplate(
                "reader", null, List.of(new PolicyRule(List.of(""), List.of("secrets"), List.of("list"), null, null)));
        assertThat(unbound.approvalHolds(secrets)).isFalse();
    }

    private static Grant templateGrant(GrantState state, String approvedBy, String digest, boolean approvalRequired) {
        return new Grant(
                "g1",
                new Subject(Subject.Kind.GROUP, "sre"),
                "reader",
                new ClusterScope(null, null, "prod"),
                List.of("web"),
                null,
                "r",
                state,
                approvalRequired,
                "olga",
                NOW,
                approvedBy,
                approvedBy == null ? null : NOW,
                null,
                null,
                digest,
                null,
                null);
    }

    @Test
    void anUnapprovedGrantNeverReachesProd() {
        FleetCluster prod = new FleetCluster("p", "aws", "r", null, Map.of("environment", "prod"));
        Grant unapproved = grant(GrantState.Active, null);
        assertThat(unapproved.reaches(prod)).isFalse();
        assertThat(grant(GrantState.Active, "admin2").reaches(prod)).isTrue();
        assertThat(grant(GrantState.Pending, "admin2").reaches(prod)).isFalse();
    }

    static Grant grant(GrantState state, String approvedBy) {
        return new Grant(
                "g1",
                new Subject(Subject.Kind.GROUP, "sre"),
                "view",
                new ClusterScope(null, null, null),
                null,
                null,
                "r",
                state,
                approvedBy != null,
                "admin",
                NOW,
                approvedBy,
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
