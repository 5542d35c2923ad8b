package io.meridian.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.resource.PolicyRule;
import io.meridian.identity.domain.RbacRisks.Risk;
import io.meridian.identity.domain.RbacRisks.SubjectRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessReviewTest {

    private final AccessReview review = new AccessReview(new SubjectMapping("oidc:", "oidc:"));
    private final FleetCluster a = new FleetCluster("a", "aws", "r", "dev", Map.of());
    private final FleetCluster b = new FleetCluster("b", "gcp", "r", "dev", Map.of());

    private final Grant paymentsView = new Grant(
            "g1",
            new Subject(Subject.Kind.GROUP, "payments"),
            "view",
            new ClusterScope(null, "aws", null),
            List.of("payments"),
            null,
            "r",
            GrantState.Active,
            false,
            "olga",
            Instant.EPOCH,
            null,
            null,
            null,
            null,
            null,
            null,
            null);

    private final ObservedRbac secretReader = new ObservedRbac(
            "b",
            "ClusterRole",
            null,
            "secret-reader",
            Map.of(),
            null,
            null,
            List.of(),
            List.of(new PolicyRule(List.of(""), List.of("secrets"), List.of("get", "list"), null, null)));
    private final ObservedRbac handMade = new ObservedRbac(
            "b",
            "ClusterRoleBinding",
            null,
            "payments-secrets",
            Map.of(),
            "ClusterRole",
            "secret-reader",
            List.of(new SubjectRef("Group", "oidc:payments", null)),
            List.of());
    private final ObservedRbac masters = new ObservedRbac(
            "b",
            "ClusterRoleBinding",
            null,
            "break-glass",
            Map.of(),
            "ClusterRole",
            "view",
            List.of(new SubjectRef("Group", "system:masters", null)),
            List.of());
    private final ObservedRbac managed = new ObservedRbac(
            "a",
            "RoleBinding",
            "payments",
            "meridian-grant-g1",
            Map.of("app.kubernetes.io/managed-by", "meridian", "meridian.io/grant", "g1"),
            "ClusterRole",
            "view",
            List.of(new SubjectRef("Group", "oidc:payments", null)),
            List.of());

    @Test
    void showsGrantedAndObservedAccessOfASubjectIncludingUnmanagedBindings() {
        List<AccessReview.Entry> entries = review.entries(
                new AccessReview.Query("group/payments", null, "payments"),
                List.of(a, b),
                List.of(paymentsView),
                Map.of(),
                List.of(secretReader, handMade, masters, managed));
        assertThat(entries)
                .extracting(AccessReview.Entry::cluster, AccessReview.Entry::source, AccessReview.Entry::managed)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", "grant", true),
                        org.assertj.core.groups.Tuple.tuple("a", "observed", true),
                        org.assertj.core.groups.Tuple.tuple("b", "observed", false));
        assertThat(entries.getLast().risks()).containsExactly(Risk.ReadsSecrets);
        assertThat(entries.getLast().keycloakSubject()).isEqualTo("group/payments");
    }

    @Test
    void riskyUnmanagedBindingsAreFindingsPerCluster() {
        List<AccessReview.Finding> findings = review.findings("b", List.of(secretReader, handMade, masters, managed));
        assertThat(findings).extracting(AccessReview.Finding::name).containsExactly("break-glass", "payments-secrets");
        assertThat(findings.getFirst().risks()).containsExactly(Risk.SystemMasters);
        assertThat(review.findings("a", List.of(managed))).isEmpty();
    }
}
