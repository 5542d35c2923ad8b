package io.meridian.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.identity.domain.RbacRisks.Risk;
import java.util.List;
import org.junit.jupiter.api.Test;

class RbacRisksTest {

    @Test
    void namesEachRiskOfRules() {
        assertThat(RbacRisks.ofRules(List.of(new Rule(List.of("*"), List.of("*"), List.of("*"), null, null))))
                .containsExactlyInAnyOrder(Risk.WildcardVerbs, Risk.WildcardResources, Risk.ReadsSecrets);
        assertThat(RbacRisks.ofRules(List.of(new Rule(List.of(""), List.of("secrets"), List.of("list"), null, null))))
                .containsExactly(Risk.ReadsSecrets);
        assertThat(RbacRisks.ofRules(List.of(new Rule(
                        List.of("rbac.authorization.k8s.io"),
                        List.of("clusterroles"),
                        List.of("bind", "escalate"),
                        null,
                        null))))
                .containsExactly(Risk.Escalation);
        assertThat(RbacRisks.ofRules(List.of(new Rule(List.of(""), List.of("pods"), List.of("get"), null, null))))
                .isEmpty();
    }

    @Test
    void bindingsOfClusterAdminOrSystemMastersAreRisky() {
        assertThat(RbacRisks.ofBinding(
                        "cluster-admin", List.of(new RbacRisks.SubjectRef("User", "x", null)), List.of()))
                .containsExactly(Risk.ClusterAdmin);
        assertThat(RbacRisks.ofBinding(
                        "view", List.of(new RbacRisks.SubjectRef("Group", "system:masters", null)), List.of()))
                .containsExactly(Risk.SystemMasters);
    }
}
