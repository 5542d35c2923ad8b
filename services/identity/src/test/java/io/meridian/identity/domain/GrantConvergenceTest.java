package io.meridian.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrantConvergenceTest {

    private final Grant grant = GrantRulesTest.grant(GrantState.Active, null);
    private final FleetCluster a = new FleetCluster("a", "aws", null, "dev", Map.of());
    private final FleetCluster b = new FleetCluster("b", "aws", null, "dev", Map.of());
    private final FleetCluster c = new FleetCluster("c", "aws", null, "dev", Map.of());

    @Test
    void countsAppliedClustersAndNamesFailuresOfTheGrantsOwnObjects() {
        String binding = "ClusterRoleBinding//" + RoleBindingPlanner.bindingName(grant.id());
        GrantConvergence convergence = GrantConvergence.of(
                grant,
                List.of(a, b, c),
                Map.of("a", 3L, "b", 2L, "c", 5L),
                Map.of(
                        "a", new GrantConvergence.ClusterSync(3, 3, Map.of()),
                        "b", new GrantConvergence.ClusterSync(2, 1, Map.of(binding, "Conflict: not ours")),
                        "c", new GrantConvergence.ClusterSync(4, 4, Map.of())),
                null);
        assertThat(convergence.clusters()).isEqualTo(3);
        assertThat(convergence.applied()).isEqualTo(1); // c has not seen generation 5 yet
        assertThat(convergence.failures())
                .containsExactly(new GrantConvergence.Failure("b", binding, "Conflict: not ours"));
        assertThat(convergence.complete()).isFalse();
    }

    @Test
    void anotherGrantsFailureDoesNotCount() {
        GrantConvergence convergence = GrantConvergence.of(
                grant,
                List.of(a),
                Map.of("a", 2L),
                Map.of(
                        "a",
                        new GrantConvergence.ClusterSync(2, 1, Map.of("RoleBinding/x/meridian-grant-g2", "Failed"))),
                null);
        assertThat(convergence.applied()).isEqualTo(1);
        assertThat(convergence.complete()).isTrue();
    }
}
